import { CLOCK_KINDS, type Department, type Period, type ReportFacts, type Satisfaction, TICKET_KINDS } from '@dispatch/domain';
import { type ClientBase, Query, type QueryArrayConfig, type QueryConfig } from 'pg';

/**
 * The facts of the tickets a KPI report counts, read straight from PostgreSQL with `pg`
 * (framework-free: a report worker thread reads them on its own connection).
 */

/** Whose tickets a report covers: a supervisor's department always; otherwise as asked. */
export interface ReportScope {
  department?: Department;
  staffId?: string;
}

/** One period of a KPI report (a day, kept or counted live), as a worker thread is asked for it. */
export interface KpiPeriodTask {
  estateId: string;
  period: Period;
  scope: ReportScope;
  /** Ends a period still running (rounds due later are not late yet). */
  now: string;
}

/** A time as epoch milliseconds (an integer the driver reads as a number, not a date to parse). */
const ms = (column: string) => `round(date_part('epoch', ${column}) * 1000)::int8`;

/**
 * A text column as its place in the list given as `list` (1-based), and the value itself only
 * when the list lacks it: two columns, read back by `named`.
 */
const placeIn = (column: string, list: string, alias: string) =>
  `array_position(${list}::text[], ${column}) AS ${alias}_index, CASE WHEN array_position(${list}::text[], ${column}) IS NULL THEN ${column} END AS ${alias}_other`;

/** The domain's own string for a value sent by `placeIn` (a constant, compared by reference). */
function named<T extends string>(list: readonly T[], index: number | null, other: string | null): T {
  return index === null ? (other as T) : list[index - 1];
}

/**
 * One line of facts per ticket alive in a period (received before its end, not closed before
 * its start: every milestone of a ticket falls in its life, and closing cancels its clocks),
 * found by the life's index: $1 estate, $2 period from, $3 period to, $4 department or null,
 * $5 assignee or null, $6 TICKET_KINDS, $7 CLOCK_KINDS. A kind is sent as its
 * place in TICKET_KINDS, read back as the domain's own string: the figures compare kinds and
 * clocks hundreds of thousands of times, and a string the driver made is compared character
 * by character, a constant by reference (`_other` carries a value the list lacks).
 *
 * The ticket's clock rounds (not cancelled) come on its own line, looked up by its key and
 * written as one text, `clock,due,met;…` (clock as its place in CLOCK_KINDS, or its name when
 * the list lacks it; met empty when not met): a quarter is 375,000 rounds, and as rows of their
 * own each was a row to parse, a ticket id to make and a map to look it up in.
 */
export const KPI_FACTS_SQL = `SELECT t.id, ${placeIn('t.kind', '$6', 'kind')}, t.department, t.assignee_id, s.name AS assignee_name,
              ${ms('t.received_at')} AS received_at, ${ms('t.intake_started_at')} AS intake_started_at, ${ms('t.closed_at')} AS closed_at, t.reopen_count,
              (t.reporter_phone IS NOT NULL OR u.owner_phone IS NOT NULL) AS has_owner,
              ${ms('t.first_dispatched_at')} AS dispatched_at, ${ms('t.first_completed_at')} AS completed_at,
              ${ms('t.first_callback_at')} AS callback_at, t.callback_reached, t.callback_satisfaction,
              CASE WHEN t.kind = 'alarm' THEN (SELECT ${ms('a.acknowledged_at')} FROM alarm a WHERE a.ticket_id = t.id) END AS acknowledged_at,
              (SELECT string_agg(coalesce(array_position($7::text[], c.clock)::text, translate(c.clock, ',;', '__')) || ',' || ${ms('c.due_at')} || ',' || coalesce(${ms('c.met_at')}::text, ''), ';')
                 FROM ticket_clock c WHERE c.ticket_id = t.id AND c.cancelled_at IS NULL) AS rounds
         FROM ticket t
         LEFT JOIN staff s ON s.id = t.assignee_id
         LEFT JOIN unit u ON u.id = t.unit_id
        WHERE ticket_life(t.received_at, t.closed_at) && tstzrange($2, $3, '[)') AND t.status <> 'cancelled' AND t.estate_id = $1
          AND ($4::text IS NULL OR t.department = $4)
          AND ($5::uuid IS NULL OR t.assignee_id = $5)`;

