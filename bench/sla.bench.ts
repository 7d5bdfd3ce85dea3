/**
 * `npm run bench:sla`: 10,000 live clocks falling due over one minute on one PostgreSQL.
 * Measures the lag from each clock's due moment to its breach (as recorded by the engine,
 * and as received by a wallboard socket), duplicates, misses and the api processes' RSS,
 * with one and with two api processes. Prints figures; asserts nothing.
 */
import type { AnyDomainEvent } from '@dispatch/domain';
import { Client } from 'pg';
import { io } from 'socket.io-client';
import { BENCH_DATABASE_URL, freshDatabase, login, percentile, REDIS_URL, rssMb, sleep, startApi } from './support';

const CLOCKS = Number(process.env.BENCH_CLOCKS ?? 10_000);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 60_000);
const LEAD_MS = 8_000;
const SECRET = 'bench-secret-0123456789abcdef-0123456789';

async function run(processes: 1 | 2): Promise<void> {
  await freshDatabase();
  const env = { DATABASE_URL: BENCH_DATABASE_URL, REDIS_URL, SEED_DEMO: '1', JWT_SECRET: SECRET };
  const apis = [await startApi(env)];
  if (processes === 2) apis.push(await startApi(env));

  const db = new Client({ connectionString: BENCH_DATABASE_URL });
  await db.connect();
  const socket = io(apis[0].url, { transports: ['websocket'], auth: { token: await login(apis[0].url, 'dispatcher') } });
  const pushed = new Map<string, number>();
  let pushedDuplicates = 0;
  socket.on('event', (event: AnyDomainEvent) => {
    if (event.type !== 'sla.breached' || !event.ticketId) return;
    if (pushed.has(event.ticketId)) pushedDuplicates++;
    else pushed.set(event.ticketId, Date.now() - Date.parse((event.data as { dueAt: string }).dueAt));
  });
  await new Promise<void>((done) => socket.once('hello', () => done()));

  // 10,000 tickets, each with a dispatch clock: due spread evenly over the window, warned at 80 %.
  const start = Date.now() + LEAD_MS;
  await db.query(
    `WITH estate AS (SELECT id FROM estate LIMIT 1), unit AS (SELECT id, code FROM unit LIMIT 1)
     INSERT INTO ticket (number, estate_id, kind, category, channel, priority, status, department, unit_id,
                         location_code, location_label, description, version, received_at, updated_at)
     SELECT 'B' || lpad(g::text, 6, '0'), estate.id, 'repair', 'lights', 'phone', 'normal', 'received', 'engineering',
            unit.id, unit.code, unit.code, 'bench', 1, now(), now()
       FROM generate_series(1, $1) g, estate, unit`,
    [CLOCKS],
  );
  await db.query(
    `INSERT INTO ticket_clock (ticket_id, clock, round, started_at, warn_at, due_at, escalate_at, next_fire_at)
     SELECT id, 'dispatch', 1, due - interval '60 seconds', due - interval '12 seconds', due, due + interval '10 minutes',
            due - interval '12 seconds'
       FROM (SELECT id, to_timestamp(($2::bigint + (row_number() OVER (ORDER BY number) - 1) * $3::float8 / $1) / 1000.0) AS due
               FROM ticket) t`,
    [CLOCKS, start, WINDOW_MS],
  );
  await db.query(`SELECT pg_notify('sla_clock', 'bench')`);

  let maxRss = 0;
  const sampler = setInterval(() => {
    maxRss = Math.max(maxRss, apis.reduce((sum, api) => sum + rssMb(api.child.pid), 0));
  }, 500);
  await sleep(start + WINDOW_MS - Date.now() + 5_000);
  clearInterval(sampler);

  const { rows } = await db.query<{ lag: string }>(
    `SELECT (data->>'lagMs')::int AS lag FROM event_log WHERE type = 'sla.breached' ORDER BY 1`,
  );
  const [{ fired, distinct }] = (
    await db.query<{ fired: string; distinct: string }>(
      `SELECT count(*) AS fired, count(DISTINCT ticket_id) AS distinct FROM event_log WHERE type = 'sla.breached'`,
    )
  ).rows;
  const [{ warnings }] = (await db.query<{ warnings: string }>(`SELECT count(*) AS warnings FROM event_log WHERE type = 'sla.warning'`)).rows;
  const recorded = rows.map((row) => Number(row.lag));
  const received = [...pushed.values()].sort((a, b) => a - b);
  const fmt = (values: number[]) => `p50 ${percentile(values, 50)} ms, p99 ${percentile(values, 99)} ms, max ${values.at(-1)} ms`;
  console.log(`\n${processes} api process${processes > 1 ? 'es' : ''}: ${CLOCKS} clocks due over ${WINDOW_MS / 1000} s (+ as many warnings)`);
  console.log(`  breach recorded  lag: ${fmt(recorded)}`);
  console.log(`  breach received  lag: ${fmt(received)} (wallboard socket on process 1)`);
  console.log(`  breaches ${fired}, distinct ${distinct}, duplicates ${Number(fired) - Number(distinct)}, misses ${CLOCKS - Number(distinct)}; warnings ${warnings}`);
  console.log(`  pushed ${pushed.size}, pushed twice ${pushedDuplicates}`);
  console.log(`  api RSS peak (sum over processes): ${maxRss.toFixed(0)} MB`);

  socket.close();
  await db.end();
  await Promise.all(apis.map((api) => api.stop()));
}

async function main(): Promise<void> {
  console.log(`bench:sla on ${BENCH_DATABASE_URL.replace(/\/\/[^@]*@/, '//')} (${new Date().toISOString()})`);
  await run(1);
  await run(2);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
