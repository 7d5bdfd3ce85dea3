import { Client as PgClient } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, client, login } from '../support/api';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../support/env';
import { type ApiProcess, spawnApi } from '../support/process';
import { type Listener, listen, sleep } from '../support/socket';
import { shortenPolicy } from '../support/sla';

const ENV = {
  DATABASE_URL: TEST_DATABASE_URL,
  REDIS_URL: TEST_REDIS_URL,
  SEED_DEMO: '1',
  NODE_ENV: 'test',
  JWT_SECRET: 'sla-processes-test-secret-0123456789abcdef',
};

let db: PgClient;
let units: string[];

beforeAll(async () => {
  db = new PgClient({ connectionString: TEST_DATABASE_URL });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
});

/** Logs `count` inquiries spread over the given processes, 20 at a time; each starts a contact clock. */
async function createTickets(desks: Client[], count: number): Promise<string[]> {
  units ??= (await db.query<{ code: string }>('SELECT code FROM unit ORDER BY code')).rows.map((row) => row.code);
  const ids: string[] = [];
  for (let start = 0; start < count; start += 20) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(20, count - start) }, (_, i) => {
        const n = start + i;
        return desks[n % desks.length]
          .post('/api/tickets')
          .send({ kind: 'inquiry', channel: 'phone', category: 'other', description: `咨询 ${n}`, location: { unit: units[n % units.length] } });
      }),
    );
    for (const res of batch) {
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids.push(res.body.id);
    }
    await sleep(20); // spread the due times over a second or two
  }
  return ids;
}

/** How many times each mark fired for these tickets' contact clocks, from the log itself. */
async function firedCounts(type: string, ids: string[]): Promise<{ perTicket: number[]; late: number }> {
  const { rows } = await db.query<{ ticket_id: string; fired: string; late: string }>(
    `SELECT ticket_id, count(*) AS fired, count(*) FILTER (WHERE (data->>'late')::boolean) AS late
       FROM event_log WHERE type = $1 AND data->>'clock' = 'contact' AND ticket_id = ANY($2)
      GROUP BY ticket_id`,
    [type, ids],
  );
  const byTicket = new Map(rows.map((row) => [row.ticket_id, Number(row.fired)]));
  return { perTicket: ids.map((id) => byTicket.get(id) ?? 0), late: rows.reduce((sum, row) => sum + Number(row.late), 0) };
}

async function lastDue(ids: string[]): Promise<number> {
  const { rows } = await db.query<{ last: Date }>(`SELECT max(due_at) AS last FROM ticket_clock WHERE clock = 'contact' AND ticket_id = ANY($1)`, [ids]);
  return new Date(rows[0].last).getTime();
}

async function waitUntil(ms: number): Promise<void> {
  await sleep(Math.max(0, ms - Date.now()));
}

describe('SLA marks fire exactly once across processes and restarts', () => {
  let first: ApiProcess;
  let second: ApiProcess;
  let third: ApiProcess | undefined;
  let restore: ((through?: Client) => Promise<void>) | undefined;
  let wallboard: Listener | undefined;

  beforeAll(async () => {
    [first, second] = await Promise.all([spawnApi(ENV), spawnApi(ENV)]);
  });
  afterAll(async () => {
    wallboard?.close();
    // Later test files must not run on the 3-second contact clock.
    const live = [third, second, first].find((api) => api && api.child.exitCode === null && api.child.signalCode === null);
    if (restore && live) await restore(client(live.url, await login(live.url, 'admin')));
    await Promise.all([first, second, third].map((api) => api?.stop()));
  });

  it('two processes, 300 clocks due within a few seconds: every warning and breach exactly once, pushed once', async () => {
    const token = await login(first.url, 'dispatcher');
    const desks = [client(first.url, token), client(second.url, token)];
    restore = await shortenPolicy(client(first.url, await login(first.url, 'admin')), { clock: 'contact' }, { durationSeconds: 3, warningShare: 0.5 });
    wallboard = await listen(second.url, token);

    const ids = await createTickets(desks, 300);
    await waitUntil((await lastDue(ids)) + 2_000);

    for (const type of ['sla.warning', 'sla.breached']) {
      const { perTicket, late } = await firedCounts(type, ids);
      expect(perTicket.filter((count) => count !== 1), type).toEqual([]);
      expect(late, type).toBe(0);
    }
    const pushed = wallboard.events.filter((event) => event.type === 'sla.breached' && ids.includes(event.ticketId ?? ''));
    expect(pushed).toHaveLength(300);
    expect(new Set(pushed.map((event) => event.ticketId)).size).toBe(300);
  });

  it('one process killed mid-way: the other fires the rest, still exactly once', async () => {
    const token = await login(second.url, 'dispatcher');
    const ids = await createTickets([client(first.url, token), client(second.url, token)], 300);
    const { rows } = await db.query<{ first: Date; last: Date }>(
      `SELECT min(due_at) AS first, max(due_at) AS last FROM ticket_clock WHERE clock = 'contact' AND ticket_id = ANY($1)`,
      [ids],
    );
    await waitUntil((rows[0].first.getTime() + rows[0].last.getTime()) / 2);
    first.child.kill('SIGKILL');
    // Mid-way indeed: some breaches had fired, others were still to come.
    const atKill = (await firedCounts('sla.breached', ids)).perTicket.filter((count) => count > 0).length;
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(300);
    await waitUntil((await lastDue(ids)) + 2_000);

    for (const type of ['sla.warning', 'sla.breached']) {
      const { perTicket } = await firedCounts(type, ids);
      expect(perTicket.filter((count) => count !== 1), type).toEqual([]);
    }
  });

  it('every process stopped, one restarted: the marks that fell due meanwhile fire at start, marked late', async () => {
    const token = await login(second.url, 'dispatcher');
    const ids = await createTickets([client(second.url, token)], 100);
    await second.stop();
    const due = await lastDue(ids);
    const { perTicket: beforeRestart } = await firedCounts('sla.breached', ids);
    expect(beforeRestart.every((count) => count === 0)).toBe(true);
    // On a busy machine some warnings (at 80 % of 3 s) fire before the stop: those are on time.
    const warnedBefore = (await firedCounts('sla.warning', ids)).perTicket.filter((count) => count === 1).length;
    await waitUntil(due + 3_000);

    third = await spawnApi(ENV);
    // Polled with a bound, not a fixed pause: a busy machine may take longer to catch up.
    for (const type of ['sla.warning', 'sla.breached']) {
      await expect.poll(async () => (await firedCounts(type, ids)).perTicket.filter((count) => count === 0).length, { timeout: 20_000, interval: 250, message: type }).toBe(0);
    }
    await sleep(500); // anything that would fire twice has had its chance
    for (const type of ['sla.warning', 'sla.breached']) {
      const { perTicket, late } = await firedCounts(type, ids);
      expect(perTicket.filter((count) => count !== 1), type).toEqual([]);
      // Every mark that fell due while all were down fired at the restart, flagged late.
      expect(late, type).toBe(type === 'sla.breached' ? 100 : 100 - warnedBefore);
    }
  }, 60_000);
});
