import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ALARM_KINDS, type AlarmKind } from '@dispatch/domain';
import { IsIn, IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';

const DEVICE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** A device's sign of life (POST /api/devices/heartbeat). */
export class DeviceHeartbeatDto {
  @ApiProperty({ example: 'ir-3-201' })
  @IsString()
  @Matches(DEVICE_ID, { message: 'must be a device id (lower-case letters, digits, dashes)' })
  deviceId!: string;
}

export class AlarmIntakeDto extends DeviceHeartbeatDto {
  @ApiProperty({ example: 'evt-000123', description: 'the device\'s own id for this delivery; a retry carries the same one' })
  @IsString()
  @Length(1, 100)
  eventId!: string;

  @ApiProperty({ enum: ALARM_KINDS })
  @IsIn(ALARM_KINDS)
  kind!: AlarmKind;

  @ApiPropertyOptional({ description: 'when the device saw it (ISO-8601); the server stamps receipt itself' })
  @IsOptional()
  @IsISO8601({ strict: true })
  occurredAt?: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  note?: string;
}
