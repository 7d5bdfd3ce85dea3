import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLOCK_KINDS } from './sla-policy';
import { closedPeriods, halfMonthOf, kpiFromTallies, kpiReport, kpiTally, shareOf, meanOf, midnightIn, MIN_SAMPLE, rateOf, type ReportFacts, weekOf } from './reports';

/** The week of Monday 2026-11-16 in Shanghai: 2026-11-15T16:00Z to 2026-11-22T16:00Z. */
const WEEK = { from: '2026-11-15T16:00:00.000Z', to: '2026-11-22T16:00:00.000Z' };
/** A moment of November 2026 (UTC) as the facts hold it: epoch milliseconds. */
const at = (day: number, hour: number, minute = 0) => Date.UTC(2026, 10, day, hour, minute);

let n = 0;
function ticket(overrides: Partial<ReportFacts>): ReportFacts {
  n += 1;
  return {
    id: `t${n}`,
    kind: 'repair',
    assignee: { id: 'zw', name: '张伟' },
    receivedAt: at(17, 2),
    intakeStartedAt: null,
    dispatchedAt: null,
    completedAt: null,
    closedAt: null,
    reopenCount: 0,
    hasOwner: true,
    callback: null,
    clocks: [],
    acknowledgedAt: null,
    ...overrides,
  };
}

describe('a figure under the minimum count is not a rate', () => {
  it.each([
    [0, 0, null],
    [2, 2, null],
    [4, 4, null],
    [4, 5, 0.8],
    [5, 5, 1],
  ])('%i of %i → %s', (numerator, denominator, rate) => {
    const figure = rateOf(numerator, Array.from({ length: denominator }, (_, i) => `t${i}`));
    expect(figure).toMatchObject({ numerator, denominator, rate, tooSmall: denominator < MIN_SAMPLE });
  });
  it('an average and a median with their count', () => {
    expect(meanOf([10, 20, 30, 40, 100].map((seconds, i) => ({ id: `t${i}`, seconds })))).toMatchObject({ count: 5, average: 40, median: 30, tooSmall: false });
    expect(meanOf([10, 20].map((seconds, i) => ({ id: `t${i}`, seconds })))).toMatchObject({ count: 2, average: null, median: null, tooSmall: true });
  });
});

