import { Module } from '@nestjs/common';
import { AlarmsModule } from '../alarms/alarms.module';
import { AlarmReceiver } from './alarm-receiver.service';

/** SIA DC-09 alarm panels; listens only when ALARM_RECEIVER_PORT is set. */
@Module({
  imports: [AlarmsModule],
  providers: [AlarmReceiver],
})
export class AlarmReceiverModule {}
