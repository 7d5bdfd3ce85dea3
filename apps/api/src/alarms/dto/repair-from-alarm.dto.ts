import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CATEGORY_CODES, type Category } from '@dispatch/domain';
import { IsBoolean, IsIn, IsOptional, IsString, Length } from 'class-validator';

/** A repair raised from a real alarm: at the alarm's location, linked to it. */
export class RepairFromAlarmDto {
  @ApiProperty({ enum: CATEGORY_CODES })
  @IsIn(CATEGORY_CODES)
  category!: Category;

  @ApiProperty({ example: '入户门锁被撬坏，需更换' })
  @IsString()
  @Length(1, 2000)
  description!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  paid?: boolean;

  @ApiPropertyOptional({ description: 'only to override the computed warranty (with warrantyReason)' })
  @IsOptional()
  @IsBoolean()
  inWarranty?: boolean;

  @ApiPropertyOptional({ description: 'why inWarranty differs from what the handover date gives' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  warrantyReason?: string;

  @ApiPropertyOptional({ description: 'raise another repair although one was raised from this alarm already' })
  @IsOptional()
  @IsBoolean()
  force?: boolean;
}
