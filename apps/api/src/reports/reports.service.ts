import { ForbiddenException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type Actor,
  CLOCK_KINDS,
  type Category,
  dayIn,
  type Department,
  halfMonthOf,
  type HotComplaintsReport,
  addDays,
  type KpiReport,
  kpiReport,
  midnightIn,
  type Period,
  type ReportFacts,
  type Satisfaction,
  RESOLVED_STATUSES,
  TICKET_KINDS,
  type UnfinishedItem,
  unfinishedOrder,
  type UnfinishedReport,
  weekOf,
} from '@dispatch/domain';
import { type PoolClient, Query, type QueryArrayConfig, type QueryConfig } from 'pg';
import { DataSource } from 'typeorm';
import { calendarDay, dayOrToday } from '../common/calendar-day';
import { invalidField } from '../common/errors';
import { EstateService } from '../estate/estate.service';

/** The tickets that touch a period: $1 estate, $2 from, $3 to, $4 department or null, $5 assignee or null. */
const FACTS_TICKETS = `t.estate_id = $1 AND t.received_at < $3 AND t.status <> 'cancelled' AND (t.closed_at >= $2 OR t.closed_at IS NULL)
          AND ($4::text IS NULL OR t.department = $4)
          AND ($5::uuid IS NULL OR t.assignee_id = $5)`;

/** A time as epoch milliseconds (a float8 the driver reads as a number, not a date to parse). */
const ms = (column: string) => `round(date_part('epoch', ${column}) * 1000)`;

/**
 * A text column as its place in the list given as $6 (1-based), and the value itself only when
 * the list lacks it: two columns, read back by `named`.
 */
const placeIn = (column: string, alias: string) =>
  `array_position($6::text[], ${column}) AS ${alias}_index, CASE WHEN array_position($6::text[], ${column}) IS NULL THEN ${column} END AS ${alias}_other`;

/** The domain's own string for a value sent by `placeIn` (a constant, compared by reference). */
function named<T extends string>(list: readonly T[], index: number | null, other: string | null): T {
  return index === null ? (other as T) : list[index - 1];
}

/**
 * One line of facts per ticket that touches a period ($6: TICKET_KINDS). A kind is sent as its
 * place in that list, read back as the domain's own string: the figures compare kinds and
 * clocks hundreds of thousands of times, and a string the driver made is compared character
 * by character, a constant by reference (`_other` carries a value the list lacks). Exported
 * for bench:reports, which prints its plan.
 */
export const FACTS_SQL = `SELECT t.id, ${placeIn('t.kind', 'kind')}, t.assignee_id, s.name AS assignee_name,
              ${ms('t.received_at')} AS received_at, ${ms('t.intake_started_at')} AS intake_started_at, ${ms('t.closed_at')} AS closed_at, t.reopen_count,
              (t.reporter_phone IS NOT NULL OR u.owner_phone IS NOT NULL) AS has_owner,
              ${ms('t.first_dispatched_at')} AS dispatched_at, ${ms('t.first_completed_at')} AS completed_at,
              ${ms('t.first_callback_at')} AS callback_at, t.callback_reached, t.callback_satisfaction,
              CASE WHEN t.kind = 'alarm' THEN (SELECT ${ms('a.acknowledged_at')} FROM alarm a WHERE a.ticket_id = t.id) END AS acknowledged_at
         FROM ticket t
         LEFT JOIN staff s ON s.id = t.assignee_id
         LEFT JOIN unit u ON u.id = t.unit_id
        WHERE ${FACTS_TICKETS}`;

/**
 * The clock rounds of those tickets (not cancelled), read beside them ($6: CLOCK_KINDS, as
 * kinds in FACTS_SQL), in two parts. Tickets received in the period: their rounds started in
 * it or later (a round starts when its ticket is received or at a later step; a day's margin
 * for clocks of different api processes), read
 * through the BRIN index of `started_at` (rounds are written as they start, so in time order)
 * instead of a scan of every round the estate ever had. Older tickets still open or closed in
 * the period: one by one through the key (`OFFSET 0` keeps the planner from flattening it
 * into that scan).
 */
