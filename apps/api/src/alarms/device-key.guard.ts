import { type CanActivate, type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { hashToken } from '../common/token-hash';

/**
 * Alarm intake authenticates before anything else is looked at: a guard runs before the body
 * is validated, so a caller without a valid device key gets 401 and learns nothing of the
 * schema. The service still checks that the key belongs to the device the body names.
 */
@Injectable()
export class DeviceKeyGuard implements CanActivate {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const key = context.switchToHttp().getRequest<Request>().header('x-device-key');
    if (!key || key.length > 512) throw new UnauthorizedException('Unknown device or wrong X-Device-Key');
    // Keys are long random tokens stored as their SHA-256: looking the hash up reveals nothing.
    const [device] = await this.dataSource.query<Array<{ id: string }>>('SELECT id FROM device WHERE key_hash = $1 AND active', [hashToken(key)]);
    if (!device) throw new UnauthorizedException('Unknown device or wrong X-Device-Key');
    return true;
  }
}