describe('the KPI definitions, on hand-made histories', () => {
  it('平均响应时间 runs from the start of the call, not from the click that saved the ticket', () => {
    const facts = [
      // Intake began 3 minutes before the ticket was saved; dispatched 1 minute after: 240 s.
      ticket({ intakeStartedAt: at(17, 1, 57), receivedAt: at(17, 2), dispatchedAt: at(17, 2, 1) }),
      ticket({ intakeStartedAt: at(17, 3, 0), receivedAt: at(17, 3, 1), dispatchedAt: at(17, 3, 2) }), // 120 s
      ticket({ intakeStartedAt: null, receivedAt: at(17, 4), dispatchedAt: at(17, 4, 5) }), // not recorded: from receipt, 300 s
      ticket({ intakeStartedAt: at(18, 1), receivedAt: at(18, 1, 1), dispatchedAt: at(18, 1, 2) }), // 120 s
      ticket({ intakeStartedAt: at(19, 1), receivedAt: at(19, 1, 1), dispatchedAt: at(19, 1, 3) }), // 180 s
      ticket({ receivedAt: at(10, 1), dispatchedAt: at(10, 2) }), // the week before: left out
      ticket({ kind: 'alarm', receivedAt: at(17, 1), dispatchedAt: at(17, 2) }), // alarms are picked up, not dispatched from a call
    ];
    const report = kpiReport(facts, WEEK);
    expect(report.responseSeconds).toMatchObject({ count: 5, average: (240 + 120 + 300 + 120 + 180) / 5, median: 180 });
  });

  it('报修处理及时率 counts repairs only, on time when every work clock due before completion was met by its due time', () => {
    const met = (clock: string, due: number, metAt: number) => ({ clock, dueAt: due, metAt });
    const facts = [
      ticket({ completedAt: at(17, 5), clocks: [met('dispatch', at(17, 2, 1), at(17, 2, 0)), met('arrival', at(17, 2, 31), at(17, 2, 20))] }),
      ticket({ completedAt: at(17, 6), clocks: [met('arrival', at(17, 2, 31), at(17, 2, 40))] }), // arrived 9 min late
      ticket({ completedAt: at(17, 7), clocks: [met('contact', at(17, 2, 15), at(17, 3))] }), // a late contact is not the work's
      ticket({ completedAt: at(18, 7), clocks: [met('report_on_site', at(18, 3), at(18, 2, 59))] }),
      ticket({ completedAt: at(19, 7), clocks: [] }),
      ticket({ kind: 'complaint', completedAt: at(19, 8), clocks: [met('arrival', at(19, 2), at(19, 3))] }), // not a repair
      ticket({ completedAt: at(23, 8) }), // next week
    ];
    expect(kpiReport(facts, WEEK).repairTimeliness).toMatchObject({ numerator: 4, denominator: 5, rate: 0.8 });
  });

  it('投诉 figures count complaints only: closed never reopened; callbacks that reached the owner, pleased', () => {
    const complaint = (reopenCount: number, satisfaction: ReportFacts['callback']) =>
      ticket({ kind: 'complaint', closedAt: at(20, 9), reopenCount, callback: satisfaction });
    const cb = (s: 'satisfied' | 'basically_satisfied' | 'unsatisfied' | null, reached = true) => ({ at: at(20, 8), reached, satisfaction: s });
    const facts = [
      complaint(0, cb('satisfied')),
      complaint(0, cb('basically_satisfied')),
      complaint(1, cb('unsatisfied')),
      complaint(0, cb('satisfied')),
      complaint(0, cb('satisfied')),
      complaint(0, cb(null, false)), // nobody to call: not in the satisfaction
      ticket({ kind: 'repair', closedAt: at(20, 9), callback: cb('unsatisfied') }), // a repair: not a complaint
    ];
    const report = kpiReport(facts, WEEK);
    expect(report.complaintFirstTime).toMatchObject({ numerator: 5, denominator: 6, rate: 5 / 6 });
    expect(report.complaintSatisfaction).toMatchObject({ numerator: 4, denominator: 5, rate: 0.8 });
    // Satisfaction over every callback that reached an owner: 4 pleased of 6.
    expect(report.satisfaction).toMatchObject({ numerator: 4, denominator: 6, rate: 4 / 6 });
  });

  it('回访率: of the tickets completed with someone to call, those called back and reached', () => {
    const done = (callback: ReportFacts['callback'], hasOwner = true) => ticket({ completedAt: at(18, 3), hasOwner, callback });
    const facts = [
      done({ at: at(18, 4), reached: true, satisfaction: 'satisfied' }),
      done({ at: at(18, 4), reached: true, satisfaction: 'satisfied' }),
      done({ at: at(18, 4), reached: false, satisfaction: null }), // tried, nobody answered
      done(null),
      done({ at: at(25, 4), reached: true, satisfaction: 'satisfied' }), // called back next week: still counts for this ticket
      done(null, false), // a public-area report with nobody to call
    ];
    expect(kpiReport(facts, WEEK).callbackRate).toMatchObject({ numerator: 3, denominator: 5, rate: 0.6 });
  });

  it('on time per clock counts rounds due in the period, a round never met as late, one not yet due as nothing', () => {
    const facts = [
      ticket({ clocks: [{ clock: 'arrival', dueAt: at(17, 3), metAt: at(17, 2, 50) }] }),
      ticket({ clocks: [{ clock: 'arrival', dueAt: at(17, 3), metAt: null }] }), // breached, never met
      ticket({ clocks: [{ clock: 'arrival', dueAt: at(17, 3), metAt: at(17, 4) }] }), // met late
      ticket({ clocks: [{ clock: 'callback', dueAt: at(21, 3), metAt: null }] }), // due after "now": not counted
      ticket({ clocks: [{ clock: 'arrival', dueAt: at(12, 3), metAt: null }] }), // due last week
    ];
    const report = kpiReport(facts, WEEK, new Date(at(20, 0)).toISOString());
    expect(report.clocks).toEqual([expect.objectContaining({ clock: 'arrival', numerator: 1, denominator: 3, rate: null, tooSmall: true })]);
    expect(report.breachesPerPerson).toEqual([{ staff: { id: 'zw', name: '张伟' }, breaches: 2, tickets: [facts[1].id, facts[2].id] }]);
  });

  it('工单平均处理时长, praise and suggestions, and the alarm pickup with its share within 30 s', () => {
    const facts = [
      ...[1, 2, 3, 4, 5].map((hours) => ticket({ receivedAt: at(17, 0), closedAt: at(17, hours) })),
      ticket({ kind: 'praise', receivedAt: at(18, 1) }),
      ticket({ kind: 'praise', receivedAt: at(18, 2) }),
      ticket({ kind: 'suggestion', receivedAt: at(18, 3) }),
      ...[10, 20, 25, 40, 90].map((s) => ticket({ kind: 'alarm', receivedAt: at(19, 1), acknowledgedAt: at(19, 1) + s * 1000 })),
    ];
    const report = kpiReport(facts, WEEK);
    expect(report.handlingSeconds).toMatchObject({ count: 5, average: 3 * 3600, median: 3 * 3600 });
    expect([report.praise, report.suggestions]).toEqual([2, 1]);
    expect(report.alarmPickup).toMatchObject({ count: 5, average: 37, median: 25, within30s: { numerator: 3, denominator: 5, rate: 0.6 } });
  });
});

