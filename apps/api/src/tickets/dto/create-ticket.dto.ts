import { ApiProperty, ApiPropertyOptional, IntersectionType, PickType } from '@nestjs/swagger';
import {
  CATEGORY_CODES,
  CHANNELS,
  PRIORITIES,
  INTAKE_KINDS,
  type Category,
  type Channel,
  type Priority,
  type TicketKind,
} from '@dispatch/domain';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsNotEmptyObject,
  IsObject,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';

/** A phone number as callers give it. */
const PHONE = /^\+?[0-9][0-9 -]{4,18}[0-9]$/;

/** Exactly one of `unit` (an owner's unit, `4-2-301`) or `area` (a public area's code). */
export class TicketLocationDto {
  @ApiPropertyOptional({ example: '4-2-301', description: 'building-entrance-room' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  unit?: string;

  @ApiPropertyOptional({ example: 'LIFT-4-2', description: 'code of a public area of the estate' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  area?: string;
}

export class ReporterDto {
  @ApiProperty({ example: '王先生' })
  @IsString()
  @Length(1, 40)
  name!: string;

  @ApiProperty({ example: '13800001234' })
  @IsString()
  @Matches(PHONE, { message: 'must be a phone number (digits, spaces or dashes)' })
  phone!: string;
}

export class RepairFlagsDto {
  @ApiProperty({ description: 'inside the owner\'s unit (else a public area)' })
  @IsBoolean()
  inUnit!: boolean;

  @ApiPropertyOptional({
    description:
      'still under the developer\'s warranty. Computed from the unit\'s handover date and the category\'s warranty years: leave it out, or give it with warrantyReason to override; where nothing can be computed (no handover date, a public area) the desk\'s word',
  })
  @IsOptional()
  @IsBoolean()
  inWarranty?: boolean;

  @ApiPropertyOptional({ description: 'why inWarranty differs from the computed warranty (logged with the ticket)', example: '业主自行更换的灯具，不在开发商保修内' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  warrantyReason?: string;

  @ApiProperty({ description: 'paid service (有偿服务)' })
  @IsBoolean()
  paid!: boolean;
}

/** The intake form asks, before it submits, whether the report repeats an earlier one. */
export class RepeatCheckDto {
  @ApiProperty({ enum: INTAKE_KINDS })
  @IsIn(INTAKE_KINDS)
  kind!: TicketKind;

  @ApiProperty({ enum: CATEGORY_CODES })
  @IsIn(CATEGORY_CODES)
  category!: Category;

  @ApiProperty({ type: TicketLocationDto })
  @IsDefined()
  @IsObject()
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => TicketLocationDto)
  location!: TicketLocationDto;

  @ApiPropertyOptional({ example: '13800001234', description: 'the caller\'s phone (in the body: phone numbers never go in a URL)' })
  @IsOptional()
  @IsString()
  @Matches(PHONE, { message: 'must be a phone number (digits, spaces or dashes)' })
  reporterPhone?: string;
}

export class CreateTicketDto {
  @ApiProperty({ enum: INTAKE_KINDS, description: 'alarms come from devices through POST /api/alarms' })
  @IsIn(INTAKE_KINDS)
  kind!: TicketKind;

  @ApiProperty({ enum: CHANNELS })
  @IsIn(CHANNELS)
  channel!: Channel;

  @ApiProperty({ enum: CATEGORY_CODES })
  @IsIn(CATEGORY_CODES)
  category!: Category;

  @ApiProperty({ maxLength: 2000, example: '卫生间天花板漏水' })
  @IsString()
  @Length(1, 2000)
  description!: string;

  @ApiPropertyOptional({ enum: PRIORITIES, default: 'normal' })
  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: Priority;

  @ApiProperty({ type: TicketLocationDto })
  @IsDefined()
  @IsObject()
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => TicketLocationDto)
  location!: TicketLocationDto;

  @ApiPropertyOptional({ type: ReporterDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReporterDto)
  reporter?: ReporterDto;

  @ApiPropertyOptional({ type: RepairFlagsDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => RepairFlagsDto)
  repair?: RepairFlagsDto;

  @ApiPropertyOptional({ description: 'when the desk began taking the call (the form\'s first keystroke, on server time): 平均响应时间 runs from here; at most 2 hours back, not ahead' })
  @IsOptional()
  @IsISO8601({ strict: true })
  intakeStartedAt?: string;
}

/** The intake form's live preview: the repeat check's fields, and those of intake that change the deadlines. */
export class TicketPreviewDto extends IntersectionType(RepeatCheckDto, PickType(CreateTicketDto, ['priority', 'repair'] as const)) {}
