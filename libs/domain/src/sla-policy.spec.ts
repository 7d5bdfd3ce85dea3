import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addBusinessTime, type BusinessCalendar, businessTimeBetween, DEFAULT_CALENDAR } from './business-time';
import { countdownPhase } from './deadlines';
import { roomsForEvent } from './roles';
import { clockPlan } from './sla-lifecycle';
import { DEFAULT_SLA_POLICIES, type PolicyTicketFacts, resolvePolicy, scheduleClock } from './sla-policy';

const repairInUnit: PolicyTicketFacts = { kind: 'repair', department: 'engineering', priority: 'normal', repair: { inUnit: true, inWarranty: true, paid: false } as never };
const minutesOf = (clock: Parameters<typeof resolvePolicy>[1], ticket: PolicyTicketFacts) => {
  const policy = resolvePolicy(DEFAULT_SLA_POLICIES, clock, ticket);
  return policy ? policy.durationSeconds / 60 : null;
};

describe('policy resolution (the seeds\' deadlines)', () => {
  it.each([
    ['dispatch', repairInUnit, 1],
    ['contact', repairInUnit, 15],
    ['arrival', repairInUnit, 5],
    ['arrival', { ...repairInUnit, repair: { inUnit: true, inWarranty: false } }, 30],
    ['arrival', { ...repairInUnit, repair: { inUnit: false, inWarranty: false } }, 30],
    ['arrival', { kind: 'help', department: 'security', priority: 'urgent', repair: null }, 5],
    ['report_on_site', repairInUnit, 5],
    // Completing is the report of finishing: no separate finish-report clock.
    ['report_done', repairInUnit, null],
    ['callback', repairInUnit, 120],
    ['callback', { kind: 'help', department: 'security', priority: 'normal', repair: null }, 60],
    // Urgency shortens: arrival, contact and callback.
    ['arrival', { ...repairInUnit, priority: 'urgent', repair: { inUnit: false, inWarranty: false } }, 5],
    ['contact', { ...repairInUnit, priority: 'urgent' }, 5],
    ['callback', { ...repairInUnit, priority: 'urgent' }, 30],
    ['callback', { kind: 'help', department: 'security', priority: 'urgent', repair: null }, 30],
    // Nobody goes on site for an inquiry, a suggestion or praise.
    ['arrival', { kind: 'suggestion', department: 'customer_service', priority: 'normal', repair: null }, null],
    ['arrival', { kind: 'inquiry', department: 'customer_service', priority: 'normal', repair: null }, null],
    // A repair reported twice is a complaint that keeps the repair's clocks, and gets the complaint's week.
    ['arrival', { ...repairInUnit, kind: 'complaint', department: 'customer_service' }, 5],
    ['resolve', { ...repairInUnit, kind: 'complaint', department: 'customer_service' }, 7 * 24 * 60],
    ['reply', { kind: 'inquiry', department: 'customer_service', priority: 'normal', repair: null }, 60],
    ['resolve', { kind: 'complaint', department: 'customer_service', priority: 'normal', repair: null }, 7 * 24 * 60],
    ['dispatch', { kind: 'inquiry', department: 'customer_service', priority: 'normal', repair: null }, null],
    ['reply', repairInUnit, null],
  ] as const)('%s for %o: %s min', (clock, ticket, minutes) => {
    expect(minutesOf(clock, ticket as PolicyTicketFacts)).toBe(minutes);
  });

  it('counts security, alarm callbacks and the one-week resolution in calendar time; routine callbacks and replies in business hours', () => {
    const calendarTime = (clock: Parameters<typeof resolvePolicy>[1], ticket: PolicyTicketFacts) => !resolvePolicy(DEFAULT_SLA_POLICIES, clock, ticket)?.businessHours;
    expect(calendarTime('callback', { kind: 'alarm', department: 'security', priority: 'high', repair: null })).toBe(true);
    expect(calendarTime('callback', { kind: 'help', department: 'security', priority: 'normal', repair: null })).toBe(true);
    expect(calendarTime('resolve', { kind: 'complaint', department: 'customer_service', priority: 'normal', repair: null })).toBe(true);
    expect(calendarTime('callback', repairInUnit)).toBe(false);
    expect(calendarTime('reply', { kind: 'inquiry', department: 'customer_service', priority: 'normal', repair: null })).toBe(false);
  });

  it('one week is 7 calendar days: a complaint logged Tuesday 01:24 is due the next Tuesday 01:24', () => {
    const policy = resolvePolicy(DEFAULT_SLA_POLICIES, 'resolve', { kind: 'complaint', department: 'customer_service', priority: 'normal', repair: null })!;
    const logged = new Date('2026-11-24T01:24:00+08:00');
    expect(scheduleClock(policy, logged, DEFAULT_CALENDAR).dueAt.toISOString()).toBe(new Date('2026-12-01T01:24:00+08:00').toISOString());
  });

  it('prefers the row with more keys set, whatever the order of the table', () => {
    const reversed = [...DEFAULT_SLA_POLICIES].reverse();
    expect(resolvePolicy(reversed, 'arrival', repairInUnit)?.durationSeconds).toBe(300);
  });
});

