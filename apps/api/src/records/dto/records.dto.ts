import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CHRONICLE_KINDS, type ChronicleKind } from '@dispatch/domain';
import { IsDateString, IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';

/** `GET /api/worklog`: whose day (mine unless a supervisor asks for a team member's) and which. */
export class WorkLogQuery {
  @ApiPropertyOptional({ example: '2026-11-24', description: 'the estate\'s calendar day; today when absent' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a day like 2026-11-24' })
  date?: string;

  @ApiPropertyOptional({ description: 'a team member (supervisors of their department, managers and the administrator)' })
  @IsOptional()
  @IsUUID()
  staffId?: string;
}

/** `GET /api/worklog/team`: the team's day. */
export class TeamDayQuery {
  @ApiPropertyOptional({ example: '2026-11-24' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a day like 2026-11-24' })
  date?: string;
}

/** A note of my day. */
export class WorkLogNoteDto {
  @ApiProperty({ example: '巡查地下车库B区，照明正常', maxLength: 1000 })
  @IsString()
  @Length(1, 1000)
  text!: string;

  @ApiPropertyOptional({ description: 'when it happened (defaults to now; not in the future)' })
  @IsOptional()
  @IsDateString({ strict: true })
  at?: string;
}

/** A significant event of a unit, entered by the desk. */
export class ChronicleEntryDto {
  @ApiProperty({ enum: CHRONICLE_KINDS })
  @IsIn(CHRONICLE_KINDS)
  kind!: ChronicleKind;

  @ApiProperty({ example: '业主开始装修，预计工期 60 天，装修负责人 13800000000', maxLength: 500 })
  @IsString()
  @Length(2, 500)
  note!: string;

  @ApiPropertyOptional({ description: 'when it happened (defaults to now; not in the future)' })
  @IsOptional()
  @IsDateString({ strict: true })
  at?: string;
}
