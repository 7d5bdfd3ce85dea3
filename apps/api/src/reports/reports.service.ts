import { ForbiddenException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type Actor,
  type Category,
  dayIn,
  type Department,
  halfMonthOf,
  type HotComplaintsReport,
  addDays,
  daysPeriod,
  kpiFromTallies,
  type KpiReport,
  type KpiTally,
  midnightIn,
  type Period,
  RESOLVED_STATUSES,
  type Satisfaction,
  statusesOf,
  TICKET_LIST_MAX,
  type TicketKind,
  type TicketListReport,
  type UnfinishedItem,
  unfinishedOrder,
  type UnfinishedReport,
  weekOf,
} from '@dispatch/domain';
import { DataSource } from 'typeorm';
import { calendarDay, dayOrToday } from '../common/calendar-day';
import { invalidField } from '../common/errors';
import { EstateService } from '../estate/estate.service';
import { keepable, KeptDays } from './kept-days.service';
import type { ReportScope } from './report-facts';
import { ReportWorkers } from './report-workers';

/** Longest period a KPI report spans (a year and a day). */
const MAX_DAYS = 366;

/** The estate's days `from` to `to` (both included) as instants, and how many days they are; refused when not days or backwards. */
function periodOfDays(query: { from: string; to: string }, timeZone: string): { period: Period; days: number } {
  calendarDay(query.from, 'from');
  calendarDay(query.to, 'to');
  if (query.to < query.from) throw invalidField('to', 'is before from');
  return {
    period: daysPeriod(query.from, query.to, timeZone),
    days: (Date.parse(query.to) - Date.parse(query.from)) / 86_400_000 + 1,
  };
}

/**
 * The management reports: the facts of each ticket read once from the record, every figure
 * computed from them by the definitions in libs/domain (KPIs on the report threads).
 */
@Injectable()
export class ReportsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly estates: EstateService,
    private readonly workers: ReportWorkers,
    private readonly kept: KeptDays,
  ) {}

  /**
   * The KPIs of a period: each closed day read as kept (kept then, or counted and kept now,
   * on the report threads), the days still open (today, yesterday for a while after midnight)
   * counted live from their tickets' facts, all added up by the same definitions.
   */
  async kpi(actor: Actor, query: { from: string; to: string } & ReportScope): Promise<KpiReport & { scope: ReportScope }> {
    const { id: estateId, timezone } = await this.estates.current();
    const { period, days } = periodOfDays(query, timezone);
    if (days > MAX_DAYS) throw invalidField('to', `a report spans at most ${MAX_DAYS} days`);
    const scope = this.scope(actor, query);
    const now = new Date();
    const all = Array.from({ length: days }, (_, index) => addDays(query.from, index));
    const closed = all.filter((day) => keepable(day, timezone, now));
    const { busy } = await this.kept.keep(estateId, closed, timezone, now);
    const keptDays = closed.filter((day) => !busy.has(day));
    const kept = new Set(keptDays);
    // A day not begun yet has nothing to count: nothing has happened in it.
    const open = all.filter((day) => !kept.has(day) && Date.parse(midnightIn(day, timezone)) <= now.getTime());
    const [keptTally, live] = await Promise.all([
      keptDays.length > 0 ? this.kept.read(estateId, keptDays, scope) : null,
      Promise.all(open.map((day) => this.workers.tally({ estateId, period: daysPeriod(day, day, timezone), scope, now: now.toISOString() }))),
    ]);
    // The kept days first (a report names a figure's first tickets): the days still open are the last, as a rule.
    const tallies = [...(keptTally ? [keptTally] : []), ...live];
    await this.namePeople(tallies);
    return { ...kpiFromTallies(period, tallies), scope };
  }

  /** The people the tallies name, as they are called now (a kept day holds who, not their name). */
  private async namePeople(tallies: readonly KpiTally[]): Promise<void> {
    const lines = tallies.flatMap((tally) => tally.breaches);
    if (lines.length === 0) return;
    const people = await this.dataSource.query<Array<{ id: string; name: string }>>('SELECT id, name FROM staff WHERE id = ANY($1::uuid[])', [[...new Set(lines.map((line) => line.staff.id))]]);
    const names = new Map(people.map((person) => [person.id, person.name]));
    for (const line of lines) line.staff = { id: line.staff.id, name: names.get(line.staff.id) ?? line.staff.name };
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
   * 工单清单: the tickets received in a period (the estate's days), as filtered, newest first:
   * every ticket list the console shows, as one list for the meeting. A supervisor's own
   * department only. More than TICKET_LIST_MAX is refused: a period or filter to narrow.
   */
  async tickets(actor: Actor, query: { from: string; to: string; department?: Department; kind?: TicketKind; status?: string }): Promise<TicketListReport> {
    const { id: estateId, timezone } = await this.estates.current();
    const { period } = periodOfDays(query, timezone);
    const scope = this.scope(actor, { department: query.department });
    const rows = await this.dataSource.query<
      Array<{ id: string; number: string; location_label: string; status: string; kind: TicketKind; category: Category; department: Department; description: string; received_at: Date; closed_at: Date | null; assignee: string | null; reopen_count: number; satisfaction: Satisfaction | null }>
    >(
      `SELECT t.id, t.number, t.location_label, t.status, t.kind, t.category, t.department, t.description, t.received_at, t.closed_at, s.name AS assignee, t.reopen_count,
              CASE WHEN t.callback_reached THEN t.callback_satisfaction END AS satisfaction
         FROM ticket t LEFT JOIN staff s ON s.id = t.assignee_id
        WHERE t.estate_id = $1 AND t.received_at >= $2 AND t.received_at < $3
          AND ($4::text IS NULL OR t.department = $4) AND ($5::text IS NULL OR t.kind = $5) AND ($6::text[] IS NULL OR t.status = ANY($6))
        ORDER BY t.received_at DESC, t.id DESC
        LIMIT $7`,
      [estateId, period.from, period.to, scope.department ?? null, query.kind ?? null, statusesOf(query.status), TICKET_LIST_MAX + 1],
    );
    if (rows.length > TICKET_LIST_MAX) throw invalidField('to', `more than ${TICKET_LIST_MAX} tickets were received in the period: a shorter period, or a department, kind or status`);
    return {
      period,
      total: rows.length,
      items: rows.map((row) => ({
        id: row.id,
        number: row.number,
        location: row.location_label,
        status: row.status,
        kind: row.kind,
        category: row.category,
        department: row.department,
        description: row.description,
        receivedAt: new Date(row.received_at).toISOString(),
        closedAt: row.closed_at ? new Date(row.closed_at).toISOString() : null,
        assignee: row.assignee,
        reopenCount: row.reopen_count,
        satisfaction: row.satisfaction,
      })),
    };
  }

  private scope(actor: Actor, query: ReportScope): ReportScope {
    if (actor.role !== 'supervisor') return { ...(query.department ? { department: query.department } : {}), ...(query.staffId ? { staffId: query.staffId } : {}) };
    if (query.department && query.department !== actor.department) throw new ForbiddenException('Only your own department\'s reports');
    return { department: actor.department ?? undefined, ...(query.staffId ? { staffId: query.staffId } : {}) };
  }
}