describe('periods in the estate\'s time zone', () => {
  it('a week runs from Monday 00:00 local', () => {
    expect(weekOf('2026-11-19', 'Asia/Shanghai')).toEqual({ week: '2026-W47', monday: '2026-11-16', ...WEEK });
    expect(weekOf('2026-11-22', 'Asia/Shanghai').monday).toBe('2026-11-16');
    expect(weekOf('2026-11-23', 'Asia/Shanghai').monday).toBe('2026-11-23');
    expect(weekOf('2027-01-01', 'Asia/Shanghai').week).toBe('2026-W53');
  });
  it('half a month is the 1st to the 15th, or the 16th to the month\'s end', () => {
    expect(halfMonthOf('2026-11-15', 'Asia/Shanghai')).toEqual({ half: '2026-11-1', first: '2026-11-01', last: '2026-11-15', from: '2026-10-31T16:00:00.000Z', to: '2026-11-15T16:00:00.000Z' });
    expect(halfMonthOf('2026-02-20', 'Asia/Shanghai')).toMatchObject({ half: '2026-02-2', first: '2026-02-16', last: '2026-02-28', to: '2026-02-28T16:00:00.000Z' });
  });
  it('midnight where clocks change keeps the local midnight', () => {
    expect(midnightIn('2026-03-29', 'Europe/Berlin')).toBe('2026-03-28T23:00:00.000Z');
    expect(midnightIn('2026-03-30', 'Europe/Berlin')).toBe('2026-03-29T22:00:00.000Z');
  });
});

describe('the periods closed at a moment', () => {
  it('on Tuesday 24 November: the week of 16–22 November and the half of 1–15 November', () => {
    const closed = closedPeriods(new Date('2026-11-24T03:00:00Z'), 'Asia/Shanghai');
    expect([closed.week.week, closed.week.monday, closed.half.half]).toEqual(['2026-W47', '2026-11-16', '2026-11-1']);
  });
  it('just after midnight on Monday (Shanghai), the week just ended is the closed one', () => {
    // 2026-11-23 00:05 in Shanghai is 2026-11-22 16:05 UTC.
    expect(closedPeriods(new Date('2026-11-22T16:05:00Z'), 'Asia/Shanghai').week.monday).toBe('2026-11-16');
    expect(closedPeriods(new Date('2026-11-22T15:55:00Z'), 'Asia/Shanghai').week.monday).toBe('2026-11-09');
    // On the 16th the first half of the month has just closed; on the 1st, the second half of the month before.
    expect(closedPeriods(new Date('2026-11-16T01:00:00Z'), 'Asia/Shanghai').half.half).toBe('2026-11-1');
    expect(closedPeriods(new Date('2026-12-01T01:00:00Z'), 'Asia/Shanghai').half.half).toBe('2026-11-2');
  });
});

describe('a live board\'s rate', () => {
  it.each([
    [2, 2, null],
    [3, 4, null],
    [4, 5, 0.8],
    [2, 3 * 5, 0.133],
  ])('%i of %i → %s', (part, whole, rate) => expect(shareOf(part, whole)).toBe(rate));
});

