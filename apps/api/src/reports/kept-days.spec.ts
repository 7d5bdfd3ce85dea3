import { FIGURE_TICKETS, kpiFromTallies, kpiTally, type Period, type ReportFacts } from '@dispatch/domain';
import { describe, expect, it } from 'vitest';
import { type KeptGroup, keptGroup, listsToRead, tallyOfKept } from './kept-days';

const DAY = (index: number): Period => ({ from: new Date(Date.UTC(2026, 10, 16 + index) - 8 * 3_600_000).toISOString(), to: new Date(Date.UTC(2026, 10, 17 + index) - 8 * 3_600_000).toISOString() });
const PEOPLE = [{ id: '00000000-0000-4000-8000-000000000001', name: '张伟' }, { id: '00000000-0000-4000-8000-000000000002', name: '李敏' }, null];

/** `count` tickets of a day for a person: each received, dispatched, completed, called back and closed in it, one round in three late. */
function dayOfTickets(day: number, count: number, person: (typeof PEOPLE)[number]): ReportFacts[] {
  const start = Date.parse(DAY(day).from);
  return Array.from({ length: count }, (_, index) => {
    const received = start + index * 60_000;
    const kinds = ['repair', 'complaint', 'alarm', 'praise'] as const;
    return {
      id: `d${day}-${person?.id.slice(-1) ?? 'x'}-${index}`,
      kind: kinds[index % kinds.length],
      assignee: person,
      receivedAt: received,
      intakeStartedAt: received - 90_000,
      dispatchedAt: received + 60_000 + index * 1_000,
      completedAt: received + 3_600_000,
      closedAt: received + 4 * 3_600_000,
      reopenCount: index % 5 === 0 ? 1 : 0,
      hasOwner: index % 7 !== 0,
      callback: index % 3 === 0 ? null : { at: received + 2 * 3_600_000, reached: index % 4 !== 1, satisfaction: index % 6 === 2 ? 'unsatisfied' : 'satisfied' },
      clocks: [
        { clock: 'dispatch', dueAt: received + 300_000, metAt: received + 60_000 },
        { clock: 'arrival', dueAt: received + 1_800_000, metAt: index % 3 === 0 ? null : received + 600_000 },
      ],
      acknowledgedAt: received + (index % 50) * 1_000,
    };
  });
}

/** What the database gives back: counts and tickets through JSON, seconds as bytes not on an 8-byte boundary. */
function stored(group: KeptGroup): KeptGroup {
  const shifted = Buffer.alloc(group.seconds.length + 3);
  group.seconds.copy(shifted, 3);
  return { ...group, counts: JSON.parse(JSON.stringify(group.counts)), seconds: shifted.subarray(3), tickets: JSON.parse(JSON.stringify(group.tickets)) };
}

/** People as the report names them (a kept group holds who, not their name). */
const named = (tally: ReturnType<typeof kpiTally>) => ({ ...tally, breaches: tally.breaches.map((line) => ({ ...line, staff: PEOPLE.find((person) => person?.id === line.staff.id) ?? line.staff })) });

describe('a kept day', () => {
  it('read back with all its lists, counts what its tickets count: every figure, median and named ticket', () => {
    const week = { from: DAY(0).from, to: DAY(2).to };
    const days = [0, 1, 2].flatMap((day) => PEOPLE.map((person, index) => ({ day, person, facts: dayOfTickets(day, 20 + index * 7, person) })));
    const counted = days.map(({ day, facts }) => kpiTally(facts, DAY(day), week.to));
    const kept = days.map(({ person }, index) => stored(keptGroup('engineering', person?.id ?? null, counted[index])));
    const readBack = kept.map((group) => named(tallyOfKept(group, group.tickets)));
    const report = kpiFromTallies(week, readBack);
    expect(report).toEqual(kpiFromTallies(week, counted));
    // Alarms (one in four) are picked up, not dispatched: 15 + 20 + 26 responses a day.
    expect(report.responseSeconds.count).toBe(3 * (15 + 20 + 26));
    expect(report.breachesPerPerson.map((line) => line.staff.name)).toEqual(['李敏', '张伟']);
  });

  it('a report reads the lists of the first days only as far as each figure names FIGURE_TICKETS, and names the same tickets as reading them all', () => {
    const days = Array.from({ length: 6 }, (_, day) => PEOPLE.map((person) => stored(keptGroup('engineering', person?.id ?? null, kpiTally(dayOfTickets(day, 40, person), DAY(day), DAY(5).to))))).flat();
    const groups = days.map((group, index) => ({ ...group, id: String(index) }));
    const wanted = listsToRead(groups);
    const lists = new Map<string, Record<string, string[]>>();
    for (const { id, key } of wanted) lists.set(id, { ...lists.get(id), [key]: groups[Number(id)].tickets[key] });
    const period = { from: DAY(0).from, to: DAY(5).to };
    const partly = kpiFromTallies(period, groups.map((group) => tallyOfKept(group, lists.get(group.id))));
    const wholly = kpiFromTallies(period, groups.map((group) => tallyOfKept(group, group.tickets)));
    expect(partly).toEqual(wholly);
    expect(partly.responseSeconds.tickets).toHaveLength(FIGURE_TICKETS);
    // 30 responses a group (alarms are not dispatched), three groups a day: the hundred are named by the first four groups.
    expect(wanted.filter((one) => one.key === 'responses').map((one) => one.id)).toEqual(['0', '1', '2', '3']);
    const every = groups.reduce((sum, group) => sum + Object.keys(group.tickets).length, 0);
    expect(wanted.length).toBeLessThan(every / 2);
  });
});
