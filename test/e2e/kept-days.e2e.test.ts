import { addDays, dayIn, daysPeriod, type KpiReport, kpiFromTallies } from '@dispatch/domain';
import { Client as PgClient } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeptDays } from '../../apps/api/src/reports/kept-days.service';
import { ReportWorkers } from '../../apps/api/src/reports/report-workers';
import { type Client, client, login, type RunningApi, resetTickets, startApi } from '../support/api';
import { TEST_DATABASE_URL } from '../support/env';
import { nthUnit, repairFrom } from '../support/fixtures';
import { createAs, stepAs, type Ticket } from '../support/loop';

const ZONE = 'Asia/Shanghai';

/** A figure without the order its tickets were met in (kept days meet them day by day, a count of the whole ticket by ticket). */
function unordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unordered);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, key === 'tickets' ? [...(inner as string[])].sort() : unordered(inner)]));
}

/**
 * The KPIs of closed days kept (kpi_day) and read back: always what the tickets count now. The
 * oracle is the period counted live from its tickets' facts on a report thread, as a day still
 * open is; whatever changes a kept day (the api's steps, an operator's UPDATE) must show.
 */
describe('closed days kept for the KPI reports', () => {
  let api: RunningApi;
  let desk: Client;
  let technician: Client;
  let manager: Client;
  let estateId: string;
  const day = (back: number) => addDays(dayIn(ZONE, new Date()), -back);
  /** Five tickets four days back, five three days back. */
  const tickets: Ticket[] = [];

  /** A ticket's whole history moved by `interval`. */
  async function shift(ids: string[], interval: string): Promise<void> {
    const moved = (columns: string[]) => columns.map((column) => `${column} = ${column} + $2::interval`).join(', ');
    await api.db.query(`UPDATE ticket SET ${moved(['received_at', 'intake_started_at', 'first_dispatched_at', 'first_completed_at', 'first_callback_at', 'closed_at'])} WHERE id = ANY($1)`, [ids, interval]);
    await api.db.query(`UPDATE ticket_clock SET ${moved(['started_at', 'warn_at', 'due_at', 'escalate_at', 'met_at'])} WHERE ticket_id = ANY($1)`, [ids, interval]);
  }

  /** The manager's report of `from`..`to`. */
  async function report(from: string, to: string): Promise<KpiReport & { scope: undefined }> {
    const res = await manager.get(`/api/reports/kpi?from=${from}&to=${to}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // The scope it was asked for aside: the figures.
    return { ...res.body, scope: undefined };
  }

  /** The same period counted live from its tickets, as one whole. */
  async function live(from: string, to: string): Promise<KpiReport> {
    const period = daysPeriod(from, to, ZONE);
    return kpiFromTallies(period, [await api.app.get(ReportWorkers).tally({ estateId, period, scope: {}, now: new Date().toISOString() })]);
  }

  /** The days kept, up to `last` (the days the tests report on end with day(3)). */
  const keptDays = async (last = day(3)) => (await api.db.query<Array<{ day: string }>>(`SELECT day::text AS day FROM kpi_day_kept WHERE day <= $1 ORDER BY day`, [last])).map((row) => row.day);
  /** Marks on the days reported on (a step may also mark a later day it touched: the day a round of it fell due). */
  const marks = async () => Number((await api.db.query<Array<{ count: string }>>(`SELECT count(*) FROM kpi_day_stale WHERE day BETWEEN $1 AND $2`, [day(4), day(3)]))[0].count);

  async function expectAsCounted(): Promise<KpiReport> {
    const kept = await report(day(4), day(3));
    expect(unordered(kept)).toEqual(unordered(await live(day(4), day(3))));
    return kept;
  }

  beforeAll(async () => {
    api = await startApi();
    await resetTickets(api.db);
    [{ id: estateId }] = await api.db.query<Array<{ id: string }>>('SELECT id FROM estate LIMIT 1');
    desk = client(api.url, await login(api.url, 'dispatcher'));
    technician = client(api.url, await login(api.url, 'technician'));
    manager = client(api.url, await login(api.url, 'manager'));
    // Ten repairs: eight completed (six called back), two dispatched only.
    for (let i = 0; i < 10; i++) {
      let ticket = await createAs(desk, repairFrom(nthUnit(i), { intakeStartedAt: new Date(Date.now() - 90_000).toISOString() }));
      ticket = await stepAs(desk, ticket, 'dispatch');
      if (i < 8) {
        ticket = await stepAs(technician, ticket, 'accept');
        ticket = await stepAs(technician, ticket, 'arrive');
        ticket = await stepAs(technician, ticket, 'complete', { note: '已修好' });
      }
      if (i < 6) ticket = await stepAs(desk, ticket, 'callback', { result: '满意', satisfaction: 'satisfied' });
      tickets.push(ticket);
    }
    await shift(tickets.slice(0, 5).map((one) => one.id), '-4 days');
    await shift(tickets.slice(5).map((one) => one.id), '-3 days');
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  it('a closed day is counted once from its tickets, kept, and read back as they count it', async () => {
    expect(await keptDays()).toEqual([]);
    const first = await expectAsCounted();
    expect(first.responseSeconds.count).toBe(10);
    expect(first.callbackRate).toMatchObject({ numerator: 6, denominator: 8 });
    expect(await keptDays()).toEqual([day(4), day(3)]);
    const rows = await api.db.query<Array<{ day: string; count: string }>>(`SELECT day::text AS day, count(*) FROM kpi_day GROUP BY day ORDER BY day`);
    expect(rows.map((row) => row.day)).toEqual([day(4), day(3)]);
    // Asked again, it is read from what was kept: the same report.
    expect(await report(day(4), day(3))).toEqual(first);
  });

  it('a period running into days not begun yet counts what happened up to now', async () => {
    const toToday = await report(day(4), day(0));
    const beyond = await report(day(4), addDays(day(0), 3));
    expect(unordered({ ...beyond, period: toToday.period })).toEqual(unordered(toToday));
    expect(beyond.responseSeconds.count).toBe(10);
  });

  it('a callback made today on a repair completed on a kept day marks that day, and the next report counts it (回访率)', async () => {
    await report(day(4), day(3));
    const uncalled = tickets[6];
    await stepAs(desk, { id: uncalled.id, version: uncalled.version }, 'callback', { result: '满意', satisfaction: 'basically_satisfied' });
    expect(await marks()).toBeGreaterThan(0);
    const after = await expectAsCounted();
    expect(after.callbackRate).toMatchObject({ numerator: 7, denominator: 8 });
    expect(await marks()).toBe(0);
  });

  it.each([
    ['a round met late', 0, `UPDATE ticket_clock SET met_at = due_at + interval '1 minute' WHERE ticket_id = $1 AND clock = 'arrival'`],
    ['the ticket given to someone else', 1, `UPDATE ticket SET assignee_id = (SELECT id FROM staff WHERE username = 'eng_supervisor') WHERE id = $1`],
    ['the ticket moved to another department', 2, `UPDATE ticket SET department = 'customer_service' WHERE id = $1`],
    ['its call begun earlier', 3, `UPDATE ticket SET intake_started_at = intake_started_at - interval '10 minutes' WHERE id = $1`],
    ['its rounds cancelled', 4, `UPDATE ticket_clock SET cancelled_at = now() WHERE ticket_id = $1`],
    ['the ticket cancelled', 5, `UPDATE ticket SET status = 'cancelled' WHERE id = $1`],
  ])("an operator's UPDATE on a kept day (%s) marks it, and the next report counts it", async (_what, index, sql) => {
    const before = await report(day(4), day(3));
    await api.db.query(sql, [tickets[index].id]);
    expect(await marks()).toBeGreaterThan(0);
    const after = await expectAsCounted();
    expect(after).not.toEqual(before);
    expect(await marks()).toBe(0);
  });

  it('a change not yet committed while its day is kept: the day is counted live for now, and kept once the change is in', async () => {
    await api.db.query(`DELETE FROM kpi_day_kept WHERE day = $1`, [day(3)]);
    const writer = new PgClient({ connectionString: TEST_DATABASE_URL });
    await writer.connect();
    try {
      await writer.query('BEGIN');
      // Holds the day's lock (shared) until it commits: whoever would keep the day cannot yet.
      await writer.query(`UPDATE ticket SET first_callback_at = first_completed_at + interval '1 hour', callback_reached = true, callback_satisfaction = 'unsatisfied' WHERE id = $1`, [tickets[7].id]);
      const meanwhile = await expectAsCounted();
      expect(await keptDays()).toEqual([day(4)]);
      await writer.query('COMMIT');
      const after = await expectAsCounted();
      expect(after.satisfaction.denominator).toBe(meanwhile.satisfaction.denominator + 1);
      expect(await keptDays()).toEqual([day(4), day(3)]);
    } finally {
      await writer.end();
    }
  });

  it('reports asked at once over days not kept keep each day once and agree', async () => {
    await api.db.query('DELETE FROM kpi_day_kept');
    const [a, b, c] = await Promise.all([report(day(4), day(3)), report(day(4), day(3)), report(day(5), day(3))]);
    // The same figures; the order they name tickets in may differ (a day one counted live while the other kept it).
    expect(unordered(b)).toEqual(unordered(a));
    expect(unordered({ ...c, period: a.period })).toEqual(unordered(a));
    expect(await keptDays()).toEqual([day(5), day(4), day(3)]);
    expect(unordered(a)).toEqual(unordered(await live(day(4), day(3))));
  });

  it("the sweep keeps the closed days since the estate's first ticket before anyone asks", async () => {
    await api.db.query('DELETE FROM kpi_day_kept');
    const kept = await api.app.get(KeptDays).keepAll(estateId, ZONE, new Date());
    const days = await keptDays(day(0));
    expect(days).toEqual(expect.arrayContaining([day(4), day(3), day(2)]));
    expect(days[0]).toBe(day(4));
    expect(kept).toBe(days.length);
    await expectAsCounted();
  });

  it('tickets emptied (TRUNCATE, which no row trigger sees): nothing kept is left', async () => {
    await report(day(4), day(3));
    await resetTickets(api.db);
    expect(await keptDays(day(0))).toEqual([]);
    expect(Number((await api.db.query<Array<{ count: string }>>('SELECT count(*) FROM kpi_day'))[0].count)).toBe(0);
  });
});
