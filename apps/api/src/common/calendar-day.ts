import { dayIn, isCalendarDay } from '@dispatch/domain';
import { invalidField } from './errors';

/** A day a request names (`yyyy-MM-dd`), refused (400, naming the field) unless the calendar has it. */
export function calendarDay(text: string, field = 'date'): string {
  if (!isCalendarDay(text)) throw invalidField(field, 'is not a day of the calendar');
  return text;
}

/** The day a request names, or today in the estate's time zone when it names none. */
export function dayOrToday(text: string | undefined, timeZone: string): string {
  return text === undefined ? dayIn(timeZone, new Date()) : calendarDay(text);
}
