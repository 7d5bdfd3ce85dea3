import { addTallies, type Department, FIGURE_TICKETS, kpiTally, type KpiTally, type MeanTally, type Period, type RateTally } from '@dispatch/domain';
import type { ClientBase } from 'pg';
import { type DepartmentFacts, readFacts, type ReportScope } from './report-facts';

/**
 * The KPI figures of closed days, kept per day, department and assignee (`kpi_day`, see the
 * migration KpiDaysKept): written by a report worker thread (`keepDay`), read back as tallies
 * (`tallyOfKept`) and added up with the days counted live. Framework-free: a worker runs it.
 */

/** A day is kept once it has been over this long: longer than any transaction that could still change it runs. */
export const KEEP_AFTER_MS = 15 * 60_000;

/** The averages of a tally, in the order their seconds are packed. */
const MEANS = ['responses', 'handling', 'alarmPickup'] as const;
const RATES = ['repairTimeliness', 'complaintFirstTime', 'complaintSatisfaction', 'callbackRate', 'satisfaction', 'alarmWithin30s'] as const;

/** What a kept group counts, but its seconds (packed apart) and its tickets (read only as far as a report names them). */
export interface KeptCounts {
  /** How many seconds each average has, in the order of MEANS. */
  means: number[];
  rates: Record<(typeof RATES)[number], [numerator: number, denominator: number]>;
  praise: number;
  suggestions: number;
  clocks: Array<[clock: string, numerator: number, denominator: number]>;
  breaches: number;
  /** How many tickets each list names, by list key (`listKeys`). */
  listed: Record<string, number>;
}

/** One kept day's figures for a department and an assignee (null: nobody assigned). */
export interface KeptGroup {
  department: Department;
  assigneeId: string | null;
  counts: KeptCounts;
  /** Every average's seconds, float64 in the order of MEANS. */
  seconds: Buffer;
  /** The tickets each figure names, by list key. */
  tickets: Record<string, string[]>;
}

const clockKey = (clock: string) => `clock:${clock}`;

/** A tally of a day's department and assignee as kept. */
export function keptGroup(department: Department, assigneeId: string | null, tally: KpiTally): KeptGroup {
  const tickets: Record<string, string[]> = {};
  const list = (key: string, ids: string[]) => {
    if (ids.length > 0) tickets[key] = ids;
  };
  for (const mean of MEANS) list(mean, tally[mean].tickets);
  for (const rate of RATES) list(rate, tally[rate].tickets);
  for (const line of tally.clocks) list(clockKey(line.clock), line.tickets);
  // A group is one assignee's: its breaches are theirs.
  const breaches = tally.breaches[0];
  if (breaches) list('breaches', breaches.tickets);
  const seconds = new Float64Array(MEANS.reduce((sum, mean) => sum + tally[mean].seconds.length, 0));
  let at = 0;
  for (const mean of MEANS) {
    seconds.set(tally[mean].seconds, at);
    at += tally[mean].seconds.length;
  }
  return {
    department,
    assigneeId,
    counts: {
      means: MEANS.map((mean) => tally[mean].seconds.length),
      rates: Object.fromEntries(RATES.map((rate) => [rate, [tally[rate].numerator, tally[rate].denominator]])) as KeptCounts['rates'],
      praise: tally.praise,
      suggestions: tally.suggestions,
      clocks: tally.clocks.map((line) => [line.clock, line.numerator, line.denominator]),
      breaches: breaches?.breaches ?? 0,
      listed: Object.fromEntries(Object.entries(tickets).map(([key, ids]) => [key, ids.length])),
    },
    seconds: Buffer.from(seconds.buffer),
    tickets,
  };
}

/**
 * A kept group as a tally again, naming the tickets of the lists given (a report reads a
 * group's lists only while its figures still name fewer than FIGURE_TICKETS). The assignee's
 * name is left empty: the report names people as they are called now.
 */
