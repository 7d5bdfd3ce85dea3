import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';

/** Where a sign-in's refresh token goes: an httpOnly cookie (browsers) or the answer's body (devices, scripts). */
export const REFRESH_DELIVERIES = ['cookie', 'body'] as const;
export type RefreshDelivery = (typeof REFRESH_DELIVERIES)[number];

export class LoginDto {
  @ApiProperty({ example: 'dispatcher' })
  @IsString()
  @Length(1, 64)
  username!: string;

  @ApiProperty({ example: 'demo1234' })
  @IsString()
  @Length(1, 200)
  password!: string;

  @ApiPropertyOptional({
    enum: REFRESH_DELIVERIES,
    default: 'cookie',
    description: 'cookie: the refresh token is set as an httpOnly, SameSite=Strict cookie on /api/auth, out of reach of page scripts; body: returned as refreshToken, for clients that are not browsers',
  })
  @IsOptional()
  @IsIn(REFRESH_DELIVERIES)
  refreshIn?: RefreshDelivery;
}

export class RefreshDto {
  @ApiPropertyOptional({ description: 'the refreshToken from a body-delivered sign-in or its last refresh; omitted, the cookie is used' })
  @IsOptional()
  @IsString()
  @Length(40, 200)
  refreshToken?: string;
}
