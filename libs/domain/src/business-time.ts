import { DateTime } from 'luxon';

export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;
export const WEEKDAYS: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 7];

/** Opening hours as local `HH:mm` pairs; ISO weekday 1 = Monday … 7 = Sunday. */
export interface BusinessCalendar {
  timezone: string;
  weekly: Partial<Record<Weekday, Array<[string, string]>>>;
  /** Local dates (`yyyy-MM-dd`) the centre does not count as business time (法定节假日). */
  holidays: string[];
  /**
   * Make-up working days (调休上班): weekend dates worked in exchange for a longer holiday.
   * They count with `workdayHours` even when the weekly table has no hours for that weekday.
   */
  workdays?: string[];
  /** The hours of a make-up working day; absent: Monday's. */
  workdayHours?: Array<[string, string]>;
}

/** The demo estate's calendar: the service desk answers owners 08:00–20:00 every day but holidays. */
export const DEFAULT_CALENDAR: BusinessCalendar = {
  timezone: 'Asia/Shanghai',
  weekly: { 1: [['08:00', '20:00']], 2: [['08:00', '20:00']], 3: [['08:00', '20:00']], 4: [['08:00', '20:00']], 5: [['08:00', '20:00']], 6: [['08:00', '20:00']], 7: [['08:00', '20:00']] },
  holidays: ['2026-10-01', '2026-10-02', '2026-10-03', '2027-01-01', '2027-02-06', '2027-02-07', '2027-02-08'],
};

const MAX_DAYS_SEARCHED = 400;

/** The open intervals of one local day, as UTC instants. */
function openIntervals(day: DateTime, calendar: BusinessCalendar): Array<[number, number]> {
  const date = day.toFormat('yyyy-MM-dd');
  if (calendar.holidays.includes(date)) return [];
  const weekly = calendar.weekly[day.weekday as Weekday] ?? [];
  const hours = weekly.length === 0 && calendar.workdays?.includes(date) ? (calendar.workdayHours ?? calendar.weekly[1] ?? []) : weekly;
  return hours.map(([from, to]) => {
    const [fh, fm] = from.split(':').map(Number);
    const [th, tm] = to.split(':').map(Number);
    return [day.set({ hour: fh, minute: fm, second: 0, millisecond: 0 }).toMillis(), day.set({ hour: th, minute: tm, second: 0, millisecond: 0 }).toMillis()];
  });
}

/**
 * The wall-clock moment `durationMs` of business time after `start`: time outside opening
 * hours and on holidays does not count. A clock started at 19:50 with an hour to run is due
 * at 08:50 the next open day, so no owner is called back at 23:00.
 */
export function addBusinessTime(start: Date, durationMs: number, calendar: BusinessCalendar): Date {
  let remaining = durationMs;
  let day = DateTime.fromJSDate(start, { zone: calendar.timezone }).startOf('day');
  const startMs = start.getTime();
  for (let i = 0; i < MAX_DAYS_SEARCHED; i++, day = day.plus({ days: 1 })) {
    for (const [open, close] of openIntervals(day, calendar)) {
      const from = Math.max(open, startMs);
      if (from >= close) continue;
      if (from + remaining <= close) return new Date(from + remaining);
      remaining -= close - from;
    }
  }
  throw new Error(`the calendar has no business time within ${MAX_DAYS_SEARCHED} days`);
}

/** Business time elapsed between two instants (for the warning share of a business-hours clock). */
export function businessTimeBetween(from: Date, to: Date, calendar: BusinessCalendar): number {
  let total = 0;
  let day = DateTime.fromJSDate(from, { zone: calendar.timezone }).startOf('day');
  const end = to.getTime();
  for (let i = 0; i < MAX_DAYS_SEARCHED && day.toMillis() < end; i++, day = day.plus({ days: 1 })) {
    for (const [open, close] of openIntervals(day, calendar)) {
      const a = Math.max(open, from.getTime());
      const b = Math.min(close, end);
      if (b > a) total += b - a;
    }
  }
  return total;
}
