import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ALARM_OUTCOMES,
  type AlarmOutcome,
  CALLBACK_OUTCOMES,
  type CallbackOutcome,
  CONTACT_CHANNELS,
  CONTACT_OUTCOMES,
  type ContactChannel,
  type ContactOutcome,
  DEPARTMENTS,
  OWNER_NOTICE_CHANNELS,
  SATISFACTION_LEVELS,
  MUTE_MINUTES,
  type MuteMinutes,
  SEVERITY_LEVELS,
  STEP_ANSWERS,
  STEP_KEY_PATTERN,
  type StepAnswer,
  type Severity,
  TICKET_ACTIONS,
  type Department,
  type OwnerNoticeChannel,
  type Satisfaction,
  type TicketAction,
} from '@dispatch/domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { MaxDecimals } from '../../common/decimals';

export class RepairPartDto {
  @ApiProperty({ example: 'LED灯管 T8 1.2m' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ example: 2 })
  @IsInt()
  @Min(1)
  @Max(1000)
  quantity!: number;

  @ApiPropertyOptional({ example: 35.5, description: 'price per unit in yuan, for paid work' })
  @IsOptional()
  @IsNumber()
  @MaxDecimals(2)
  @Min(0)
  @Max(1_000_000)
  unitPrice?: number;
}

/** 工程维修单: labour and parts; for paid work, the owner's opinion at completion. */
export class RepairSheetDto {
  @ApiProperty({ example: '更换灯管2支，约30分钟' })
  @IsString()
  @Length(1, 500)
  labour!: string;

  @ApiProperty({ type: [RepairPartDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => RepairPartDto)
  parts!: RepairPartDto[];

  @ApiPropertyOptional({ example: '满意，已签字' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  ownerOpinion?: string;
}

/** One transition of the closed loop. Which fields an action needs is the domain table's call. */
export class TicketActionDto {
  @ApiProperty({ enum: TICKET_ACTIONS })
  @IsIn(TICKET_ACTIONS)
  action!: TicketAction;

  @ApiProperty({ description: 'the ticket version the caller saw; a stale one gets 409' })
  @IsInt()
  @Min(1)
  version!: number;

  @ApiPropertyOptional({ enum: DEPARTMENTS })
  @IsOptional()
  @IsIn(DEPARTMENTS)
  department?: Department;

  @ApiPropertyOptional({ description: 'a named on-duty field staff member of the department' })
  @IsOptional()
  @IsUUID()
  assigneeId?: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  reason?: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;

  @ApiPropertyOptional({ description: 'ISO-8601 time agreed with the owner (wait)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  agreedAt?: string;

  @ApiPropertyOptional({ enum: OWNER_NOTICE_CHANNELS })
  @IsOptional()
  @IsIn(OWNER_NOTICE_CHANNELS)
  ownerToldVia?: OwnerNoticeChannel;

  @ApiPropertyOptional({ maxLength: 2000, description: 'callback or check result, in the owner\'s words' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  result?: string;

  @ApiPropertyOptional({ enum: SATISFACTION_LEVELS })
  @IsOptional()
  @IsIn(SATISFACTION_LEVELS)
  satisfaction?: Satisfaction;

  @ApiPropertyOptional({ maxLength: 2000, description: 'the answer that closes an inquiry or suggestion at intake' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  answer?: string;

  @ApiPropertyOptional({
    enum: [...ALARM_OUTCOMES, ...CONTACT_OUTCOMES, ...CALLBACK_OUTCOMES, ...STEP_ANSWERS],
    description: 'clear: what an alarm turned out to be; contact: reached or unreachable; callback: no_owner; step: the answer (yes/no) to a question step',
  })
  @IsOptional()
  @IsIn([...ALARM_OUTCOMES, ...CONTACT_OUTCOMES, ...CALLBACK_OUTCOMES, ...STEP_ANSWERS])
  outcome?: AlarmOutcome | ContactOutcome | CallbackOutcome | StepAnswer;

  @ApiPropertyOptional({ enum: CONTACT_CHANNELS, description: 'contact: how the owner was reached (or tried)' })
  @IsOptional()
  @IsIn(CONTACT_CHANNELS)
  via?: ContactChannel;

  @ApiPropertyOptional({ example: 'cameras', pattern: STEP_KEY_PATTERN.source, description: "step: the key of the alarm procedure's step ticked" })
  @IsOptional()
  @IsString()
  @Matches(STEP_KEY_PATTERN)
  step?: string;

  @ApiPropertyOptional({ enum: SEVERITY_LEVELS, description: 'raise an alarm\'s severity (0 no call … 4 threat to life)' })
  @IsOptional()
  @IsIn(SEVERITY_LEVELS)
  severity?: Severity;

  @ApiPropertyOptional({ enum: MUTE_MINUTES, description: 'how long to mute an alarm\'s tone on the wallboard (mute)' })
  @IsOptional()
  @IsIn(MUTE_MINUTES)
  minutes?: MuteMinutes;

  @ApiPropertyOptional({ type: RepairSheetDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => RepairSheetDto)
  repairSheet?: RepairSheetDto;
}
