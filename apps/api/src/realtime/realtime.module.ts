import { Global, Module } from '@nestjs/common';
import { RealtimeGateway } from './realtime.gateway';
import { RedisFanout } from './redis-fanout';

@Global()
@Module({
  providers: [RealtimeGateway, RedisFanout],
  exports: [RedisFanout],
})
export class RealtimeModule {}
