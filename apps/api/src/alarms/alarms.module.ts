import { Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { AlarmCodesController } from './alarm-codes.controller';
import { AlarmProceduresController } from './alarm-procedures.controller';
import { AlarmsController } from './alarms.controller';
import { AlarmsService } from './alarms.service';
import { DeviceSupervision } from './device-supervision';

@Module({
  imports: [TicketsModule],
  controllers: [AlarmsController, AlarmProceduresController, AlarmCodesController],
  providers: [AlarmsService, DeviceSupervision],
  exports: [AlarmsService, DeviceSupervision],
})
export class AlarmsModule {}
