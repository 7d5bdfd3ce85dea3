import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DEPARTMENTS, type Department, STATUS_FILTER, STATUS_FILTER_MESSAGE, TICKET_KINDS, type TicketKind } from '@dispatch/domain';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MESSAGE = { message: 'must be a day like 2026-11-24' };

/** How a report is answered: JSON, or a file in the user's language. */
export class ReportFormatQuery {
  @ApiPropertyOptional({ enum: ['json', 'csv', 'xlsx'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv', 'xlsx'])
  format?: 'json' | 'csv' | 'xlsx';

  @ApiPropertyOptional({ enum: ['zh', 'en'], default: 'zh' })
  @IsOptional()
  @IsIn(['zh', 'en'])
  locale?: 'zh' | 'en';
}

export class KpiQuery extends ReportFormatQuery {
  @ApiProperty({ example: '2026-11-01', description: 'first day, in the estate\'s calendar' })
  @Matches(DAY, DAY_MESSAGE)
  from!: string;

  @ApiProperty({ example: '2026-11-30', description: 'last day (included)' })
  @Matches(DAY, DAY_MESSAGE)
  to!: string;

  @ApiPropertyOptional({ enum: DEPARTMENTS })
  @IsOptional()
  @IsIn(DEPARTMENTS)
  department?: Department;

  @ApiPropertyOptional({ description: 'one person: the tickets assigned to them' })
  @IsOptional()
  @IsUUID()
  staffId?: string;
}

export class PeriodDayQuery extends ReportFormatQuery {
  @ApiPropertyOptional({ example: '2026-11-18', description: 'a day of the period wanted' })
  @IsOptional()
  @Matches(DAY, DAY_MESSAGE)
  date?: string;
}

/** GET /api/reports/tickets: 工单清单, the tickets received in a period, as filtered. */
export class TicketListQuery extends ReportFormatQuery {
  @ApiProperty({ example: '2026-11-01', description: 'first day received, in the estate\'s calendar' })
  @Matches(DAY, DAY_MESSAGE)
  from!: string;

  @ApiProperty({ example: '2026-11-30', description: 'last day received (included)' })
  @Matches(DAY, DAY_MESSAGE)
  to!: string;

  @ApiPropertyOptional({ enum: DEPARTMENTS })
  @IsOptional()
  @IsIn(DEPARTMENTS)
  department?: Department;

  @ApiPropertyOptional({ enum: TICKET_KINDS })
  @IsOptional()
  @IsIn(TICKET_KINDS)
  kind?: TicketKind;

  @ApiPropertyOptional({ description: '`open`, one status, or several separated by commas' })
  @IsOptional()
  @Matches(STATUS_FILTER, { message: STATUS_FILTER_MESSAGE })
  status?: string;
}
