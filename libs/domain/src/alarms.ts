import type { ProcedureView } from './alarm-procedures';
import type { Department, Priority } from './ticket';

/** What devices and the monitoring centre report (报警). */
export const ALARM_KINDS = ['intrusion', 'door_forced', 'panic', 'smoke_fire', 'water_leak', 'lift_entrapment', 'fault'] as const;
export type AlarmKind = (typeof ALARM_KINDS)[number];

/**
 * Severity in the spirit of the alarm industry's verification levels:
 * 0 no call for service, 1 unverified, 2 likely, 3 confirmed threat to property, 4 threat to life.
 */
export const SEVERITY_LEVELS = [0, 1, 2, 3, 4] as const;
export type Severity = (typeof SEVERITY_LEVELS)[number];

export interface AlarmRoute {
  /** The first owns the alarm; all are told and may act on it. */
  departments: readonly [Department, ...Department[]];
  /** Also the supervisors of those departments, at once (fire). */
  supervisors: boolean;
  severity: Severity;
}

/** Routing rules, as data. */
export const ALARM_ROUTES: Readonly<Record<AlarmKind, AlarmRoute>> = {
  intrusion: { departments: ['security'], supervisors: false, severity: 2 },
  door_forced: { departments: ['security'], supervisors: false, severity: 3 },
  panic: { departments: ['security'], supervisors: false, severity: 4 },
  smoke_fire: { departments: ['security', 'engineering'], supervisors: true, severity: 4 },
  water_leak: { departments: ['engineering'], supervisors: false, severity: 2 },
  lift_entrapment: { departments: ['engineering', 'security'], supervisors: false, severity: 4 },
  fault: { departments: ['engineering'], supervisors: false, severity: 1 },
};

/**
 * How an alarm turned out (a reason is always required: "curtain moved by wind");
 * `restored`: the detector's own restore ended it before anyone acknowledged it.
 */
export const ALARM_OUTCOMES = ['real', 'false', 'test', 'unfounded', 'restored'] as const;
export type AlarmOutcome = (typeof ALARM_OUTCOMES)[number];

/** Repeats from one device within this window fold into its open alarm (storms). */
export const STORM_WINDOW_MS = 60_000;

/** An alarm as boards show it, alongside its ticket. */
export interface AlarmView {
  deviceId: string;
  alarmKind: AlarmKind;
  severity: Severity;
  departments: Department[];
  /** Deliveries folded into this alarm (1 for a single one). */
  count: number;
  firstSeenAt: string;
  lastSeenAt: string;
  /** When the device saw it, by its own clock (null when it did not say); firstSeenAt is receipt. */
  occurredAt: string | null;
  outcome: AlarmOutcome | null;
  outcomeReason: string | null;
  /** When someone at the desk or a guard acknowledged it; until then the wallboard sounds it. */
  acknowledgedAt: string | null;
  /** A dispatcher's mute of the tone; it ends by itself at this time. */
  mutedUntil: string | null;
  /** When the detector reported back to normal (a restore), if it did while the alarm was open. */
  restoredAt: string | null;
  /** The procedure (SOP) it was opened under, with the steps done so far. */
  procedure: ProcedureView | null;
}

/**
 * Whether the wallboard sounds this alarm now: still at intake, nobody has acknowledged it,
 * and no mute is in force at `nowMs` (server time).
 */
export function alarmSounds(ticket: { kind: string; status: string; alarm: AlarmView | null }, nowMs: number): boolean {
  if (ticket.kind !== 'alarm' || !ticket.alarm || ticket.status !== 'received') return false;
  if (ticket.alarm.acknowledgedAt) return false;
  return !ticket.alarm.mutedUntil || Date.parse(ticket.alarm.mutedUntil) <= nowMs;
}

/** The ticket priority an alarm of this severity carries on the boards. */
export function priorityOfSeverity(severity: Severity): Priority {
  return severity >= 3 ? 'urgent' : severity === 2 ? 'high' : 'normal';
}

/** Statuses in which an alarm is still being handled (on the desk's banner). */
const ALARM_HANDLING = ['received', 'dispatched', 'accepted', 'on_site', 'waiting'] as const;

/** The alarm queue: open alarms, the most severe first, then the oldest (ARC practice). */
export function alarmQueue<T extends { kind: string; status: string; alarm: AlarmView | null }>(tickets: readonly T[]): T[] {
  return tickets
    .filter((ticket) => ticket.kind === 'alarm' && ticket.alarm && (ALARM_HANDLING as readonly string[]).includes(ticket.status))
    .sort((a, b) => (b.alarm?.severity ?? 0) - (a.alarm?.severity ?? 0) || Date.parse(a.alarm?.firstSeenAt ?? '') - Date.parse(b.alarm?.firstSeenAt ?? ''));
}

/**
 * How long an alarm has waited for pickup, and its colour against the targets: `waiting`
 * within 30 s, `late` past 30 s, `overdue` past 60 s, `picked` once acknowledged (then the
 * time it took).
 */
export function pickupAge(ticket: { alarm: AlarmView | null }, nowMs: number): { ms: number; phase: 'waiting' | 'late' | 'overdue' | 'picked' } {
  const alarm = ticket.alarm;
  if (!alarm) return { ms: 0, phase: 'picked' };
  const since = Date.parse(alarm.firstSeenAt);
  if (alarm.acknowledgedAt) return { ms: Date.parse(alarm.acknowledgedAt) - since, phase: 'picked' };
  const ms = nowMs - since;
  return { ms, phase: ms > 60_000 ? 'overdue' : ms > 30_000 ? 'late' : 'waiting' };
}
