import { Global, Module } from '@nestjs/common';
import { ClockKeeper } from './clock-keeper';
import { SlaBoardService } from './sla-board.service';
import { SlaController } from './sla.controller';
import { SlaScheduler } from './sla-scheduler';

@Global()
@Module({
  controllers: [SlaController],
  providers: [ClockKeeper, SlaScheduler, SlaBoardService],
  exports: [ClockKeeper],
})
export class SlaModule {}
