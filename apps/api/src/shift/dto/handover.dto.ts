import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DEPARTMENTS, type Department } from '@dispatch/domain';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, ValidateNested } from 'class-validator';

export class SubmitHandoverDto {
  @ApiProperty({ description: 'the `draftedAt` of the draft the outgoing shift read; older than 30 minutes is refused (409): read it again' })
  @IsISO8601({ strict: true })
  draftedAt!: string;

  @ApiPropertyOptional({ example: '3-1-201业主明早9点前回电；B1车库水浸探测器待厂家', maxLength: 4000 })
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  notes?: string;
}

export class SignHandoverDto {
  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  note?: string;
}

export class ShiftDto {
  @ApiProperty({ description: 'true: start my shift (on duty); false: end it' })
  @IsBoolean()
  onDuty!: boolean;
}

export class HandoverListQuery {
  @ApiPropertyOptional({ description: 'words in the notes' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;
}

/** One planned shift: who, and from when to when on the estate's clock. */
export class RosterShiftDto {
  @ApiProperty()
  @IsUUID()
  staffId!: string;

  @ApiProperty({ example: '08:00' })
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a time like 08:00' })
  start!: string;

  @ApiProperty({ example: '20:00', description: 'at or before start: the next day (a night shift; the same time: 24 hours)' })
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a time like 20:00' })
  end!: string;
}

/** A department's shifts for a day, replacing what was planned. */
export class RosterDayDto {
  @ApiProperty({ type: [RosterShiftDto], maxItems: 200 })
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => RosterShiftDto)
  shifts!: RosterShiftDto[];
}

export class RosterDayParams {
  @ApiProperty({ example: '2026-11-24' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a day like 2026-11-24' })
  date!: string;

  @ApiProperty({ enum: DEPARTMENTS })
  @IsIn(DEPARTMENTS)
  department!: Department;
}

export class RosterQuery {
  @ApiPropertyOptional({ example: '2026-11-24', description: 'the estate\'s day; today when absent' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a day like 2026-11-24' })
  date?: string;
}