/** A row of KPI_FACTS_SQL, column by column (int8 columns come as text). */
type FactRow = [
  id: string,
  kindIndex: number | null,
  kindOther: string | null,
  department: Department,
  assigneeId: string | null,
  assigneeName: string | null,
  receivedAt: string,
  intakeStartedAt: string | null,
  closedAt: string | null,
  reopenCount: number,
  hasOwner: boolean,
  dispatchedAt: string | null,
  completedAt: string | null,
  callbackAt: string | null,
  callbackReached: boolean | null,
  callbackSatisfaction: Satisfaction | null,
  acknowledgedAt: string | null,
  rounds: string | null,
];

/** The facts of a ticket with no clock rounds share one empty list (never changed). */
const NO_CLOCKS: ReportFacts['clocks'] = [];

const time = (text: string | null) => (text === null ? null : Number(text));

/** The rounds written by KPI_FACTS_SQL: `clock,due,met;…`. */
function roundsOf(text: string | null): ReportFacts['clocks'] {
  if (text === null) return NO_CLOCKS;
  const rounds: ReportFacts['clocks'] = [];
  for (const round of text.split(';')) {
    const [clock, due, met] = round.split(',');
    const index = Number(clock);
    rounds.push({ clock: Number.isInteger(index) && index > 0 ? CLOCK_KINDS[index - 1] : clock, dueAt: Number(due), metAt: met === '' ? null : Number(met) });
  }
  return rounds;
}

/** The parameters of KPI_FACTS_SQL for a period of a report. */
export function kpiFactsParameters({ estateId, period, scope }: KpiPeriodTask): unknown[] {
  return [estateId, period.from, period.to, scope.department ?? null, scope.staffId ?? null, TICKET_KINDS, CLOCK_KINDS];
}

/** A ticket's facts and the department it belongs to (a kept day is kept per department). */
export type DepartmentFacts = ReportFacts & { department: Department };

/**
 * The facts of the tickets of one period of a report, turned into facts as rows arrive (never
 * held as rows), one assignee object per person.
 */
export async function readFacts(client: ClientBase, task: KpiPeriodTask): Promise<DepartmentFacts[]> {
  const facts: DepartmentFacts[] = [];
  const people = new Map<string, { id: string; name: string }>();
  const person = (id: string | null, name: string | null) => {
    if (!id) return null;
    const known = people.get(id);
    if (known) return known;
    const created = { id, name: name ?? '' };
    people.set(id, created);
    return created;
  };
  await new Promise<void>((resolve, reject) => {
    // pg's Query takes rowMode as client.query does; its typings list it only on QueryArrayConfig.
    const config: QueryArrayConfig = { text: KPI_FACTS_SQL, values: kpiFactsParameters(task), rowMode: 'array' };
    const query = new Query(config as QueryConfig);
    query.on('row', (row: FactRow) => {
      const [id, kindIndex, kindOther, department, assigneeId, assigneeName, receivedAt, intakeStartedAt, closedAt, reopenCount, hasOwner, dispatchedAt, completedAt, callbackAt, reached, satisfaction, acknowledgedAt, rounds] = row;
      facts.push({
        id,
        kind: named(TICKET_KINDS, kindIndex, kindOther),
        department,
        assignee: person(assigneeId, assigneeName),
        receivedAt: Number(receivedAt),
        intakeStartedAt: time(intakeStartedAt),
        dispatchedAt: time(dispatchedAt),
        completedAt: time(completedAt),
        closedAt: time(closedAt),
        reopenCount,
        hasOwner,
        callback: callbackAt === null ? null : { at: Number(callbackAt), reached: reached !== false, satisfaction },
        clocks: roundsOf(rounds),
        acknowledgedAt: time(acknowledgedAt),
      });
    });
    query.on('end', () => resolve());
    query.on('error', reject);
    client.query(query);
  });
  return facts;
}