const calendar: BusinessCalendar = {
  timezone: 'Asia/Shanghai',
  weekly: { 1: [['08:00', '12:00'], ['13:00', '18:00']], 2: [['08:00', '18:00']], 3: [['08:00', '18:00']], 4: [['08:00', '18:00']], 5: [['08:00', '18:00']] },
  holidays: ['2026-10-01'],
};
const at = (local: string) => new Date(`${local}+08:00`);

describe('business time on the estate\'s calendar', () => {
  it.each([
    ['inside hours', '2026-11-24T09:00:00', 60, '2026-11-24T10:00:00'],
    ['runs over closing into the next morning', '2026-11-24T17:30:00', 60, '2026-11-25T08:30:00'],
    ['started at night, counts from opening', '2026-11-24T23:00:00', 60, '2026-11-25T09:00:00'],
    ['skips the lunch break', '2026-11-23T11:30:00', 60, '2026-11-23T13:30:00'],
    ['skips the weekend', '2026-11-27T17:00:00', 120, '2026-11-30T09:00:00'],
    ['skips a holiday', '2026-09-30T17:00:00', 120, '2026-10-02T09:00:00'],
  ])('%s', (_name, start, minutes, due) => {
    expect(addBusinessTime(at(start), minutes * 60_000, calendar).toISOString()).toBe(at(due).toISOString());
  });

  it('measures business time between two instants', () => {
    expect(businessTimeBetween(at('2026-11-24T17:30:00'), at('2026-11-25T08:30:00'), calendar)).toBe(60 * 60_000);
  });

  it('schedules a business-hours callback so no owner is called back at 23:00', () => {
    const policy = resolvePolicy(DEFAULT_SLA_POLICIES, 'callback', repairInUnit)!;
    const schedule = scheduleClock(policy, at('2026-11-24T19:00:00'), DEFAULT_CALENDAR);
    expect(schedule.dueAt.toISOString()).toBe(at('2026-11-25T09:00:00').toISOString());
    // The warning at 80 % of the two hours (96 min) also falls in business time.
    expect(schedule.warnAt.toISOString()).toBe(at('2026-11-25T08:36:00').toISOString());
    expect(schedule.escalateAt.toISOString()).toBe(at('2026-11-25T09:10:00').toISOString());
  });

  it('schedules an emergency clock 24/7', () => {
    const policy = resolvePolicy(DEFAULT_SLA_POLICIES, 'dispatch', repairInUnit)!;
    const schedule = scheduleClock(policy, at('2026-10-01T23:59:30'), DEFAULT_CALENDAR);
    expect(schedule.dueAt.toISOString()).toBe(at('2026-10-02T00:00:30').toISOString());
    expect(schedule.warnAt.toISOString()).toBe(at('2026-10-02T00:00:18').toISOString());
  });
});

/**
 * An office on official working days (Monday to Friday 08:30-17:30), with the State
 * Council's 2025/2026 schedule: New Year 2026 off on 1-3 January, Sunday 4 January worked
 * (调休); Spring Festival 2026 off 15-23 February, Saturdays 14 and 28 February worked.
 */
const office: BusinessCalendar = {
  timezone: 'Asia/Shanghai',
  weekly: { 1: [['08:30', '17:30']], 2: [['08:30', '17:30']], 3: [['08:30', '17:30']], 4: [['08:30', '17:30']], 5: [['08:30', '17:30']] },
  holidays: ['2026-01-01', '2026-01-02', '2026-01-03', ...['15', '16', '17', '18', '19', '20', '21', '22', '23'].map((day) => `2026-02-${day}`)],
  workdays: ['2026-01-04', '2026-02-14', '2026-02-28'],
};

describe('business time on a Chinese calendar: holidays and make-up working days (调休)', () => {
  it.each([
    // An hour asked on 31 December at 17:00: half an hour that day, the rest on the
    // make-up Sunday 4 January, not on the holiday Friday 2 January.
    ['across the year boundary, into the make-up Sunday', '2025-12-31T17:00:00', 60, '2026-01-04T09:00:00'],
    ['a Sunday that is a working day counts from opening', '2026-01-04T07:00:00', 30, '2026-01-04T09:00:00'],
    ['an ordinary Saturday does not', '2026-01-10T10:00:00', 30, '2026-01-12T09:00:00'],
    // Friday 13 February 17:00: two hours run on the make-up Saturday 14th, not on the holiday after it.
    ['before Spring Festival, onto the make-up Saturday', '2026-02-13T17:00:00', 120, '2026-02-14T10:00:00'],
    // From the make-up Saturday, the next business time is after nine days of holiday.
    ['through the nine-day Spring Festival', '2026-02-14T17:00:00', 60, '2026-02-24T09:00:00'],
    ['the make-up Saturday after the festival', '2026-02-27T17:00:00', 60, '2026-02-28T09:00:00'],
  ])('%s', (_name, start, minutes, due) => {
    expect(addBusinessTime(at(start), minutes * 60_000, office).toISOString()).toBe(at(due).toISOString());
  });

  it('measures the make-up day in business time elapsed', () => {
    expect(businessTimeBetween(at('2026-01-02T00:00:00'), at('2026-01-05T00:00:00'), office)).toBe(9 * 3600_000);
  });

  it('gives a make-up day its own hours when set', () => {
    const shortDays: BusinessCalendar = { ...office, workdayHours: [['09:00', '12:00']] };
    expect(addBusinessTime(at('2026-01-04T08:00:00'), 4 * 3600_000, shortDays).toISOString()).toBe(at('2026-01-05T09:30:00').toISOString());
  });
});

