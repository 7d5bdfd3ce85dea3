import { addBusinessTime, type BusinessCalendar } from './business-time';
import type { Department, Priority, TicketKind } from './ticket';

/**
 * The deadlines a ticket runs against, each a clock of its own.
 * `agreed` is the time agreed with the owner while a ticket waits: it replaces the stage clock.
 */
export const CLOCK_KINDS = [
  'ack',
  'dispatch',
  'contact',
  'arrival',
  'report_on_site',
  'report_done',
  'callback',
  'reply',
  'resolve',
  'agreed',
] as const;
export type ClockKind = (typeof CLOCK_KINDS)[number];

/** One row of the policy table: which tickets (null = any) get which clock, and how long it runs. */
export interface SlaPolicy {
  id: string;
  clock: ClockKind;
  kind: TicketKind | null;
  department: Department | null;
  inUnit: boolean | null;
  inWarranty: boolean | null;
  priority: Priority | null;
  durationSeconds: number;
  /** Runs on the estate's calendar instead of 24/7. */
  businessHours: boolean;
  /** Share of the allowed time after which `sla.warning` fires. */
  warningShare: number;
  /** After a breach, how long until the project manager is told. */
  escalationSeconds: number;
}

export type SlaPolicySeed = Omit<SlaPolicy, 'id'>;

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const any = { kind: null, department: null, inUnit: null, inWarranty: null, priority: null } as const;
const defaults = { businessHours: false, warningShare: 0.8, escalationSeconds: 10 * MINUTE } as const;

/**
 * The seeds' deadlines, as data (an admin edits them over the api). `businessHours` false is
 * calendar time: security and alarms work round the clock; only routine callbacks and replies
 * wait for the estate's opening hours.
 */
export const DEFAULT_SLA_POLICIES: readonly SlaPolicySeed[] = [
  // An alarm is acknowledged by a dispatcher within 30 s (US fire monitoring allows 90 s to retransmit).
  { ...defaults, ...any, clock: 'ack', kind: 'alarm', durationSeconds: 30, escalationSeconds: 2 * MINUTE },
  // A repair is entered and its dispatch slip issued within 1 minute; so is any report needing a hand.
  ...(['repair', 'complaint', 'help', 'alarm'] as const).map((kind) => ({ ...defaults, ...any, clock: 'dispatch' as const, kind, durationSeconds: 1 * MINUTE })),
  // Any request: first contact with the owner within 15 minutes (5 when urgent).
  { ...defaults, ...any, clock: 'contact', durationSeconds: 15 * MINUTE },
  { ...defaults, ...any, clock: 'contact', priority: 'urgent', durationSeconds: 5 * MINUTE },
  // On site, only where someone goes: 5 minutes for security, alarms, urgent work and in-unit
  // repairs under warranty; 30 otherwise. Inquiries, suggestions and praise are answered at the desk.
  ...(['repair', 'complaint', 'help'] as const).map((kind) => ({ ...defaults, ...any, clock: 'arrival' as const, kind, durationSeconds: 30 * MINUTE })),
  { ...defaults, ...any, clock: 'arrival', department: 'security', durationSeconds: 5 * MINUTE },
  { ...defaults, ...any, clock: 'arrival', kind: 'alarm', durationSeconds: 5 * MINUTE },
  { ...defaults, ...any, clock: 'arrival', kind: 'repair', inUnit: true, inWarranty: true, durationSeconds: 5 * MINUTE },
  { ...defaults, ...any, clock: 'arrival', priority: 'urgent', durationSeconds: 5 * MINUTE },
  // Report to the centre within 5 minutes of arriving (completing is the report of finishing).
  { ...defaults, ...any, clock: 'report_on_site', durationSeconds: 5 * MINUTE },
  // Call the owner back: 2 hours after a repair (business hours); security and alarms within
  // 1 hour round the clock (seed 001: called back that night); sooner by urgency.
  { ...defaults, ...any, clock: 'callback', businessHours: true, durationSeconds: 2 * HOUR },
  { ...defaults, ...any, clock: 'callback', department: 'security', durationSeconds: 1 * HOUR },
  { ...defaults, ...any, clock: 'callback', kind: 'alarm', durationSeconds: 1 * HOUR },
  { ...defaults, ...any, clock: 'callback', priority: 'urgent', durationSeconds: 30 * MINUTE },
  // Business requests answered within 1 hour; general management issues closed within one
  // week: 7 calendar days (一周), not 168 business hours.
  { ...defaults, ...any, clock: 'reply', kind: 'inquiry', businessHours: true, durationSeconds: 1 * HOUR },
  ...(['complaint', 'suggestion'] as const).map((kind) => ({ ...defaults, ...any, clock: 'resolve' as const, kind, durationSeconds: 7 * 24 * HOUR })),
];

export interface PolicyTicketFacts {
  kind: TicketKind;
  department: Department;
  priority: Priority;
  repair: { inUnit: boolean; inWarranty: boolean } | null;
}

/**
 * The policy for one clock of one ticket: among the rows whose every set key matches, the
 * most specific (most keys set) wins, and among equally specific ones the strictest (an
 * urgent row shortens a department's); null when no row applies (the clock does not run).
 * A complaint that carries repair work (a repair reported twice) also matches the repair rows.
 */
export function resolvePolicy<P extends SlaPolicySeed>(policies: readonly P[], clock: ClockKind, ticket: PolicyTicketFacts): P | null {
  const matches = (value: unknown, wanted: unknown) => wanted === null || value === wanted;
  let best: P | null = null;
  let bestScore = -1;
  for (const policy of policies) {
    if (policy.clock !== clock) continue;
    const kind = policy.kind === 'repair' && ticket.kind === 'complaint' && ticket.repair ? 'repair' : ticket.kind;
    const keys: Array<[unknown, unknown]> = [
      [kind, policy.kind],
      [ticket.department, policy.department],
      [ticket.repair?.inUnit ?? null, policy.inUnit],
      [ticket.repair?.inWarranty ?? null, policy.inWarranty],
      [ticket.priority, policy.priority],
    ];
    if (!keys.every(([value, wanted]) => matches(value, wanted))) continue;
    const score = keys.filter(([, wanted]) => wanted !== null).length;
    if (score > bestScore || (score === bestScore && best !== null && policy.durationSeconds < best.durationSeconds)) {
      best = policy;
      bestScore = score;
    }
  }
  return best;
}

export interface ClockSchedule {
  startedAt: Date;
  warnAt: Date;
  dueAt: Date;
  escalateAt: Date;
}

/** When a clock started at `startedAt` under `policy` warns, falls due and escalates (real wall-clock moments). */
export function scheduleClock(policy: SlaPolicySeed, startedAt: Date, calendar: BusinessCalendar): ClockSchedule {
  const allowedMs = policy.durationSeconds * 1000;
  const after = (from: Date, ms: number) => (policy.businessHours ? addBusinessTime(from, ms, calendar) : new Date(from.getTime() + ms));
  const dueAt = after(startedAt, allowedMs);
  return {
    startedAt,
    warnAt: after(startedAt, Math.round(allowedMs * policy.warningShare)),
    dueAt,
    escalateAt: after(dueAt, policy.escalationSeconds * 1000),
  };
}
