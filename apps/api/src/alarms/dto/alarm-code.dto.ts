import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ALARM_KINDS, type AlarmKind, PANEL_CODE_ACTIONS, type PanelCodeAction, SEVERITY_LEVELS, type Severity } from '@dispatch/domain';
import { IsIn, IsOptional } from 'class-validator';

/** What a panel event code means at this estate (PUT /api/alarm-codes/:protocol/:code). */
export class AlarmCodeDto {
  @ApiProperty({ enum: PANEL_CODE_ACTIONS, description: 'alarm: opens an alarm of `kind`; restore; test (a link test); ignore (openings, closings)' })
  @IsIn(PANEL_CODE_ACTIONS)
  action!: PanelCodeAction;

  @ApiPropertyOptional({ enum: ALARM_KINDS, description: 'alarm only: the kind it opens' })
  @IsOptional()
  @IsIn(ALARM_KINDS)
  kind?: AlarmKind;

  @ApiPropertyOptional({ enum: SEVERITY_LEVELS, description: "alarm only: its severity, in place of the kind's" })
  @IsOptional()
  @IsIn(SEVERITY_LEVELS)
  severity?: Severity;
}
