import { Global, Module } from '@nestjs/common';
import { LogPublisher } from './log-publisher';
import { RealtimeGateway } from './realtime.gateway';
import { RedisFanout } from './redis-fanout';

@Global()
@Module({
  providers: [RealtimeGateway, RedisFanout, LogPublisher],
  exports: [RedisFanout],
})
export class RealtimeModule {}
