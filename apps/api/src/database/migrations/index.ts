import { CreateEstateTicketsAndEventLog1763860000000 } from './1763860000000-create-estate-tickets-and-event-log';
import { ClosedLoopAssignmentDocumentsRepeats1763870000000 } from './1763870000000-closed-loop-assignment-documents-repeats';
import { SlaPoliciesCalendarAndClockRounds1763880000000 } from './1763880000000-sla-policies-calendar-and-clock-rounds';
import { PushCursor1763890000000 } from './1763890000000-push-cursor';
import { AlarmsDevicesDeliveries1763900000000 } from './1763900000000-alarms-devices-deliveries';
import { StaffSessions1763910000000 } from './1763910000000-staff-sessions';
import { AlarmAcknowledgementAndMute1763920000000 } from './1763920000000-alarm-acknowledgement-and-mute';
import { SeedRulesPolicies1763930000000 } from './1763930000000-seed-rules-policies';
import { AlarmOccurredAt1763930000001 } from './1763930000001-alarm-occurred-at';
import { EventLogRooms1763940000000 } from './1763940000000-event-log-rooms';
import { WarrantyAndOfficialCalendar1763940000001 } from './1763940000001-warranty-and-official-calendar';
import { AlarmPanels1763950000000 } from './1763950000000-alarm-panels';
import { AlarmProceduresAndDeviceSupervision1763960000000 } from './1763960000000-alarm-procedures-and-device-supervision';
import { OwnerArchive1763970000000 } from './1763970000000-owner-archive';
import { ShiftsAndHandover1763970000001 } from './1763970000001-shifts-and-handover';
import { PanelSupervision1763950000001 } from './1763950000001-panel-supervision';
import { WorkLogAndChronicle1763980000000 } from './1763980000000-work-log-and-chronicle';
import { Rosters1763980000001 } from './1763980000001-rosters';
import { ReportFacts1763990000000 } from './1763990000000-report-facts';
import { StoredReports1763990000001 } from './1763990000001-stored-reports';
import { TicketMilestones1763990000002 } from './1763990000002-ticket-milestones';
import { AlarmReceipts1764000000000 } from './1764000000000-alarm-receipts';
import { ClockRoundsByStart1764000000001 } from './1764000000001-clock-rounds-by-start';
import { ReportsReadRoundsByTicket1764000000002 } from './1764000000002-reports-read-rounds-by-ticket';
import { KpiDaysKept1764000000003 } from './1764000000003-kpi-days-kept';
import { TicketsByUnit1764000000004 } from './1764000000004-tickets-by-unit';

/** Every migration, in order. Listed by import so the same list serves ts (tests) and js (dist). */
export const MIGRATIONS = [
  CreateEstateTicketsAndEventLog1763860000000,
  ClosedLoopAssignmentDocumentsRepeats1763870000000,
  SlaPoliciesCalendarAndClockRounds1763880000000,
  PushCursor1763890000000,
  AlarmsDevicesDeliveries1763900000000,
  StaffSessions1763910000000,
  AlarmAcknowledgementAndMute1763920000000,
  SeedRulesPolicies1763930000000,
  AlarmOccurredAt1763930000001,
  EventLogRooms1763940000000,
  WarrantyAndOfficialCalendar1763940000001,
  AlarmPanels1763950000000,
  PanelSupervision1763950000001,
  AlarmProceduresAndDeviceSupervision1763960000000,
  OwnerArchive1763970000000,
  ShiftsAndHandover1763970000001,
  WorkLogAndChronicle1763980000000,
  Rosters1763980000001,
  ReportFacts1763990000000,
  StoredReports1763990000001,
  TicketMilestones1763990000002,
  AlarmReceipts1764000000000,
  ClockRoundsByStart1764000000001,
  ReportsReadRoundsByTicket1764000000002,
  KpiDaysKept1764000000003,
  TicketsByUnit1764000000004,
];