describe('the tickets behind a figure', () => {
  it('names the first hundred, and counts them all', () => {
    const figure = rateOf(150, Array.from({ length: 250 }, (_, i) => `t${i}`));
    expect(figure).toMatchObject({ numerator: 150, denominator: 250, rate: 0.6 });
    expect(figure.tickets).toHaveLength(100);
    expect(meanOf(Array.from({ length: 250 }, (_, i) => ({ id: `t${i}`, seconds: i }))).tickets).toHaveLength(100);
  });
});

describe('a period counted in slices adds up to the whole', () => {
  // Any moment from the week before to the week after WEEK, to the minute.
  const moment = fc.integer({ min: at(8, 0), max: at(29, 0) }).map((ms) => ms - (ms % 60_000));
  const maybe = <T>(value: fc.Arbitrary<T>) => fc.option(value, { nil: null });
  const person = fc.constantFrom({ id: 'zw', name: '张伟' }, { id: 'lm', name: '李敏' }, { id: 'wq', name: '王强' });
  const facts = fc.array(
    fc.record({
      kind: fc.constantFrom('repair', 'complaint', 'inquiry', 'alarm', 'praise', 'suggestion'),
      assignee: maybe(person),
      receivedAt: moment,
      intakeStartedAt: maybe(moment),
      dispatchedAt: maybe(moment),
      completedAt: maybe(moment),
      closedAt: maybe(moment),
      reopenCount: fc.nat(2),
      hasOwner: fc.boolean(),
      callback: maybe(fc.record({ at: moment, reached: fc.boolean(), satisfaction: maybe(fc.constantFrom('satisfied', 'basically_satisfied', 'unsatisfied')) })),
      clocks: fc.array(fc.record({ clock: fc.constantFrom(...CLOCK_KINDS), dueAt: moment, metAt: maybe(moment) }), { maxLength: 4 }),
      acknowledgedAt: maybe(moment),
    }),
    { maxLength: 300, size: 'medium' },
  );

  it('every figure, its counts, its median and the tickets it names are the same however the tickets are sliced', () => {
    fc.assert(
      fc.property(facts, fc.array(fc.nat(300), { maxLength: 4 }), moment, (drawn, cuts, now) => {
        const all = drawn.map((one, index) => ({ id: `t${index}`, ...one }) as ReportFacts);
        const bounds = [...new Set([0, ...cuts.map((cut) => Math.min(cut, all.length)), all.length])].sort((a, b) => a - b);
        const slices = bounds.slice(1).map((end, index) => all.slice(bounds[index], end));
        const nowIso = new Date(now).toISOString();
        expect(kpiFromTallies(WEEK, slices.map((slice) => kpiTally(slice, WEEK, nowIso)))).toEqual(kpiReport(all, WEEK, nowIso));
      }),
      { numRuns: 200 },
    );
  });

  it('every figure, its counts and its median are the same counted day by day (each day over the tickets alive in it), and it names the same tickets', () => {
    const days = Array.from({ length: 7 }, (_, index) => ({ from: new Date(Date.parse(WEEK.from) + index * 86_400_000).toISOString(), to: new Date(Date.parse(WEEK.from) + (index + 1) * 86_400_000).toISOString() }));
    /** A figure without the order its tickets were met in (a whole week meets them ticket by ticket, its days day by day). */
    const unordered = (value: unknown): unknown =>
      Array.isArray(value) ? value.map(unordered) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, key === 'tickets' ? [...(inner as string[])].sort() : unordered(inner)])) : value;
    fc.assert(
      fc.property(facts, moment, (drawn, now) => {
        // Under FIGURE_TICKETS a figure names all its tickets, in whatever order, and the same ones.
        const all = drawn.slice(0, 60).map((one, index) => ({ id: `t${index}`, ...one }) as ReportFacts);
        const nowIso = new Date(now).toISOString();
        // A day's tickets: those with a milestone in it (the api reads the tickets alive in it, which holds them all).
        const byDays = kpiFromTallies(WEEK, days.map((day) => kpiTally(all, day, nowIso)));
        expect(unordered(byDays)).toEqual(unordered(kpiReport(all, WEEK, nowIso)));
      }),
      { numRuns: 200 },
    );
  });

  it('a slice with no tickets counts nothing', () => {
    const whole = [ticket({ dispatchedAt: at(17, 3) }), ticket({ kind: 'praise' })];
    expect(kpiFromTallies(WEEK, [kpiTally([], WEEK), kpiTally(whole, WEEK), kpiTally([], WEEK)])).toEqual(kpiReport(whole, WEEK));
  });
});