export function tallyOfKept(group: Pick<KeptGroup, 'assigneeId' | 'counts' | 'seconds'>, tickets: Record<string, string[]> = {}): KpiTally {
  const { counts, assigneeId } = group;
  // A Buffer from the driver need not start on an 8-byte boundary: copied, it does.
  const all = new Float64Array(Uint8Array.from(group.seconds).buffer);
  const means: MeanTally[] = [];
  let at = 0;
  for (const [index, mean] of MEANS.entries()) {
    means.push({ seconds: all.subarray(at, at + counts.means[index]), tickets: tickets[mean] ?? [] });
    at += counts.means[index];
  }
  const rate = (key: (typeof RATES)[number]): RateTally => ({ numerator: counts.rates[key][0], denominator: counts.rates[key][1], tickets: tickets[key] ?? [] });
  return {
    responses: means[0],
    handling: means[1],
    alarmPickup: means[2],
    repairTimeliness: rate('repairTimeliness'),
    complaintFirstTime: rate('complaintFirstTime'),
    complaintSatisfaction: rate('complaintSatisfaction'),
    callbackRate: rate('callbackRate'),
    satisfaction: rate('satisfaction'),
    alarmWithin30s: rate('alarmWithin30s'),
    praise: counts.praise,
    suggestions: counts.suggestions,
    clocks: counts.clocks.map(([clock, numerator, denominator]) => ({ clock, numerator, denominator, tickets: tickets[clockKey(clock)] ?? [] })),
    breaches: assigneeId && counts.breaches > 0 ? [{ staff: { id: assigneeId, name: '' }, breaches: counts.breaches, tickets: tickets.breaches ?? [] }] : [],
  };
}

/**
 * The lists of kept groups (in the report's order: by day) a report reads to name the first
 * FIGURE_TICKETS tickets of each figure: a group's list until its figure (a person's breaches:
 * per person) names enough. A quarter's first day names most figures' hundred.
 */
export function listsToRead(groups: ReadonlyArray<{ id: string; assigneeId: string | null; counts: KeptCounts }>): Array<{ id: string; key: string }> {
  const named = new Map<string, number>();
  const wanted: Array<{ id: string; key: string }> = [];
  for (const group of groups) {
    for (const [key, count] of Object.entries(group.counts.listed)) {
      const figure = key === 'breaches' ? `breaches:${group.assigneeId}` : key;
      const so = named.get(figure) ?? 0;
      if (so >= FIGURE_TICKETS) continue;
      wanted.push({ id: group.id, key });
      named.set(figure, so + count);
    }
  }
  return wanted;
}

/** What a report thread is asked to read: the kept days of a report, in its scope. */
export interface ReadKeptTask {
  estateId: string;
  days: string[];
  scope: ReportScope;
}

/**
 * The kept days of a report in its scope, added up in the order of the days (then department
 * and assignee), naming the tickets of each figure as far as the report names them: a quarter
 * reads a few thousand small rows and the lists of its first days. On a report thread: the
 * rows' parsing and adding up held the api's thread 100 ms a quarter.
 */
export async function readKept(client: ClientBase, { estateId, days, scope }: ReadKeptTask): Promise<KpiTally> {
  const { rows } = await client.query<{ id: string; assignee_id: string | null; counts: KeptCounts; seconds: Buffer }>(
    `SELECT d.id, d.assignee_id, d.counts, d.seconds
       FROM kpi_day d
      WHERE d.estate_id = $1 AND d.day = ANY($2::date[])
        AND ($3::text IS NULL OR d.department = $3) AND ($4::uuid IS NULL OR d.assignee_id = $4)
      ORDER BY d.day, d.department, d.assignee_id NULLS FIRST`,
    [estateId, days, scope.department ?? null, scope.staffId ?? null],
  );
  const groups = rows.map((row) => ({ ...row, assigneeId: row.assignee_id }));
  const wanted = listsToRead(groups);
  const lists = new Map<string, Record<string, string[]>>();
  if (wanted.length > 0) {
    const named = await client.query<{ id: string; key: string; tickets: string[] }>(
      `SELECT w.id::text AS id, w.key, d.tickets -> w.key AS tickets
         FROM unnest($1::int8[], $2::text[]) AS w(id, key) JOIN kpi_day d ON d.id = w.id`,
      [wanted.map((one) => one.id), wanted.map((one) => one.key)],
    );
    for (const one of named.rows) lists.set(one.id, { ...lists.get(one.id), [one.key]: one.tickets });
  }
  return addTallies(groups.map((group) => tallyOfKept(group, lists.get(String(group.id)))));
}

