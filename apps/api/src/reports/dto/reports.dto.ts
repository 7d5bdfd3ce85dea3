import { ApiProperty, ApiPropertyOptional, IntersectionType, PickType } from '@nestjs/swagger';
import { DEPARTMENTS, type Department } from '@dispatch/domain';
import { ListTicketsQuery } from '../../tickets/dto/list-tickets.dto';
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

/** A report over a period: the estate's days, both included, and whose department. */
export class ReportPeriodQuery extends ReportFormatQuery {
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
}

export class KpiQuery extends ReportPeriodQuery {
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

/** GET /api/reports/tickets: 工单清单, the tickets received in a period, filtered as the ticket list is (kind, status). */
export class TicketListQuery extends IntersectionType(ReportPeriodQuery, PickType(ListTicketsQuery, ['kind', 'status'] as const)) {}
