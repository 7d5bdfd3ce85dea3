import type { AlarmOutcome, AlarmView } from './alarms';
import type { PickupFigures } from './alarm-procedures';
import type { BusinessCalendar } from './business-time';
import type { ClockKind } from './sla-policy';
import type { WarrantyAnswer, WarrantySource, WarrantyYears } from './warranty';
import type { Category, Channel, Department, Priority, TicketKind, TicketStatus } from './ticket';
import type { DocumentKind, RepairFacts, TicketFacts } from './ticket-actions';

/** Where a clock stands: running, met in time, met late, breached (still running), or cancelled. */
export type ClockState = 'running' | 'met' | 'met_late' | 'breached' | 'cancelled';

/** One deadline of a ticket, as stored and as shown. Times are ISO-8601 UTC. */
export interface ClockView {
  clock: ClockKind;
  /** 1 for the first run of this clock on the ticket; a restart (reassign, reopen) counts up. */
  round: number;
  startedAt: string;
  warnAt: string;
  dueAt: string;
  businessHours: boolean;
  warnedAt: string | null;
  breachedAt: string | null;
  escalatedAt: string | null;
  metAt: string | null;
  cancelledAt: string | null;
  state: ClockState;
  /** How late it was met, or how far past due it ran before it was met or cancelled (ms). */
  overdueMs: number | null;
}

export interface TicketLocationView {
  unit?: string;
  area?: string;
  /** Human label: the unit code or the area's name. */
  label: string;
}

/** A ticket as the api returns it and as the boards show it. Personal data is not part of it. */
export interface TicketView {
  id: string;
  number: string;
  kind: TicketKind;
  category: Category;
  channel: Channel;
  priority: Priority;
  status: TicketStatus;
  department: Department;
  /** Departments that also act on it: a fire alarm's second department, a complaint's department at fault. */
  alsoDepartments: Department[];
  location: TicketLocationView;
  description: string;
  receivedAt: string;
  version: number;
  clocks: ClockView[];
  repair: RepairFacts | null;
  assignee: { id: string; name: string } | null;
  /** The earlier report this one repeats: it was created as a complaint because of it. */
  repeatOf: { id: string; number: string; status: TicketStatus } | null;
  /** When waiting: the time agreed with the owner. */
  agreedAt: string | null;
  reopenCount: number;
  documents: DocumentKind[];
  closedAt: string | null;
  /** 0 none; 1 a clock breached (the department supervisor told); 2 still unmet after the escalation interval (the manager told). */
  escalation: 0 | 1 | 2;
  /** For alarms: the device, kind, severity and storm count. */
  alarm: AlarmView | null;
  /** The alarm this repair was raised from. */
  sourceAlarmId: string | null;
  /** Someone to call back: a reporter, or an owner's unit (the name and phone stay masked elsewhere). */
  hasReporter: boolean;
}

export interface TicketPage {
  items: TicketView[];
  nextCursor: string | null;
}

/** The managers' live snapshot (GET /api/sla/board), over the last `windowHours`. */
export interface SlaBoard {
  generatedAt: string;
  windowHours: number;
  /** Null: the whole estate; else the supervisor's department. */
  department: string | null;
  clocks: Array<{ clock: string; finished: number; onTime: number; late: number; onTimeRate: number | null }>;
  breachesNow: number;
  escalationsNow: number;
  responseSeconds: { average: number | null; median: number | null; count: number };
  firstTimeFix: { closed: number; withoutReopen: number; rate: number | null };
  satisfaction: { satisfied: number; basically_satisfied: number; unsatisfied: number; rate: number | null };
  openByAge: Array<{ bucket: '<1h' | '1-4h' | '4-24h' | '1-7d' | '>7d'; count: number }>;
  perDepartment: Array<{ department: string; open: number; breachedNow: number; closed: number }>;
  perPerson: Array<{ staffId: string; name: string; open: number; breachedNow: number }>;
  trend: Array<{ hour: string; received: number; breached: number }>;
  /** 超期说明 recorded (a deadline missed, explained, a new date given) and waits extended, in the window. */
  delays: { explained: number; extended: number };
  /** Alarms: pickup (first acknowledgement) against the targets, and how those cleared turned out. */
  alarms: { pickup: PickupFigures; outcomes: Record<AlarmOutcome, number> };
}

