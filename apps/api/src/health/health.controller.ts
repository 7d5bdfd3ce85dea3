import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../identity/public.decorator';
import { RedisFanout } from '../realtime/redis-fanout';

export interface HealthBody {
  status: 'ok' | 'error';
  db: 'up' | 'down';
  redis: 'up' | 'down' | 'disabled';
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly fanout: RedisFanout,
  ) {}

  @Public()
  @Get()
  @ApiOkResponse({ description: '{status, db, redis}' })
  @ApiServiceUnavailableResponse({ description: 'the database (or configured Redis) is down' })
  async check(): Promise<HealthBody> {
    const db = await this.health
      .check([() => this.database.pingCheck('db', { timeout: 2000 })])
      .then(() => 'up' as const)
      .catch(() => 'down' as const);
    const redis = await this.fanout.status();
    const body: HealthBody = { status: db === 'up' && redis !== 'down' ? 'ok' : 'error', db, redis };
    if (body.status !== 'ok') {
      throw new ServiceUnavailableException({ statusCode: 503, error: 'Service Unavailable', message: 'dependency down', details: [], ...body });
    }
    return body;
  }
}
