import type { AlarmProcedure } from './alarm-procedures';
import type { ResidentField, ResidentRole } from './archive';
import type { PanelEventMeaning, PanelProtocol } from './alarm-codes';
import type { AlarmKind, AlarmView } from './alarms';
import type { Role } from './roles';
import type { ChronicleKind } from './records';
import type { StoredReportSummary } from './reports';
import type { ClockKind, SlaPolicy } from './sla-policy';
import type { Department, TicketStatus } from './ticket';
import type { ActionField, TicketAction } from './ticket-actions';
import type { DeviceStatus, EstateRules, TicketView } from './views';

export interface EventActor {
  id: string;
  name: string;
  role: Role;
}

/** One transition of the closed loop, as the log keeps it: enough to replay the ticket. */
export interface TicketActionEventData {
  action: TicketAction;
  from: TicketStatus;
  to: TicketStatus;
  /** Null when the system took the step itself (an alarm its restore ended). */
  actor: EventActor | null;
  /** The fields the action carried (reasons, notes, satisfaction...). Never owner phone numbers. */
  input: Partial<Record<ActionField, unknown>>;
  /** Set when the system took the step itself (an unsatisfied callback reopening the ticket). */
  automatic?: boolean;
  ticket: TicketView;
  /** Where the ticket was before a step that moved it to another department or person. */
  previous?: { department: Department; assigneeId: string | null };
}

export type TicketActionEventType =
  | `ticket.${Exclude<TicketAction, 'acknowledge' | 'clear' | 'mute' | 'step'>}`
  | 'alarm.acknowledged'
  | 'alarm.cleared'
  | 'alarm.muted'
  | 'alarm.step_done';

/** The log's name for a step: `ticket.<action>`, but an alarm's own steps are `alarm.*` (API.md). */
export function actionEventType(action: TicketAction): TicketActionEventType {
  if (action === 'acknowledge') return 'alarm.acknowledged';
  if (action === 'clear') return 'alarm.cleared';
  if (action === 'mute') return 'alarm.muted';
  if (action === 'step') return 'alarm.step_done';
  return `ticket.${action}`;
}

/** A clock reaching a mark: its warning share, its due time, its escalation, or met in time. */
export interface SlaEventData {
  clock: ClockKind;
  round: number;
  dueAt: string;
  /** The moment this mark was due (warnAt, dueAt or escalateAt; for met, when it was met). */
  scheduledAt: string;
  firedAt: string;
  /** firedAt − scheduledAt: how precisely the engine fired. */
  lagMs: number;
  /** Fired well after its moment, e.g. because every api process was down then. */
  late: boolean;
  ticket: TicketView;
}

export type SlaEventType = 'sla.warning' | 'sla.breached' | 'sla.met' | 'sla.escalated';

/**
 * Every event type and its payload, once. The api writes these to the log and the
 * socket forwards them; both sides type-check against this map.
 */
