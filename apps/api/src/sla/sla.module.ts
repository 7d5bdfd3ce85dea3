import { Global, Module } from '@nestjs/common';
import { ClockKeeper } from './clock-keeper';
import { SlaController } from './sla.controller';
import { SlaScheduler } from './sla-scheduler';

@Global()
@Module({
  controllers: [SlaController],
  providers: [ClockKeeper, SlaScheduler],
  exports: [ClockKeeper],
})
export class SlaModule {}