describe('a countdown on a business-hours clock', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('turns amber at the server\'s warnAt, not at 80 % of the wall-clock span', () => {
    const clock = { startedAt: at('2026-11-24T19:00:00'), warnAt: at('2026-11-25T08:36:00'), dueAt: at('2026-11-25T09:00:00') };
    vi.setSystemTime(at('2026-11-25T06:00:00')); // 85 % of the wall-clock span, before opening
    expect(countdownPhase(clock, Date.now())).toBe('ok');
    vi.setSystemTime(at('2026-11-25T08:36:00'));
    expect(countdownPhase(clock, Date.now())).toBe('warning');
    vi.advanceTimersByTime(24 * 60_000);
    expect(countdownPhase(clock, Date.now())).toBe('breached');
  });
});

describe('clocks started, met and cancelled by the loop', () => {
  it.each([
    ['dispatch', 'received', 'dispatched', { meet: ['dispatch'], cancel: [], start: ['arrival'] }],
    // Arriving is not contact with the owner (seed 001: the owner was away).
    ['arrive', 'accepted', 'on_site', { meet: ['arrival'], cancel: [], start: ['report_on_site'] }],
    ['report', 'on_site', 'on_site', { meet: ['report_on_site'], cancel: [], start: [] }],
    ['report', 'done', 'done', { meet: [], cancel: [], start: [] }],
    ['complete', 'on_site', 'done', { meet: ['report_on_site'], cancel: [], start: ['callback'] }],
    ['extend_wait', 'waiting', 'waiting', { meet: [], cancel: ['agreed'], start: ['agreed'] }],
    ['hand_back', 'accepted', 'received', { meet: [], cancel: ['arrival'], start: ['dispatch'] }],
    ['explain_delay', 'dispatched', 'dispatched', { meet: [], cancel: [], start: [] }],
    ['wait', 'accepted', 'waiting', { meet: ['contact'], cancel: ['dispatch', 'arrival', 'report_on_site'], start: ['agreed'] }],
    ['resume', 'waiting', 'accepted', { meet: ['agreed'], cancel: [], start: ['arrival'] }],
    ['resume', 'waiting', 'received', { meet: ['agreed'], cancel: [], start: ['dispatch'] }],
    ['callback', 'done', 'callback_done', { meet: ['callback', 'contact'], cancel: [], start: [] }],
    ['close', 'callback_done', 'closed', { meet: ['resolve'], cancel: 'all', start: [] }],
    ['cancel', 'dispatched', 'cancelled', { meet: [], cancel: 'all', start: [] }],
    ['reopen', 'closed', 'dispatched', { meet: [], cancel: ['callback', 'report_done'], start: ['arrival'] }],
  ] as const)('%s from %s', (action, from, to, plan) => {
    expect(clockPlan(action, from, to)).toEqual(plan);
  });

  it.each([
    ['contact', { outcome: 'reached' }, { meet: ['contact'], cancel: [], start: [] }],
    ['contact', { outcome: 'unreachable' }, { meet: [], cancel: [], start: [] }],
    ['callback', { outcome: 'no_owner' }, { meet: ['callback'], cancel: ['contact'], start: [] }],
  ] as const)('%s %j', (action, input, plan) => {
    expect(clockPlan(action, 'done', action === 'callback' ? 'callback_done' : 'done', input)).toEqual(plan);
  });
});

describe('who hears of a breach or an escalation', () => {
  const ticket = { department: 'engineering', assignee: { id: 'u1' } };
  it('a breach also reaches the department\'s supervisors; an escalation the managers', () => {
    expect(roomsForEvent({ type: 'sla.breached', data: { ticket } })).toEqual(['wallboard', 'dept:engineering', 'user:u1', 'supervisors:engineering']);
    expect(roomsForEvent({ type: 'sla.escalated', data: { ticket } })).toEqual(['wallboard', 'dept:engineering', 'user:u1', 'managers']);
    expect(roomsForEvent({ type: 'sla.warning', data: { ticket } })).not.toContain('supervisors:engineering');
  });
});
