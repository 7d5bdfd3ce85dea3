import { describe, expect, it } from 'vitest';
import { eventTypeLabel } from './labels';
import { dayIn, isCalendarDay, minuteIn } from './records';

describe('the days of the work log', () => {
  it('a day is the estate\'s: 23:30 UTC is already tomorrow in Shanghai', () => {
    expect(dayIn('Asia/Shanghai', new Date('2026-11-23T23:30:00Z'))).toBe('2026-11-24');
    expect(dayIn('Asia/Shanghai', new Date('2026-11-23T15:59:59Z'))).toBe('2026-11-23');
    expect(dayIn('UTC', new Date('2026-11-23T23:30:00Z'))).toBe('2026-11-23');
  });
  it('a spreadsheet\'s time is the estate\'s clock, to the minute, midnight as 00 (not 24)', () => {
    expect(minuteIn('Asia/Shanghai', '2026-11-23T23:30:59.900Z')).toBe('2026-11-24 07:30');
    expect(minuteIn('Asia/Shanghai', '2026-11-23T16:00:00Z')).toBe('2026-11-24 00:00');
    expect(minuteIn('UTC', new Date('2026-11-23T09:05:00Z'))).toBe('2026-11-23 09:05');
  });
  it('takes only days that exist', () => {
    expect(isCalendarDay('2026-11-24')).toBe(true);
    expect(isCalendarDay('2028-02-29')).toBe(true);
    expect(isCalendarDay('2026-02-29')).toBe(false);
    expect(isCalendarDay('2026-13-01')).toBe(false);
    expect(isCalendarDay('24/11/2026')).toBe(false);
  });
});

describe('naming what the record shows someone did', () => {
  it('a step by its action, an alarm step by its own name, any other event by its label', () => {
    expect(eventTypeLabel('ticket.accept')).toEqual({ zh: '接单', en: expect.any(String) });
    expect(eventTypeLabel('alarm.step_done')?.zh).toBeTruthy();
    expect(eventTypeLabel('resident.verified')).toEqual({ zh: '档案核对', en: 'Record verified' });
    expect(eventTypeLabel('no.such')).toBeNull();
  });
});

