/**
 * bench:reports: the management reports on a large estate's history. Generates
 * BENCH_TICKETS tickets (1,000,000) over two years with their clocks and about ten events each
 * (10,000,000) straight into PostgreSQL, then asks the api for the weekly hot complaints, the
 * half-month's unfinished list and a quarter's KPIs, BENCH_RUNS times each (10), and prints
 * p50 / p99 / max, how long a desk's requests waited meanwhile, and the plan of the facts query
 * (which indexes it uses). BENCH_REUSE=1 times the reports again on the history an earlier run
 * left; BENCH_TIMES=1 prints every run.
 * Target: each report under 2 s at p99.
 */
import { Client } from 'pg';
import { KPI_FACTS_SQL, kpiFactsParameters } from '../apps/api/src/reports/report-facts';
import { BENCH_DATABASE_URL, freshDatabase, login, percentile, REDIS_URL, startApi } from './support';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
/** The history ends now and runs back this far. */
const DAYS = 730;

async function timed(db: Client, what: string, sql: string): Promise<void> {
  const started = Date.now();
  await db.query(sql);
  console.log(`  ${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** The estate's history, written by PostgreSQL itself (generate_series), in a few statements. */
async function generate(db: Client): Promise<void> {
  const [{ id: estateId }] = (await db.query<{ id: string }>(`SELECT id FROM estate LIMIT 1`)).rows;
  await db.query(`CREATE TEMP TABLE bench_units AS SELECT row_number() OVER (ORDER BY code) AS n, id, code FROM unit WHERE estate_id = '${estateId}'`);
  await db.query(`CREATE TEMP TABLE bench_staff AS SELECT row_number() OVER (ORDER BY username) AS n, id FROM staff WHERE role = 'field'`);
  const units = Number((await db.query(`SELECT count(*) FROM bench_units`)).rows[0].count);
  const staff = Number((await db.query(`SELECT count(*) FROM bench_staff`)).rows[0].count);
  // Tickets: mostly repairs, some complaints, inquiries, alarms, praise and suggestions; all
  // closed but one in ten of the last 30 days (an estate's open work is weeks, not years).
  await timed(
    db,
    `${TICKETS.toLocaleString()} tickets`,
    `INSERT INTO ticket (number, estate_id, kind, category, channel, priority, status, department, unit_id, location_code, location_label, description,
                         received_at, updated_at, closed_at, reopen_count, assignee_id, intake_started_at,
                         first_dispatched_at, first_completed_at, first_callback_at, callback_reached, callback_satisfaction)
     SELECT 'B' || lpad(g::text, 8, '0'), '${estateId}', k.kind, k.category, 'phone', 'normal',
            CASE WHEN o.done IS NULL THEN 'dispatched' ELSE 'closed' END,
            k.department, u.id, u.code, u.code, '压测',
            r.received_at, r.received_at, o.done + interval '5 hours',
            CASE WHEN g % 37 = 0 THEN 1 ELSE 0 END, s.id, r.received_at - interval '2 minutes',
            r.received_at + interval '1 minute', o.done + interval '2 hours', o.done + interval '3 hours', CASE WHEN o.done IS NOT NULL THEN true END,
            CASE WHEN o.done IS NULL THEN NULL WHEN g % 10 = 3 THEN 'unsatisfied' ELSE 'satisfied' END
       FROM generate_series(1, ${TICKETS}) AS g
       CROSS JOIN LATERAL (SELECT now() - (${DAYS} * interval '1 day') * (1 - g::float8 / ${TICKETS}) AS received_at) r
       -- The tickets closed (all but one in ten of the last 30 days) were done two hours in.
       CROSS JOIN LATERAL (SELECT CASE WHEN g % 10 = 0 AND r.received_at > now() - interval '30 days' THEN NULL ELSE r.received_at END AS done) o
       CROSS JOIN LATERAL (SELECT
              CASE WHEN g % 20 < 12 THEN 'repair' WHEN g % 20 < 14 THEN 'complaint' WHEN g % 20 < 17 THEN 'inquiry'
                   WHEN g % 20 = 17 THEN 'alarm' WHEN g % 20 = 18 THEN 'praise' ELSE 'suggestion' END AS kind,
              CASE WHEN g % 20 < 12 THEN (ARRAY['water_leak','lights','lift','door_lock'])[1 + g % 4]
                   WHEN g % 20 < 14 THEN (ARRAY['noise','hygiene','parking'])[1 + g % 3]
                   WHEN g % 20 = 17 THEN 'security' ELSE 'other' END AS category,
              CASE WHEN g % 20 < 12 THEN 'engineering' WHEN g % 20 = 17 THEN 'security' ELSE 'customer_service' END AS department) k
       JOIN bench_units u ON u.n = 1 + g % ${units}
       JOIN bench_staff s ON s.n = 1 + g % ${staff}`,
  );
  // Three clock rounds a ticket: dispatch, arrival, callback; one in ten arrivals late.
  await timed(
    db,
    'clocks',
    `INSERT INTO ticket_clock (ticket_id, clock, started_at, due_at, warn_at, escalate_at, met_at, breached_at, round)
     SELECT t.id, c.clock, t.received_at, t.received_at + c.due, t.received_at + c.due / 2, t.received_at + c.due * 2,
            CASE WHEN t.status = 'closed' THEN t.received_at + c.due * (CASE WHEN c.clock = 'arrival' AND t.number LIKE '%7' THEN 1.5 ELSE 0.5 END) END,
            CASE WHEN c.clock = 'arrival' AND t.number LIKE '%7' THEN t.received_at + c.due END, 1
       FROM ticket t CROSS JOIN (VALUES ('dispatch', interval '1 minute'), ('arrival', interval '30 minutes'), ('callback', interval '2 hours')) AS c(clock, due)
      WHERE t.number LIKE 'B%'
      -- In the order they start, as the api writes them (one at a time, as they start).
      ORDER BY t.received_at, c.due`,
  );
  // About ten events a ticket: received, dispatched, accepted, arrived, completed, called back,
  // closed, and three clocks met (the reports read the ticket's milestones; the events are the
  // log's weight and what the work log and replays read).
  await timed(
    db,
    'events',
    `INSERT INTO event_log (type, ticket_id, actor, at, data, rooms)
     SELECT e.type, t.id, t.assignee_id::text, t.received_at + e.after,
            CASE WHEN e.type = 'ticket.callback' THEN jsonb_build_object('input', jsonb_build_object('satisfaction', CASE WHEN t.number LIKE '%3' THEN 'unsatisfied' ELSE 'satisfied' END))
                 ELSE '{}'::jsonb END,
            ARRAY['wallboard']
       FROM ticket t CROSS JOIN (VALUES ('ticket.created', interval '0'), ('ticket.dispatch', interval '1 minute'), ('ticket.accept', interval '3 minutes'),
                                        ('ticket.arrive', interval '20 minutes'), ('ticket.complete', interval '2 hours'), ('ticket.callback', interval '3 hours'),
                                        ('ticket.close', interval '5 hours'), ('sla.met', interval '1 minute'), ('sla.met', interval '20 minutes'), ('sla.met', interval '3 hours')) AS e(type, after)
      WHERE t.number LIKE 'B%' AND (t.status = 'closed' OR e.after <= interval '1 minute')`,
  );
  // As autovacuum leaves a two-year-old database: vacuumed (visibility map, BRIN ranges summarised), analysed.
  await timed(db, 'vacuum and analyze', 'VACUUM ANALYZE');
}

/** BENCH_REUSE=1 keeps a history an earlier run generated (same size), to time the reports again. */
async function generated(): Promise<boolean> {
  if (!process.env.BENCH_REUSE) return false;
  const db = new Client({ connectionString: BENCH_DATABASE_URL });
  try {
    await db.connect();
    const { rows } = await db.query<{ count: string }>(`SELECT count(*) FROM ticket WHERE number LIKE 'B%'`);
    return Number(rows[0].count) === TICKETS;
  } catch {
    return false;
  } finally {
    await db.end();
  }
}

/** A request every 20 ms while the reports run, one at a time (a desk polling); `stop` gives their times, sorted. */
function deskMeanwhile(url: string): { stop: () => Promise<number[]> } {
  const waits: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      await (await fetch(`${url}/api/health`)).text();
      waits.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return waits.sort((a, b) => a - b);
    },
  };
}

async function main(): Promise<void> {
  const reuse = await generated();
  if (!reuse) {
    await freshDatabase();
    // The api makes the schema and the demo estate, then the history is written underneath it.
    const first = await startApi({ DATABASE_URL: BENCH_DATABASE_URL, REDIS_URL, SEED_DEMO: '1', JWT_SECRET: 'bench-secret-bench-secret-bench-secret', WATCH_SWEEP_SECONDS: '0' });
    await first.stop();
  }
  // Without JIT, as the api's own connections (its plans are the ones printed below).
  const db = new Client({ connectionString: BENCH_DATABASE_URL, options: '-c jit=off' });
  await db.connect();
  if (reuse) {
    console.log(`bench:reports: reusing the ${TICKETS.toLocaleString()} tickets an earlier run generated`);
  } else {
    console.log(`bench:reports: generating ${TICKETS.toLocaleString()} tickets over ${DAYS} days`);
    await generate(db);
  }
  // The history happened before: its events were pushed as they were written. Without this
  // the api's log publisher pushes ten million old events while the reports are timed.
  await db.query(`UPDATE push_cursor SET seq = (SELECT coalesce(max(seq), 0) FROM event_log), updated_at = now() WHERE id = 1`);
  const counts = (await db.query(`SELECT (SELECT count(*) FROM ticket) AS tickets, (SELECT count(*) FROM event_log) AS events, (SELECT count(*) FROM ticket_clock) AS clocks`)).rows[0];
  console.log(`  in the database: ${Number(counts.tickets).toLocaleString()} tickets, ${Number(counts.events).toLocaleString()} events, ${Number(counts.clocks).toLocaleString()} clock rounds`);

  // The api's sweep keeps each closed day's KPIs (a running estate's sweep keeps one day a
  // night): on a history written underneath it, the first sweep keeps every day of it.
  const swept = performance.now();
  const api = await startApi({ DATABASE_URL: BENCH_DATABASE_URL, REDIS_URL, JWT_SECRET: 'bench-secret-bench-secret-bench-secret', WATCH_SWEEP_SECONDS: '3600' });
  try {
    const token = await login(api.url, 'manager');
    const day = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);
    const [{ id: estateId }] = (await db.query<{ id: string }>(`SELECT id FROM estate LIMIT 1`)).rows;
    const keptSince = async (offset: number) => Number((await db.query(`SELECT count(*) FROM kpi_day_kept WHERE estate_id = $1 AND day >= $2`, [estateId, day(offset)])).rows[0].count);
    const staleSince = async (offset: number) => Number((await db.query(`SELECT count(DISTINCT day) FROM kpi_day_stale WHERE estate_id = $1 AND day >= $2`, [estateId, day(offset)])).rows[0].count);
    // Kept, and none changed since (a history reused may hold days an earlier run changed).
    while ((await keptSince(DAYS)) < DAYS - 1 || (await staleSince(DAYS)) > 0) await new Promise((resolve) => setTimeout(resolve, 500));
    const keptRows = (await db.query(`SELECT count(*) AS rows, pg_size_pretty(pg_total_relation_size('kpi_day')) AS size FROM kpi_day`)).rows[0];
    console.log(`  the api's first sweep kept ${await keptSince(DAYS)} days in ${((performance.now() - swept) / 1000).toFixed(1)} s (${Number(keptRows.rows).toLocaleString()} rows of a day, department and assignee; ${keptRows.size})`);

    const reports: Array<[string, string]> = [
      ['weekly hot complaints', `/api/reports/weekly?date=${day(10)}`],
      ['half-month unfinished', `/api/reports/unfinished?date=${day(20)}`],
      ['a quarter\'s KPIs', `/api/reports/kpi?from=${day(120)}&to=${day(30)}`],
      ['the last 90 days\' KPIs (today counted live)', `/api/reports/kpi?from=${day(89)}&to=${day(0)}`],
    ];
    console.log(`\nrun ${RUNS} times each (api on the same 2 cores as PostgreSQL):`);
    for (const [name, path] of reports) {
      const times: number[] = [];
      let size = 0;
      // Meanwhile a desk's requests, one every 20 ms: how long the api keeps them waiting.
      const desk = deskMeanwhile(api.url);
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        const res = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
        const body = await res.text();
        if (!res.ok) throw new Error(`${path}: ${res.status} ${body.slice(0, 200)}`);
        times.push(performance.now() - started);
        size = body.length;
      }
      const waits = await desk.stop();
      if (process.env.BENCH_TIMES) console.log(`    runs: ${times.map((time) => time.toFixed(0)).join(' ')} ms`);
      times.sort((a, b) => a - b);
      const p99 = percentile(times, 99);
      console.log(`  ${name}: p50 ${percentile(times, 50).toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, max ${times.at(-1)?.toFixed(0)} ms (${(size / 1024).toFixed(0)} KB) ${p99 < 2000 ? 'within' : 'OVER'} 2 s`);
      console.log(`    meanwhile the desk's /api/health (${waits.length}): p50 ${percentile(waits, 50).toFixed(0)} ms, p99 ${percentile(waits, 99).toFixed(0)} ms, max ${waits.at(-1)?.toFixed(0)} ms`);
    }

    // A quarter no day of which was kept (a period older than the sweep's, asked for the first
    // time): its days counted from their tickets and kept on the report threads.
    const unkept: number[] = [];
    for (let i = 0; i < 3; i++) {
      await db.query(`DELETE FROM kpi_day_kept WHERE estate_id = $1 AND day >= $2 AND day <= $3`, [estateId, day(120), day(30)]);
      const started = performance.now();
      const res = await fetch(`${api.url}/api/reports/kpi?from=${day(120)}&to=${day(30)}`, { headers: { authorization: `Bearer ${token}` } });
      if (!res.ok) throw new Error(`unkept quarter: ${res.status}`);
      await res.text();
      unkept.push(performance.now() - started);
    }
    console.log(`  a quarter none of whose days were kept (counted and kept as asked), 3 runs: ${unkept.map((time) => time.toFixed(0)).join(', ')} ms`);

    // The plans: one day's facts (a day being kept), and a quarter's kept days.
    const explain = async (what: string, sql: string, parameters: unknown[]) => {
      const lines = (await db.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) ${sql}`, parameters)).rows.map((row: Record<string, string>) => row['QUERY PLAN']);
      const indexes = [...new Set(lines.flatMap((line) => [...line.matchAll(/(?:using|Index Scan on) (\w+)/gi)].map((match) => match[1])))];
      console.log(`\n${what}: indexes used: ${indexes.join(', ') || 'none'}`);
      console.log(`  ${lines.at(-1)}`);
      if (process.env.BENCH_PLAN) console.log(lines.join('\n'));
    };
    const oneDay = { from: new Date(`${day(60)}T00:00:00+08:00`).toISOString(), to: new Date(`${day(59)}T00:00:00+08:00`).toISOString() };
    await explain('facts of one day (keeping it)', KPI_FACTS_SQL, kpiFactsParameters({ estateId, period: oneDay, scope: {}, now: oneDay.to }));
    await explain('the kept days of the quarter', `SELECT d.id, d.counts, d.seconds FROM kpi_day d WHERE d.estate_id = $1 AND d.day = ANY($2::date[]) ORDER BY d.day, d.department, d.assignee_id`, [
      estateId,
      Array.from({ length: 91 }, (_, index) => day(120 - index)),
    ]);
  } finally {
    await db.end();
    await api.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
