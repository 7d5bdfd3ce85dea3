import { Module } from '@nestjs/common';
import { HandoverService } from './handover.service';
import { RosterService } from './roster.service';
import { ShiftController } from './shift.controller';

/** Shifts and the desk's handover (交接班). */
@Module({
  controllers: [ShiftController],
  providers: [HandoverService, RosterService],
  exports: [HandoverService],
})
export class ShiftModule {}