export type EventPayloads = {
  'ticket.created': { ticket: TicketView; actor: EventActor | null };
  'sla.policy_changed': { policy: SlaPolicy; previous: SlaPolicy | null; actor: EventActor };
  /** The estate's calendar (hours, holidays, 调休) or warranty years changed, by whom; before and after. */
  'estate.rules_changed': { rules: EstateRules; previous: EstateRules; actor: EventActor; officialYear?: number };
  'alarm.received': { ticket: TicketView; actor: null };
  /** A repeat from the same device within the storm window, folded into the open alarm. */
  'alarm.repeated': { ticket: TicketView; alarm: AlarmView; eventId: string };
  /** A panel reported the zone back to normal (Contact ID qualifier 3, a SIA restore code). */
  'alarm.restored': { ticket: TicketView; code: string; eventId: string };
  'device.key_rotated': { deviceId: string; actor: EventActor };
  /** An admin replaced the procedure (SOP) of an alarm kind; alarms opened from now on follow it. */
  'alarm.procedure_changed': { alarmKind: AlarmKind; procedure: AlarmProcedure; previous: AlarmProcedure; actor: EventActor };
  /** An admin set (or, with `meaning: null`, removed) an estate's own meaning for a panel event code. */
  'alarm.code_changed': { protocol: PanelProtocol; code: string; meaning: PanelEventMeaning | null; previous: PanelEventMeaning | null; actor: EventActor };
  /** 业主档案: a record created, edited (the fields named, never their values), moved out, verified. */
  'resident.created': ResidentChange;
  'resident.updated': ResidentChange;
  'resident.moved_out': ResidentChange;
  'resident.verified': ResidentChange;
  /** Who read a record in full, and why. */
  'resident.revealed': { resident: ResidentRef; reason: string; actor: EventActor };
  /**
   * A spreadsheet imported into the archive: how many rows did what, and each record created or
   * edited with the fields it set (never a value). Rows refused changed nothing and are counted.
   */
  'archive.imported': {
    format: 'csv' | 'xlsx';
    rows: number;
    created: number;
    updated: number;
    unchanged: number;
    refused: number;
    changes: Array<{ resident: ResidentRef; fields: ResidentField[]; created: boolean }>;
    actor: EventActor;
  };
  /** A period's report was generated and kept (the closed week or half-month): managers are told. */
  'report.ready': { report: StoredReportSummary };
  /** 排班: a department's shifts for a day were set (replaced as a whole). */
  'roster.changed': { date: string; department: Department; shifts: number; actor: EventActor };
  /** 工作日志: someone wrote a note of their day (the text stays in the work log, not here). */
  'worklog.noted': { entry: { id: string; at: string }; actor: EventActor };
  /** 单元大事记: the desk recorded a significant event of a unit. */
  'unit.chronicled': { unit: string; entry: { id: string; kind: ChronicleKind; at: string }; actor: EventActor };
  /** The whole archive taken out in full (every record a reveal): who, why, how many. */
  'archive.exported': { format: 'csv' | 'xlsx'; records: number; reason: string; actor: EventActor };
  /** Someone started or ended their shift (on duty: dispatch offers them). */
  'staff.shift_changed': { staff: EventActor; department: Department | null; onDuty: boolean };
  /** 交接班: submitted by the outgoing shift, signed by the incoming one. */
  'handover.submitted': { handover: { id: string; open: number; promises: number }; actor: EventActor };
  'handover.signed': { handover: { id: string }; actor: EventActor };
  /** Nobody signed a handover 15 minutes into the shift: the customer-service supervisor is told. */
  'handover.unsigned': { handover: { id: string; submittedAt: string; submittedBy: string } };
  /** A supervised device missed its link test or heartbeat (a fault alarm was raised with it). */
  'device.offline': { device: DeviceStatus };
  /** A device heard from again after a silence (its fault restored). */
  'device.online': { device: DeviceStatus };
  /** Who saw a reporter's name and phone in full. The values themselves never enter the log. */
  'ticket.pii_revealed': { actor: EventActor; fields: Array<'name' | 'phone'> };
  /**
   * Access is recorded too (事事有记录): who signed in or out, from which address; a session
   * ended because its refresh token came back twice; an account disabled or enabled, by whom.
   * Never a password or a token. Pushed to managers only; replayed to managers and admins.
   */
  'access.signed_in': { staff: EventActor; address: string };
  'access.signed_out': { staff: EventActor; address: string };
  'access.session_revoked': { staff: EventActor; reason: 'refresh token reused'; address: string };
  'access.account_changed': { staff: EventActor; active: boolean; actor: EventActor };
} & { [T in TicketActionEventType]: TicketActionEventData } & { [T in SlaEventType]: SlaEventData };

export type EventType = keyof EventPayloads;

/** Which record (never its personal values). */
export interface ResidentRef {
  id: string;
  unit: string;
  role: ResidentRole;
}
export interface ResidentChange {
  resident: ResidentRef;
  fields: ResidentField[];
  actor: EventActor;
  reason?: string;
}

export interface DomainEvent<T extends EventType = EventType> {
  /** System-wide, strictly increasing position in the event log. */
  seq: number;
  type: T;
  at: string;
  ticketId?: string;
  alarmId?: string;
  data: EventPayloads[T];
}

/** Any event, discriminated on `type` so a switch narrows `data`. */
export type AnyDomainEvent = { [T in EventType]: DomainEvent<T> }[EventType];

export interface HelloMessage {
  /** Server clock in ms since the epoch, for skew correction. */
  serverTime: number;
  /** Highest seq in the log when the socket connected. */
  lastSeq: number;
}

export interface SocketErrorMessage {
  code: string;
  message: string;
}

export interface ResumeRequest {
  afterSeq: number;
}

/**
 * Why a resume was refused: `bad_request` (afterSeq not a non-negative integer), `busy` (one
 * resume per socket at a time), `rate_limited` (too many; `retryAfterMs`), `too_far_behind`
 * (more than MAX_REPLAY_SPAN events back: reload a snapshot and go on live from `lastSeq`),
 * `unavailable` (the log cannot be read now).
 */
export type ResumeRefusal = 'bad_request' | 'busy' | 'rate_limited' | 'too_far_behind' | 'unavailable';

/** How far back a socket may replay; a client further behind reloads a snapshot instead. */
export const MAX_REPLAY_SPAN = 20_000;

/** One page of replay: the events after `afterSeq` in the caller's scope, in seq order. */
export type ResumeResult =
  | { events: AnyDomainEvent[]; throughSeq: number; hasMore: boolean }
  | { error: ResumeRefusal; lastSeq?: number; retryAfterMs?: number };

export interface ServerToClientEvents {
  hello: (message: HelloMessage) => void;
  event: (event: AnyDomainEvent) => void;
  error: (error: SocketErrorMessage) => void;
}

export interface ClientToServerEvents {
  /** Replays the log after `afterSeq`; the ack says the last seq sent. */
  resume: (request: ResumeRequest, ack?: (result: ResumeResult) => void) => void;
  /** Round-trip clock probe: the ack carries the server time. */
  time: (ack: (serverTime: number) => void) => void;
}