export const FACT_CLOCKS_SQL = `SELECT c.ticket_id, ${placeIn('c.clock', 'clock')}, ${ms('c.due_at')} AS due_at, ${ms('c.met_at')} AS met_at
         FROM ticket_clock c JOIN ticket t ON t.id = c.ticket_id
        WHERE c.cancelled_at IS NULL AND c.started_at >= $2::timestamptz - interval '1 day' AND t.received_at >= $2 AND ${FACTS_TICKETS}
       UNION ALL
       SELECT c.ticket_id, ${placeIn('c.clock', 'clock')}, ${ms('c.due_at')}, ${ms('c.met_at')}
         FROM ticket t
        CROSS JOIN LATERAL (SELECT r.ticket_id, r.clock, r.due_at, r.met_at FROM ticket_clock r WHERE r.ticket_id = t.id AND r.cancelled_at IS NULL OFFSET 0) c
        WHERE t.received_at < $2 AND ${FACTS_TICKETS}`;

/** A row of FACTS_SQL, column by column. */
type FactRow = [
  id: string,
  kindIndex: number | null,
  kindOther: string | null,
  assigneeId: string | null,
  assigneeName: string | null,
  receivedAt: number,
  intakeStartedAt: number | null,
  closedAt: number | null,
  reopenCount: number,
  hasOwner: boolean,
  dispatchedAt: number | null,
  completedAt: number | null,
  callbackAt: number | null,
  callbackReached: boolean | null,
  callbackSatisfaction: Satisfaction | null,
  acknowledgedAt: number | null,
];
/** A row of FACT_CLOCKS_SQL. */
type ClockRow = [ticketId: string, clockIndex: number | null, clockOther: string | null, dueAt: number, metAt: number | null];

/** Whose tickets a report covers: a supervisor's department always; otherwise as asked. */
export interface ReportScope {
  department?: Department;
  staffId?: string;
}

/** The facts of a ticket with no clock rounds share one empty list (never changed). */
const NO_CLOCKS: ReportFacts['clocks'] = [];

/** Longest period a KPI report spans (a year and a day). */
const MAX_DAYS = 366;

/**
 * The management reports: the facts of each ticket read once from the record (one query), every
 * figure computed from them by the definitions in libs/domain.
 */