/** A unit as the intake form finds it (GET /api/estate/units?q=): the owner masked, key owners marked. */
export interface UnitLookup {
  code: string;
  building: number;
  entrance: number;
  floor: number;
  room: string;
  owner: { name: string | null; phone: string | null; keyOwner: boolean; masked: true } | null;
  /** 交房日期 (`yyyy-MM-dd`): the developer's warranty runs from it; null when not on file. */
  handoverDate: string | null;
  /** Tickets at this unit still open: the desk sees at once that the owner already waits. */
  openTickets: number;
}

/** A public area (GET /api/estate/areas). */
export interface AreaView {
  code: string;
  name: { zh: string; en: string };
}

/** A person the desk may dispatch to (GET /api/staff), with the work already on their hands. */
export interface StaffLoad {
  id: string;
  name: string;
  role: 'field' | 'supervisor';
  department: Department;
  onDuty: boolean;
  /** Open tickets assigned to them now. */
  load: number;
  /** Their rostered shifts from 12 hours ago to 24 hours ahead (排班): who should be on now is read against the server clock. */
  shifts: Array<{ startsAt: string; endsAt: string }>;
}

/** The answer of POST /api/tickets/repeat-check: the earlier report a new one would repeat. */
export interface RepeatCheck {
  repeatOf: { id: string; number: string; status: TicketStatus; receivedAt: string; category: Category; description: string } | null;
  /** What the new report will be created as: a repeat becomes a complaint. */
  kindWillBe: TicketKind;
}

/**
 * What the action table needs to decide about a ticket, read from its view: the console's
 * buttons, its board's scope and the permission matrix test decide on exactly these facts,
 * as the api decides on the row (`resumeStatus` only names where `resume` goes back to).
 */
export function factsOfView(ticket: TicketView): TicketFacts {
  return {
    status: ticket.status,
    kind: ticket.kind,
    department: ticket.department,
    alsoDepartments: ticket.alsoDepartments,
    assigneeId: ticket.assignee?.id ?? null,
    resumeStatus: null,
    repair: ticket.repair,
    documents: ticket.documents,
    hasReporter: ticket.hasReporter,
    overdue: ticket.clocks.some((clock) => clock.state === 'breached'),
    procedure: ticket.alarm?.procedure ?? null,
  };
}

/** The estate's own rules an admin edits (GET/PATCH /api/estate/rules). */
export interface EstateRules {
  timezone: string;
  /** Opening hours, holidays and make-up working days: business-hours clocks run on it. */
  calendar: BusinessCalendar;
  /** Warranty years per category in force (the estate's own, else the national defaults). */
  warrantyYears: WarrantyYears;
}

/** One clock a new ticket would run: how long, on which time, and its due time if it starts at intake. */
export interface ClockPreview {
  clock: ClockKind;
  durationSeconds: number;
  businessHours: boolean;
  /** Set for clocks that start when the ticket is logged. */
  dueAt: string | null;
}

/** What the desk sees before it logs (POST /api/tickets/preview): owner, warranty, deadlines, repeat. */
export interface TicketPreview {
  kind: TicketKind;
  department: Department;
  alsoDepartments: Department[];
  /** Null unless a repair in an owner's unit. */
  warranty: (WarrantyAnswer & { inWarranty: boolean; source: WarrantySource }) | null;
  clocks: ClockPreview[];
  repeat: RepeatCheck;
}

/** A device as supervision sees it (GET /api/devices, `device.offline` / `device.online`). */
export interface DeviceStatus {
  id: string;
  name: string;
  /** The unit or public area code it stands at. */
  location: string | null;
  lastSeenAt: string | null;
  /** The promised link test or heartbeat interval; null: not supervised. */
  testIntervalSeconds: number | null;
  /** Since when it is silent past its interval (a fault was raised); null: online. */
  offlineSince: string | null;
}
