import { Module } from '@nestjs/common';
import { AlarmsModule } from '../alarms/alarms.module';
import { AlarmReceipts } from './alarm-receipts';
import { AlarmReceiver } from './alarm-receiver.service';

/** SIA DC-09 alarm panels; listens only when ALARM_RECEIVER_PORT is set (every process takes the journal's receipts). */
@Module({
  imports: [AlarmsModule],
  providers: [AlarmReceiver, AlarmReceipts],
})
export class AlarmReceiverModule {}
