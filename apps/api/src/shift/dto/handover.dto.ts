import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsISO8601, IsOptional, IsString, Length } from 'class-validator';

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
