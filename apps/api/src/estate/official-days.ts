import type { BusinessCalendar } from '@dispatch/domain';
import officialSchedule from 'chinese-days/dist/chinese-days.json';

/**
 * The State Council's holiday schedule (法定节假日 and 调休 make-up working days), from the
 * maintained `chinese-days` data: a new year's schedule arrives with a package update and is
 * taken into an estate's calendar by an admin (or on first start for the years present).
 */
interface OfficialSchedule {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

const SCHEDULE = officialSchedule as OfficialSchedule;

/** Years the bundled data covers, ascending. */
export function officialYears(): number[] {
  return [...new Set(Object.keys(SCHEDULE.holidays).map((date) => Number(date.slice(0, 4))))].sort((a, b) => a - b);
}

/** One year's holidays and make-up working days, as local dates; null when the data has no schedule for it. */
export function officialDays(year: number): { holidays: string[]; workdays: string[] } | null {
  const prefix = `${year}-`;
  const holidays = Object.keys(SCHEDULE.holidays).filter((date) => date.startsWith(prefix)).sort();
  if (holidays.length === 0) return null;
  const workdays = Object.keys(SCHEDULE.workdays).filter((date) => date.startsWith(prefix)).sort();
  return { holidays, workdays };
}

/** The calendar with one year's official days in place of whatever it had for that year. */
export function withOfficialYear(calendar: BusinessCalendar, year: number): BusinessCalendar | null {
  const days = officialDays(year);
  if (!days) return null;
  const prefix = `${year}-`;
  const keep = (dates: readonly string[] | undefined) => (dates ?? []).filter((date) => !date.startsWith(prefix));
  return {
    ...calendar,
    holidays: [...keep(calendar.holidays), ...days.holidays].sort(),
    workdays: [...keep(calendar.workdays), ...days.workdays].sort(),
  };
}

/** The calendar with the official days of last year onward, as far as the data goes (a new estate, a migration). */
export function withRecentOfficialYears(calendar: BusinessCalendar, now: Date = new Date()): BusinessCalendar {
  const from = now.getUTCFullYear() - 1;
  return officialYears()
    .filter((year) => year >= from)
    .reduce((current, year) => withOfficialYear(current, year) ?? current, calendar);
}