@Injectable()
export class ReportsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly estates: EstateService,
  ) {}

  async kpi(actor: Actor, query: { from: string; to: string } & ReportScope): Promise<KpiReport & { scope: ReportScope }> {
    const { timezone } = await this.estates.current();
    calendarDay(query.from, 'from');
    calendarDay(query.to, 'to');
    if (query.to < query.from) throw invalidField('to', 'is before from');
    const days = (Date.parse(query.to) - Date.parse(query.from)) / 86_400_000 + 1;
    if (days > MAX_DAYS) throw invalidField('to', `a report spans at most ${MAX_DAYS} days`);
    const period = { from: midnightIn(query.from, timezone), to: midnightIn(addDays(query.to, 1), timezone) };
    const scope = this.scope(actor, query);
    const facts = await this.facts(period, scope);
    return { ...kpiReport(facts, period, new Date().toISOString()), scope };
  }

  /** The week holding `date` (the last full week when absent). */
  async weekly(actor: Actor, date: string | undefined): Promise<HotComplaintsReport> {
    const { id: estateId, timezone } = await this.estates.current();
    const day = date === undefined ? addDays(dayIn(timezone, new Date()), -7) : calendarDay(date);
    const week = weekOf(day, timezone);
    const previous = { from: new Date(Date.parse(week.from) - 7 * 86_400_000).toISOString(), to: week.from };
    const scope = this.scope(actor, {});
    const rows = await this.dataSource.query<Array<{ id: string; number: string; location_label: string; status: string; category: Category; kind: string; repeat: boolean; building: number | null; received_at: Date }>>(
      `SELECT t.id, t.number, t.location_label, t.status, t.category, t.kind, t.repeat_of IS NOT NULL AS repeat, u.building, t.received_at
         FROM ticket t LEFT JOIN unit u ON u.id = t.unit_id
        WHERE t.estate_id = $1 AND t.received_at >= $2 AND t.received_at < $3 AND (t.kind = 'complaint' OR t.repeat_of IS NOT NULL)
          AND ($4::text IS NULL OR t.department = $4 OR $4 = ANY(t.also_departments))
        ORDER BY t.received_at`,
      [estateId, previous.from, week.to, scope.department ?? null],
    );
    const inWeek = rows.filter((row) => new Date(row.received_at).toISOString() >= week.from);
    const before = rows.filter((row) => new Date(row.received_at).toISOString() < week.from);
    const resolved = (row: { status: string }) => (RESOLVED_STATUSES as readonly string[]).includes(row.status);
    const ref = (row: (typeof rows)[number]) => ({ id: row.id, number: row.number, location: row.location_label, status: row.status });
    const categories = [...new Set(inWeek.map((row) => row.category))];
    const buildings = [...new Set([...inWeek, ...before].map((row) => row.building))];
    const places = new Map<string, typeof rows>();
    for (const row of inWeek) places.set(row.location_label, [...(places.get(row.location_label) ?? []), row]);
    return {
      week: week.week,
      period: { from: week.from, to: week.to },
      previous,
      total: {
        count: inWeek.length,
        complaints: inWeek.filter((row) => row.kind === 'complaint').length,
        repeats: inWeek.filter((row) => row.repeat).length,
        previous: before.length,
        open: inWeek.filter((row) => !resolved(row)).length,
        resolved: inWeek.filter(resolved).length,
      },
      byCategory: categories
        .map((category) => {
          const mine = inWeek.filter((row) => row.category === category);
          return {
            category,
            count: mine.length,
            previous: before.filter((row) => row.category === category).length,
            open: mine.filter((row) => !resolved(row)).length,
            resolved: mine.filter(resolved).length,
            tickets: mine.slice(0, 10).map(ref),
          };
        })
        .sort((a, b) => b.count - a.count || a.category.localeCompare(b.category)),
      byBuilding: buildings
        .map((building) => ({ building, count: inWeek.filter((row) => row.building === building).length, previous: before.filter((row) => row.building === building).length }))
        .sort((a, b) => b.count - a.count || (a.building ?? 0) - (b.building ?? 0)),
      hotSpots: [...places.entries()]
        .filter(([, list]) => list.length > 1)
        .map(([location, list]) => ({ location, count: list.length, tickets: list.map(ref) }))
        .sort((a, b) => b.count - a.count || a.location.localeCompare(b.location))
        .slice(0, 10),
    };
  }

  /** The half-month holding `date` (the current one when absent): what was still open at its end. */
  async unfinished(actor: Actor, date: string | undefined): Promise<UnfinishedReport> {
    const { id: estateId, timezone } = await this.estates.current();
    const day = dayOrToday(date, timezone);
    const half = halfMonthOf(day, timezone);
    const now = new Date().toISOString();
    const asOf = half.to < now ? half.to : now;
    const scope = this.scope(actor, {});
    const rows = await this.dataSource.query<Array<{ id: string; number: string; location_label: string; status: string; category: Category; department: Department; received_at: Date; public_area: boolean; agreed_at: Date | null; assignee: string | null }>>(
      `SELECT t.id, t.number, t.location_label, t.status, t.category, t.department, t.received_at, t.area_id IS NOT NULL AS public_area, t.agreed_at, s.name AS assignee
         FROM ticket t LEFT JOIN staff s ON s.id = t.assignee_id
        WHERE t.estate_id = $1 AND t.received_at < $2 AND t.status <> 'cancelled' AND t.kind <> 'alarm'
          AND (t.closed_at IS NULL OR t.closed_at >= $2)
          AND ($3::text IS NULL OR t.department = $3)`,
      [estateId, asOf, scope.department ?? null],
    );
    const departments = new Map<Department, UnfinishedItem[]>();
    for (const row of rows) {
      const receivedAt = new Date(row.received_at).toISOString();
      const item: UnfinishedItem = {
        id: row.id,
        number: row.number,
        location: row.location_label,
        // Open at the period's end: a ticket closed since shows as it stands now.
        status: row.status,
        category: row.category,
        receivedAt,
        ageDays: Math.floor((Date.parse(asOf) - Date.parse(receivedAt)) / 86_400_000),
        publicLight: row.category === 'lights' && row.public_area,
        agreedAt: row.agreed_at ? new Date(row.agreed_at).toISOString() : null,
        assignee: row.assignee,
      };
      departments.set(row.department, [...(departments.get(row.department) ?? []), item]);
    }
    return {
      half: half.half,
      period: { from: half.from, to: half.to },
      asOf,
      departments: [...departments.entries()].map(([department, items]) => ({ department, items: items.sort(unfinishedOrder) })).sort((a, b) => a.department.localeCompare(b.department)),
    };
  }

  /**
   * One line of facts per ticket that touches the period (received, worked, closed or due in
   * it): the tickets and their clock rounds, two queries side by side. A quarter is some
   * 125,000 tickets and 375,000 rounds: rows are read as arrays and turned into facts as they
   * arrive (never held as rows), one assignee object per person.
   */
  async facts(period: Period, scope: ReportScope): Promise<ReportFacts[]> {
    const { id: estateId } = await this.estates.current();
    const parameters = [estateId, period.from, period.to, scope.department ?? null, scope.staffId ?? null];
    const facts: ReportFacts[] = [];
    const people = new Map<string, { id: string; name: string }>();
    const clocks = new Map<string, ReportFacts['clocks']>();
    const person = (id: string | null, name: string | null) => {
      if (!id) return null;
      const known = people.get(id);
      if (known) return known;
      const created = { id, name: name ?? '' };
      people.set(id, created);
      return created;
    };
    await Promise.all([
      this.stream<FactRow>(FACTS_SQL, [...parameters, TICKET_KINDS], (row) => {
        const [id, kindIndex, kindOther, assigneeId, assigneeName, receivedAt, intakeStartedAt, closedAt, reopenCount, hasOwner, dispatchedAt, completedAt, callbackAt, reached, satisfaction, acknowledgedAt] = row;
        facts.push({
          id,
          kind: named(TICKET_KINDS, kindIndex, kindOther),
          assignee: person(assigneeId, assigneeName),
          receivedAt,
          intakeStartedAt,
          dispatchedAt,
          completedAt,
          closedAt,
          reopenCount,
          hasOwner,
          callback: callbackAt === null ? null : { at: callbackAt, reached: reached !== false, satisfaction },
          clocks: NO_CLOCKS,
          acknowledgedAt,
        });
      }),
      this.stream<ClockRow>(FACT_CLOCKS_SQL, [...parameters, CLOCK_KINDS], ([ticketId, clockIndex, clockOther, dueAt, metAt]) => {
        const round = { clock: named(CLOCK_KINDS, clockIndex, clockOther), dueAt, metAt };
        const list = clocks.get(ticketId);
        if (list) list.push(round);
        else clocks.set(ticketId, [round]);
      }),
    ]);
    for (const fact of facts) fact.clocks = clocks.get(fact.id) ?? NO_CLOCKS;
    return facts;
  }

  /** Each row of a query as an array, in the order the statement selects its columns, as it arrives. */
  private async stream<Row extends unknown[]>(sql: string, parameters: unknown[], each: (row: Row) => void): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const client = (await runner.connect()) as PoolClient;
      await new Promise<void>((resolve, reject) => {
        // pg's Query takes rowMode as client.query does; its typings list it only on QueryArrayConfig.
        const config: QueryArrayConfig = { text: sql, values: parameters, rowMode: 'array' };
        const query = new Query(config as QueryConfig);
        query.on('row', (row: Row) => each(row));
        query.on('end', () => resolve());
        query.on('error', reject);
        client.query(query);
      });
    } finally {
      await runner.release();
    }
  }

  private scope(actor: Actor, query: ReportScope): ReportScope {
    if (actor.role !== 'supervisor') return { ...(query.department ? { department: query.department } : {}), ...(query.staffId ? { staffId: query.staffId } : {}) };
    if (query.department && query.department !== actor.department) throw new ForbiddenException('Only your own department\'s reports');
    return { department: actor.department ?? undefined, ...(query.staffId ? { staffId: query.staffId } : {}) };
  }
}
