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

/** How an alarm turned out (a reason is always required: "curtain moved by wind"). */
export const ALARM_OUTCOMES = ['real', 'false', 'test', 'unfounded'] as const;
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
