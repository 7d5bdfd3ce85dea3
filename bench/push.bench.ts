/**
 * `npm run bench:push`: N sockets (100, 1,000, 2,000; half wallboards, half security tablets)
 * on one api process; alarms posted at a steady rate; the latency from each POST to each
 * socket's receipt, p50/p99/max, and the api's RSS. The same payloads through a bare
 * Socket.IO server (no Nest, no database) give the floor. Prints figures; asserts nothing.
 */
import { fork } from 'node:child_process';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { BENCH_DATABASE_URL, freshDatabase, login, percentile, rssMb, sleep, startApi } from './support';

const SIZES = (process.env.BENCH_SOCKETS ?? '100,1000,2000').split(',').map(Number);
const RATE_PER_S = Number(process.env.BENCH_RATE ?? 5);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 10_000);
/** Client processes sharing the sockets, so client-side parsing is not what gets measured. */
const CLIENT_PROCESSES = Number(process.env.BENCH_CLIENT_PROCESSES ?? 4);

interface Stats {
  p50: number;
  p99: number;
  max: number;
  samples: number;
  missing: number;
}

function stats(latencies: number[], expected: number): Stats {
  const sorted = latencies.sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN, samples: sorted.length, missing: expected - sorted.length };
}

interface Clients {
  collect: () => Promise<Array<[string, number]>>;
}

/** Forks the client processes and connects `count` sockets among them. */
async function connectAll(url: string, count: number, tokens: string[]): Promise<Clients> {
  const share = Math.ceil(count / CLIENT_PROCESSES);
  const children = Array.from({ length: Math.min(CLIENT_PROCESSES, count) }, () =>
    fork(resolve(__dirname, 'push-client.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }),
  );
  await Promise.all(
    children.map(
      (child, i) =>
        new Promise<void>((done) => {
          child.once('message', () => done());
          child.send({ start: { url, tokens, count: Math.min(share, count - i * share), offset: i * share } });
        }),
    ),
  );
  return {
    collect: async () => {
      const all = await Promise.all(
        children.map(
          (child) =>
            new Promise<Array<[string, number]>>((done) => {
              child.once('message', (message: { receipts: Array<[string, number]> }) => done(message.receipts));
              child.send({ stop: true });
            }),
        ),
      );
      return all.flat();
    },
  };
}

/** Sends `count` deliveries at the steady rate; `send(i)` returns when the request went out. */
async function steady(count: number, send: (i: number) => void): Promise<void> {
  const start = Date.now();
  for (let i = 0; i < count; i++) {
    await sleep(Math.max(0, start + (i * 1000) / RATE_PER_S - Date.now()));
    send(i);
  }
}

async function commitMs(): Promise<number> {
  const db = new Client({ connectionString: BENCH_DATABASE_URL });
  await db.connect();
  await db.query('CREATE TABLE IF NOT EXISTS bench_commit (n int)');
  const times: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    await db.query('BEGIN');
    await db.query('INSERT INTO bench_commit VALUES ($1)', [i]);
    await db.query('COMMIT');
    times.push(performance.now() - t);
  }
  await db.end();
  return percentile(times.sort((a, b) => a - b), 50);
}

async function runApi(size: number): Promise<{ stats: Stats; rss: number; payloads: unknown[] }> {
  await freshDatabase();
  const api = await startApi({ DATABASE_URL: BENCH_DATABASE_URL, SEED_DEMO: '1', JWT_SECRET: 'bench-secret-0123456789abcdef-0123456789' });
  const tokens = [await login(api.url, 'dispatcher'), await login(api.url, 'guard')];
  const clients = await connectAll(api.url, size, tokens);
  const sentAt = new Map<string, number>();
  const post = (eventId: string) =>
    fetch(`${api.url}/api/alarms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-device-key': 'demo-device-key' },
      body: JSON.stringify({ deviceId: 'ir-3-201', eventId, kind: 'intrusion' }),
    });
  await post('warm-up'); // opens the alarm; every delivery after it folds in (alarm.repeated)
  await sleep(500);
  let maxRss = 0;
  const sampler = setInterval(() => (maxRss = Math.max(maxRss, rssMb(api.child.pid))), 250);
  const count = Math.round((DURATION_MS / 1000) * RATE_PER_S);
  const pending: Promise<Response>[] = [];
  await steady(count, (i) => {
    const eventId = `bench-${i}`;
    sentAt.set(eventId, Date.now());
    pending.push(post(eventId));
  });
  // The floor later broadcasts these very bodies (the alarm as the api answered it: same size and shape).
  const payloads: unknown[] = await Promise.all(pending.map(async (response) => (await response).json()));
  await sleep(1_000);
  clearInterval(sampler);
  const latencies = (await clients.collect()).flatMap(([key, at]) => (sentAt.has(key) ? [at - (sentAt.get(key) ?? at)] : []));
  await api.stop();
  return { stats: stats(latencies, count * size), rss: maxRss, payloads };
}

async function runFloor(size: number, payloads: unknown[]): Promise<Stats> {
  const port = 39_000 + Math.floor(Math.random() * 1000);
  const server = fork(resolve(__dirname, 'floor-server.mjs'), { env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });
  await new Promise<void>((done) => server.once('message', () => done()));
  const url = `http://127.0.0.1:${port}`;
  const clients = await connectAll(url, size, []);
  const sentAt = new Map<string, number>();
  const count = Math.min(payloads.length, Math.round((DURATION_MS / 1000) * RATE_PER_S));
  const pending: Promise<unknown>[] = [];
  await steady(count, (i) => {
    sentAt.set(`floor-${i}`, Date.now());
    pending.push(fetch(`${url}/emit`, { method: 'POST', body: JSON.stringify({ ...(payloads[i] as object), benchIndex: i }) }));
  });
  await Promise.all(pending);
  await sleep(1_000);
  const latencies = (await clients.collect()).flatMap(([key, at]) => (sentAt.has(key) ? [at - (sentAt.get(key) ?? at)] : []));
  server.kill();
  return stats(latencies, count * size);
}

async function main(): Promise<void> {
  console.log(`bench:push: ${RATE_PER_S} alarms/s for ${DURATION_MS / 1000} s per size (${new Date().toISOString()})`);
  for (const size of SIZES) {
    const api = await runApi(size);
    const floor = await runFloor(size, api.payloads);
    const commit = await commitMs();
    const fmt = (s: Stats) => `p50 ${s.p50} ms, p99 ${s.p99} ms, max ${s.max} ms (${s.samples} receipts, ${s.missing} missing)`;
    console.log(`\n${size} sockets`);
    console.log(`  api   POST → received: ${fmt(api.stats)}; api RSS peak ${api.rss.toFixed(0)} MB`);
    console.log(`  floor POST → received: ${fmt(floor)} (bare Socket.IO, same payloads)`);
    console.log(`  one PostgreSQL commit: ${commit.toFixed(1)} ms; ratio api p99 / floor p99 = ${(api.stats.p99 / Math.max(1, floor.p99)).toFixed(2)}; budget 2 × (floor p99 + commit) = ${(2 * (floor.p99 + commit)).toFixed(0)} ms`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
