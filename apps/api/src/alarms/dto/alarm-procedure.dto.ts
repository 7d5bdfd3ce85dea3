import { ApiProperty } from '@nestjs/swagger';
import { MAX_PROCEDURE_STEPS, PROCEDURE_STEP_KINDS, type ProcedureStepKind, STEP_KEY_PATTERN } from '@dispatch/domain';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsString, Length, Matches, ValidateNested } from 'class-validator';

export class ProcedureStepDto {
  @ApiProperty({ example: 'cameras', pattern: STEP_KEY_PATTERN.source })
  @IsString()
  @Matches(STEP_KEY_PATTERN, { message: 'lower-case letters, digits and _, 2 to 40, starting with a letter' })
  key!: string;

  @ApiProperty({ example: '查看监控录像' })
  @IsString()
  @Length(1, 60)
  zh!: string;

  @ApiProperty({ example: 'Look at the cameras' })
  @IsString()
  @Length(1, 80)
  en!: string;

  @ApiProperty({ enum: PROCEDURE_STEP_KINDS, description: 'check: ticked; question: answered yes or no' })
  @IsIn(PROCEDURE_STEP_KINDS)
  kind!: ProcedureStepKind;

  @ApiProperty({ description: 'the alarm cannot be cleared while a required step is open' })
  @IsBoolean()
  required!: boolean;
}

/** An estate's procedure for one alarm kind (PUT /api/alarm-procedures/:kind). */
export class AlarmProcedureDto {
  @ApiProperty({ type: [ProcedureStepDto], minItems: 1, maxItems: MAX_PROCEDURE_STEPS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PROCEDURE_STEPS)
  @ValidateNested({ each: true })
  @Type(() => ProcedureStepDto)
  steps!: ProcedureStepDto[];

  @ApiProperty({ description: 'a restore before anyone acknowledged the alarm completes it as restored' })
  @IsBoolean()
  restoreCompletes!: boolean;
}
