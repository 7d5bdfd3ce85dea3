import type { Role } from './roles';
import type { Department } from './ticket';

/** An unsigned handover this long into the shift alerts the customer-service supervisor. */
export const HANDOVER_SIGN_WITHIN_MS = 15 * 60_000;
/** Promises that fall in the next shift: this far ahead of the handover. */
export const HANDOVER_HORIZON_MS = 12 * 3_600_000;

/** What the outgoing desk shift passes on (交接班), drafted from the record. */
export interface HandoverDraft {
  draftedAt: string;
  /** Tickets still open, the next deadline first. */
  open: Array<{ id: string; number: string; location: string; status: string; department: Department; nextDueAt: string | null }>;
  /** Promised to owners within the next shift: agreed times and callbacks falling due. */
  promises: Array<{ id: string; number: string; location: string; what: 'agreed' | 'callback'; dueAt: string }>;
  /** Alarms whose tone is muted now. */
  mutedAlarms: Array<{ id: string; number: string; location: string; mutedUntil: string }>;
  devicesOffline: Array<{ id: string; name: string; offlineSince: string }>;
}

export interface HandoverView {
  id: string;
  department: Department;
  draft: HandoverDraft;
  notes: string | null;
  submittedBy: { id: string; name: string };
  submittedAt: string;
  signedBy: { id: string; name: string } | null;
  signedAt: string | null;
  signNote: string | null;
  /** When the supervisor was alerted that nobody had signed it. */
  alertedAt: string | null;
}

/** Whether a handover submitted at `submittedAt` is overdue for signing at `nowMs`. */
export function handoverOverdue(handover: { submittedAt: string; signedAt: string | null }, nowMs: number): boolean {
  return !handover.signedAt && nowMs - Date.parse(handover.submittedAt) >= HANDOVER_SIGN_WITHIN_MS;
}

/**
 * 排班: who is planned on which shift of a day, per department, with its times in the
 * estate's clock (`08:00`–`20:00`; an end at or before the start is the next day's: a night
 * shift, or with the same time a 24-hour one). Being on duty is still each person's own 上班/下班; the roster says who should be.
 */
export interface RosterShift {
  id: string;
  staff: { id: string; name: string };
  department: Department;
  /** The estate's day the shift starts on, `yyyy-MM-dd`. */
  date: string;
  start: string;
  end: string;
  startsAt: string;
  endsAt: string;
}

/** GET /api/rosters: a day's shifts and who can be on a roster. */
export interface RosterDay {
  date: string;
  shifts: RosterShift[];
  people: Array<{ id: string; name: string; role: Role; department: Department }>;
}

/** Most shifts one person has on one day. */
export const MAX_SHIFTS_PER_DAY = 3;

/** `HH:mm` on the 24-hour clock. */
export function isClockTime(text: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(text);
}

/** Minutes since midnight of `HH:mm`. */
export function minutesOf(text: string): number {
  const [hours, minutes] = text.split(':').map(Number);
  return hours * 60 + minutes;
}

/**
 * Why a department's shifts for a day cannot stand as given, or null: bad times, more than
 * MAX_SHIFTS_PER_DAY for one person, or one person's shifts overlapping (a night shift runs
 * into the next day).
 */
export function rosterProblem(shifts: ReadonlyArray<{ staffId: string; start: string; end: string }>): { index: number; field: 'start' | 'end' | 'staffId'; reason: string } | null {
  const spans = new Map<string, Array<[number, number, number]>>();
  for (const [index, shift] of shifts.entries()) {
    if (!isClockTime(shift.start)) return { index, field: 'start', reason: 'must be a time like 08:00' };
    if (!isClockTime(shift.end)) return { index, field: 'end', reason: 'must be a time like 20:00' };
    const from = minutesOf(shift.start);
    // An end at or before the start is the next day's: 08:00–08:00 is a 24-hour shift (24小时值班).
    const to = minutesOf(shift.end) <= from ? minutesOf(shift.end) + 24 * 60 : minutesOf(shift.end);
    const mine = spans.get(shift.staffId) ?? [];
    if (mine.length >= MAX_SHIFTS_PER_DAY) return { index, field: 'staffId', reason: `at most ${MAX_SHIFTS_PER_DAY} shifts a day for one person` };
    const clash = mine.find(([otherFrom, otherTo]) => from < otherTo && otherFrom < to);
    if (clash) return { index, field: 'start', reason: `overlaps the same person's shift ${clash[2] + 1}` };
    mine.push([from, to, index]);
    spans.set(shift.staffId, mine);
  }
  return null;
}

/** Whether any of these shifts covers the moment `nowMs`. */
export function onRosterAt(shifts: ReadonlyArray<{ startsAt: string; endsAt: string }>, nowMs: number): boolean {
  return shifts.some((shift) => Date.parse(shift.startsAt) <= nowMs && nowMs < Date.parse(shift.endsAt));
}
