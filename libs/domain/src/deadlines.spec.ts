import { describe, expect, it } from 'vitest';
import { countdownPhase, DAY_HOUR_UNITS, dispatchDeadline, fieldClock, formatCountdown, nextClock, remainingMs } from './deadlines';
import { clockOffsetMs } from './server-clock';
import { defaultDepartment } from './ticket';

describe('dispatch deadline', () => {
  it('is one minute after receipt (seed rule: dispatch slip within 1 minute)', () => {
    const receivedAt = new Date('2026-11-23T12:33:10.250Z');
    expect(dispatchDeadline(receivedAt).toISOString()).toBe('2026-11-23T12:34:10.250Z');
  });
});

describe('countdownPhase', () => {
  const clock = { startedAt: '2026-11-23T12:00:00.000Z', dueAt: '2026-11-23T12:01:00.000Z' };
  const at = (iso: string) => Date.parse(iso);

  it.each([
    ['2026-11-23T12:00:00.000Z', 'ok'],
    ['2026-11-23T12:00:47.999Z', 'ok'],
    ['2026-11-23T12:00:48.000Z', 'warning'],
    ['2026-11-23T12:00:59.999Z', 'warning'],
    ['2026-11-23T12:01:00.000Z', 'breached'],
    ['2026-11-23T13:00:00.000Z', 'breached'],
  ])('at %s is %s', (now, phase) => {
    expect(countdownPhase(clock, at(now))).toBe(phase);
  });

  it('honours another warning share', () => {
    expect(countdownPhase(clock, at('2026-11-23T12:00:30.000Z'), 0.5)).toBe('warning');
    expect(countdownPhase(clock, at('2026-11-23T12:00:29.000Z'), 0.5)).toBe('ok');
  });

  it('is met once the stage was done, even after the due time', () => {
    expect(countdownPhase({ ...clock, metAt: '2026-11-23T12:00:40.000Z' }, at('2026-11-23T12:05:00.000Z'))).toBe('met');
  });

  it('remainingMs goes negative once overdue', () => {
    expect(remainingMs(clock, at('2026-11-23T12:00:15.000Z'))).toBe(45_000);
    expect(remainingMs(clock, at('2026-11-23T12:01:02.000Z'))).toBe(-2_000);
  });
});

describe('formatCountdown', () => {
  it.each([
    [60_000, '1:00'],
    [60_900, '1:00'],
    [59_800, '0:59'],
    [9_000, '0:09'],
    [0, '0:00'],
    [-400, '+0:00'],
    [-1_000, '+0:01'],
    [-65_000, '+1:05'],
    [3_723_000, '1:02:03'],
    [-7_200_000, '+2:00:00'],
    [86_399_000, '23:59:59'],
    [86_400_000, '1天0时'],
    [(2 * 24 + 3) * 3_600_000 + 59 * 60_000, '2天3时'],
    [-(13 * 24 + 18) * 3_600_000 - 35 * 60_000, '+13天18时'],
  ])('%i ms reads %s', (ms, text) => {
    expect(formatCountdown(ms)).toBe(text);
  });

  it('names days and hours in English on the English board', () => {
    expect(formatCountdown((2 * 24 + 3) * 3_600_000, DAY_HOUR_UNITS.en)).toBe('2d 3h');
  });
});

describe('clockOffsetMs', () => {
  it('corrects a browser running 5 s slow, from the midpoint of the round trip', () => {
    // Sent at local 1000, answered at local 1200; the server stamped 6100 in between.
    expect(clockOffsetMs(6_100, 1_000, 1_200)).toBe(5_000);
  });
  it('is negative for a browser running fast', () => {
    expect(clockOffsetMs(10_000, 12_000, 12_000)).toBe(-2_000);
  });
});

describe('defaultDepartment', () => {
  it.each([
    ['repair', 'water_leak', 'engineering'],
    ['repair', 'greenery', 'landscaping'],
    ['repair', 'other', 'engineering'],
    ['help', 'security', 'security'],
    ['complaint', 'noise', 'customer_service'],
    ['inquiry', 'parking', 'customer_service'],
  ] as const)('%s about %s goes to %s', (kind, category, department) => {
    expect(defaultDepartment(kind, category)).toBe(department);
  });
});

describe('nextClock', () => {
  it('is the running or breached clock due soonest; met and cancelled ones do not count', () => {
    const clocks = [
      { clock: 'contact', state: 'running', dueAt: '2026-11-23T01:15:00.000Z' },
      { clock: 'dispatch', state: 'met', dueAt: '2026-11-23T01:01:00.000Z' },
      { clock: 'arrival', state: 'breached', dueAt: '2026-11-23T01:06:00.000Z' },
      { clock: 'agreed', state: 'cancelled', dueAt: '2026-11-23T01:00:00.000Z' },
    ];
    expect(nextClock(clocks)?.clock).toBe('arrival');
    expect(nextClock(clocks.filter((clock) => clock.clock !== 'arrival'))?.clock).toBe('contact');
    expect(nextClock([{ state: 'met', dueAt: '2026-11-23T01:01:00.000Z' }])).toBeUndefined();
  });
});

describe('fieldClock', () => {
  const clock = (kind: string, dueAt: string, state = 'running') => ({ clock: kind, dueAt, state });
  const clocks = [clock('contact', '2026-11-23T10:10:00Z'), clock('arrival', '2026-11-23T10:20:00Z'), clock('report_on_site', '2026-11-23T10:30:00Z', 'cancelled')];

  it('shows the worker\'s own stage clock even when another is due sooner', () => {
    expect(fieldClock('accepted', clocks)?.clock).toBe('arrival');
    expect(fieldClock('on_site', [...clocks.slice(0, 2), clock('report_on_site', '2026-11-23T10:40:00Z')])?.clock).toBe('report_on_site');
  });

  it('falls back to the clock due soonest when the stage has none running', () => {
    expect(fieldClock('on_site', clocks)?.clock).toBe('contact');
    expect(fieldClock('received', clocks)?.clock).toBe('contact');
  });
});
