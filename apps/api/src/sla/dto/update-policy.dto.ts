import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { MaxDecimals } from '../../common/decimals';

export class UpdatePolicyDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 90 * 24 * 3600, description: 'allowed time in seconds' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(90 * 24 * 3600)
  durationSeconds?: number;

  @ApiPropertyOptional({ description: 'run on the estate calendar instead of 24/7' })
  @IsOptional()
  @IsBoolean()
  businessHours?: boolean;

  @ApiPropertyOptional({ minimum: 0.05, maximum: 0.99, description: 'share of the allowed time at which to warn' })
  @IsOptional()
  @IsNumber()
  @MaxDecimals(3)
  @Min(0.05)
  @Max(0.99)
  warningShare?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 7 * 24 * 3600, description: 'seconds after a breach until the manager is told' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 3600)
  escalationSeconds?: number;
}
