import { type BusinessCalendar, CATEGORY_CODES, type Category, WEEKDAYS, type WarrantyYears } from '@dispatch/domain';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { InvalidInputException } from '../common/errors';

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be a local time HH:mm');
const interval = z
  .tuple([time, time])
  .refine(([from, to]) => from < to, 'must open before it closes');
const hours = z.array(interval).max(4, 'at most four opening intervals a day');
const date = z.string().refine((value) => /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value).isValid, 'must be a date yyyy-MM-dd');
const dates = z.array(date).max(2000, 'at most 2,000 dates');

/** An estate calendar as an admin sends it (the time zone is the estate's own, not edited here). */
const calendarSchema = z
  .object({
    weekly: z.object(Object.fromEntries(WEEKDAYS.map((day) => [String(day), hours.optional()]))).strict(),
    holidays: dates,
    workdays: dates.optional(),
    workdayHours: hours.optional(),
  })
  .strict()
  .refine((calendar) => Object.values(calendar.weekly).some((day) => (day?.length ?? 0) > 0), { message: 'must open on at least one weekday', path: ['weekly'] })
  .refine((calendar) => !(calendar.workdays ?? []).some((day) => calendar.holidays.includes(day)), { message: 'a date cannot be both a holiday and a working day', path: ['workdays'] });

const warrantySchema = z
  .object(Object.fromEntries(CATEGORY_CODES.map((category) => [category, z.number().int().min(0).max(30).optional()])))
  .strict();

/** zod's first problem, as the api's field error (`calendar.weekly.1.0: must be a local time HH:mm`). */
function refuse(prefix: string, error: z.ZodError): never {
  throw new InvalidInputException(
    error.issues.slice(0, 10).map((issue) => ({ field: [prefix, ...issue.path.map(String)].join('.'), reason: issue.code === 'unrecognized_keys' ? `unknown ${issue.keys.join(', ')}` : issue.message })),
  );
}

export function parseCalendar(input: unknown, timezone: string): BusinessCalendar {
  const parsed = calendarSchema.safeParse(input);
  if (!parsed.success) refuse('calendar', parsed.error);
  const { weekly, holidays, workdays, workdayHours } = parsed.data;
  return {
    timezone,
    weekly: Object.fromEntries(Object.entries(weekly).filter(([, day]) => day !== undefined)) as BusinessCalendar['weekly'],
    holidays: [...new Set(holidays)].sort(),
    workdays: [...new Set(workdays ?? [])].sort(),
    ...(workdayHours ? { workdayHours } : {}),
  };
}

export function parseWarrantyYears(input: unknown): WarrantyYears {
  const parsed = warrantySchema.safeParse(input);
  if (!parsed.success) refuse('warrantyYears', parsed.error);
  return Object.fromEntries(Object.entries(parsed.data).filter(([, years]) => years !== undefined)) as Partial<Record<Category, number>>;
}