/** What a keeper thread is asked: one day of an estate, as instants. */
export interface KeepDayTask {
  estateId: string;
  day: string;
  period: Period;
  now: string;
}

/** kept: counted and written; fresh: already kept and unchanged; busy: another process is keeping it. */
export type KeepDayResult = 'kept' | 'fresh' | 'busy';

const DAY_LOCK = `hashtext($1::text), $2::date - date '2000-01-01'`;

/**
 * Keeps one closed day: under the day's advisory lock (which a change to a kept day takes
 * shared, see kpi_mark), in one repeatable-read snapshot, reads the day's marks, counts the
 * day's facts per department and assignee, replaces what was kept and clears the marks it
 * saw. A mark written since stays, and the day is counted again next time. Another process
 * keeping the same day: 'busy' (the report counts that day live), never a wait on it.
 */
export async function keepDay(client: ClientBase, task: KeepDayTask): Promise<KeepDayResult> {
  const day = [task.estateId, task.day];
  const locked = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(${DAY_LOCK}) AS locked`, day);
  if (!locked.rows[0].locked) return 'busy';
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    try {
      const marks = (await client.query<{ id: string }>('SELECT id FROM kpi_day_stale WHERE estate_id = $1 AND day = $2', day)).rows.map((row) => row.id);
      const kept = (await client.query('SELECT 1 FROM kpi_day_kept WHERE estate_id = $1 AND day = $2', day)).rowCount === 1;
      if (kept && marks.length === 0) {
        await client.query('COMMIT');
        return 'fresh';
      }
      const groups = groupsOf(await readFacts(client, { estateId: task.estateId, period: task.period, scope: {}, now: task.now }), task.period, task.now);
      await client.query('DELETE FROM kpi_day WHERE estate_id = $1 AND day = $2', day);
      if (groups.length > 0) {
        await client.query(
          `INSERT INTO kpi_day (estate_id, day, department, assignee_id, counts, seconds, tickets)
           SELECT $1, $2, g.department, g.assignee_id, g.counts, g.seconds, g.tickets
             FROM unnest($3::text[], $4::uuid[], $5::jsonb[], $6::bytea[], $7::jsonb[]) AS g(department, assignee_id, counts, seconds, tickets)`,
          [
            ...day,
            groups.map((group) => group.department),
            groups.map((group) => group.assigneeId),
            groups.map((group) => JSON.stringify(group.counts)),
            groups.map((group) => group.seconds),
            groups.map((group) => JSON.stringify(group.tickets)),
          ],
        );
      }
      if (marks.length > 0) await client.query('DELETE FROM kpi_day_stale WHERE id = ANY($1::int8[])', [marks]);
      await client.query(
        `INSERT INTO kpi_day_kept (estate_id, day, kept_at) VALUES ($1, $2, $3) ON CONFLICT (estate_id, day) DO UPDATE SET kept_at = excluded.kept_at`,
        [...day, task.now],
      );
      await client.query('COMMIT');
      return 'kept';
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    await client.query(`SELECT pg_advisory_unlock(${DAY_LOCK})`, day).catch(() => undefined);
  }
}

/** A day's facts counted per department and assignee, each group by the same definitions as a whole report. */
function groupsOf(facts: readonly DepartmentFacts[], period: Period, now: string): KeptGroup[] {
  const groups = new Map<string, { department: Department; assigneeId: string | null; facts: DepartmentFacts[] }>();
  for (const fact of facts) {
    const key = `${fact.department}/${fact.assignee?.id ?? ''}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { department: fact.department, assigneeId: fact.assignee?.id ?? null, facts: [] }));
    group.facts.push(fact);
  }
  return [...groups.values()].map((group) => keptGroup(group.department, group.assigneeId, kpiTally(group.facts, period, now)));
}
