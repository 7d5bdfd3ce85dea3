import { Global, Module } from '@nestjs/common';
import { EventBus } from './event-bus';
import { EventLogService } from './event-log.service';
import { EventsController } from './events.controller';

@Global()
@Module({
  controllers: [EventsController],
  providers: [EventLogService, EventBus],
  exports: [EventLogService, EventBus],
})
export class EventsModule {}
