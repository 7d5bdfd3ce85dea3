import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../identity/public.decorator';
import { RedisFanout } from '../realtime/redis-fanout';
import { DatabaseProbe, type DatabaseState } from './database-probe';

export interface HealthBody {
  status: 'ok' | 'error';
  /** `slow`: connected but the probe took over 2 s; still serving (200). */
  db: DatabaseState;
  redis: 'up' | 'down' | 'disabled';
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly database: DatabaseProbe,
    private readonly fanout: RedisFanout,
  ) {}

  @Public()
  @Get()
  @ApiOkResponse({ description: '{status, db: up | slow, redis}' })
  @ApiServiceUnavailableResponse({ description: 'the database (or configured Redis) is down' })
  async check(): Promise<HealthBody> {
    const [db, redis] = await Promise.all([this.database.state(), this.fanout.status()]);
    const body: HealthBody = { status: db !== 'down' && redis !== 'down' ? 'ok' : 'error', db, redis };
    if (body.status !== 'ok') {
      throw new ServiceUnavailableException({ statusCode: 503, error: 'Service Unavailable', message: 'dependency down', details: [], ...body });
    }
    return body;
  }
}
