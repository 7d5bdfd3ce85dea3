import type { Label } from './labels';
import type { Department } from './ticket';
import type { Role } from './roles';

/**
 * 工作日志: a person's day. Their own entries (what the record cannot know: a round of the car
 * park, a word with an owner in the lobby), with what the event log shows they did that day
 * (steps of tickets, procedure steps, archive changes, shifts), in time order. A day is the
 * estate's calendar day (its time zone), not UTC's.
 */
export interface WorkLogEntryView {
  at: string;
  /** `note`: written by the person; `record`: an event of the log they were the actor of. */
  source: 'note' | 'record';
  /** The note's text (notes only). */
  text: string | null;
  /** The event's type (records only): the console names it with EVENT_LABELS / ACTION_LABELS. */
  type: string | null;
  ticket: { id: string; number: string } | null;
}

export interface WorkLogView {
  /** `yyyy-MM-dd`, in the estate's time zone. */
  date: string;
  staff: { id: string; name: string; role: Role; department: Department | null };
  entries: WorkLogEntryView[];
  /** Tickets touched and steps taken (records), notes written. */
  counts: { tickets: number; records: number; notes: number };
}

/** A supervisor's view of the team's day: one line per person. */
export interface TeamDayLine {
  staff: { id: string; name: string; role: Role; department: Department | null };
  tickets: number;
  records: number;
  notes: number;
  onDuty: boolean;
}

/**
 * 单元大事记: what a unit has been through. Entered by the desk: the kinds below; read from the
 * record: the handover date (交房), owners moving in and out, tickets and alarms there.
 */
export const CHRONICLE_KINDS = ['decoration', 'major_repair', 'ownership', 'handover', 'other'] as const;
export type ChronicleKind = (typeof CHRONICLE_KINDS)[number];

export const CHRONICLE_KIND_LABELS: Record<ChronicleKind | 'ticket' | 'alarm' | 'resident', Label> = {
  decoration: { zh: '装修', en: 'Decoration' },
  major_repair: { zh: '重大维修', en: 'Major repair' },
  ownership: { zh: '产权变更', en: 'Change of owner' },
  handover: { zh: '交房', en: 'Handed over' },
  other: { zh: '其他', en: 'Other' },
  ticket: { zh: '报事', en: 'Ticket' },
  alarm: { zh: '报警', en: 'Alarm' },
  resident: { zh: '住户变动', en: 'Household change' },
};

export interface ChronicleEntryView {
  at: string;
  kind: ChronicleKind | 'ticket' | 'alarm' | 'resident';
  /** `entry`: written by the desk; otherwise where the record holds it. */
  source: 'entry' | 'unit' | 'archive' | 'ticket';
  note: string | null;
  by: string | null;
  ticket: { id: string; number: string; kind: string; category: string; status: string; priority: string } | null;
  /** For a resident change: which role moved in or out (never the person's name). */
  resident: { role: string; change: 'moved_in' | 'moved_out' } | null;
}

export interface UnitChronicle {
  unit: string;
  entries: ChronicleEntryView[];
}

/** A calendar day `yyyy-MM-dd` that exists (2026-02-30 does not). */
export function isCalendarDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const time = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(text);
}

/** The calendar day `days` after (or, negative, before) `day`, both `yyyy-MM-dd`. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** One formatter per time zone, made once: a report asks a zone's clock hundreds of times, and making a formatter costs far more than using it. */
const zoneClocks = new Map<string, Intl.DateTimeFormat>();

/** An instant as a time zone's clock shows it, field by field (two digits but the year; hours 00–23). */
export function clockIn(timeZone: string, at: Date): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string> {
  let clock = zoneClocks.get(timeZone);
  if (!clock) {
    clock = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    zoneClocks.set(timeZone, clock);
  }
  return Object.fromEntries(clock.formatToParts(at).map((part) => [part.type, part.value])) as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string>;
}

/** An instant as the estate's clock shows it, to the minute: `yyyy-MM-dd HH:mm` (a spreadsheet's time). */
export function minuteIn(timeZone: string, at: string | Date): string {
  const parts = clockIn(timeZone, new Date(at));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** Today in a time zone, as `yyyy-MM-dd`. */
export function dayIn(timeZone: string, at: Date): string {
  const parts = clockIn(timeZone, at);
  return `${parts.year}-${parts.month}-${parts.day}`;
}
