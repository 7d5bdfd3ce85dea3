import { type AnyDomainEvent, type FeedStatus, LiveFeed } from '@dispatch/domain';
import { Client as PgClient } from 'pg';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, login, resetTickets } from '../support/api';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../support/env';
import { nthUnit, repairFrom } from '../support/fixtures';
import { type ApiProcess, spawnApi } from '../support/process';
import { sleep, type TestSocket } from '../support/socket';

const ENV = {
  DATABASE_URL: TEST_DATABASE_URL,
  REDIS_URL: TEST_REDIS_URL,
  SEED_DEMO: '1',
  NODE_ENV: 'test',
  JWT_SECRET: 'feed-faults-test-secret-0123456789abcdef',
  LOG_LEVEL: 'info',
};

/** Polls a condition with a bound: never a fixed wait on the wall clock. */
async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** A console's feed: a socket that reconnects by itself, and the shared LiveFeed. */
function feedOf(url: string, token: string) {
  const socket: TestSocket = io(url, { transports: ['websocket'], auth: { token }, reconnectionDelay: 50, reconnectionDelayMax: 200, forceNew: true });
  const seqs: number[] = [];
  let status: FeedStatus = 'connecting';
  const feed = new LiveFeed(socket, { onEvent: (event) => seqs.push(event.seq), onStatus: (next) => (status = next) });
  return { socket, feed, seqs, status: () => status, token };
}

/** A raw socket that never reconnects: what it is sent on the wire. */
async function rawSocket(url: string, token: string) {
  const socket: TestSocket = io(url, { transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true });
  const seqs: number[] = [];
  socket.on('event', (event: AnyDomainEvent) => seqs.push(event.seq));
  const hello = await new Promise<{ lastSeq: number }>((resolve) => socket.once('hello', resolve));
  return { socket, seqs, from: hello.lastSeq, token };
}

/** The log in an actor's scope after `after`, as GET /api/events answers it. */
async function scopedLog(url: string, token: string, after: number): Promise<number[]> {
  const seqs: number[] = [];
  let cursor = after;
  for (;;) {
    const res = await client(url, token).get(`/api/events?after=${cursor}&limit=500`);
    expect(res.status).toBe(200);
    const items = res.body.items as AnyDomainEvent[];
    seqs.push(...items.map((event) => event.seq));
    if (items.length < 500) return seqs;
    cursor = items[items.length - 1].seq;
  }
}

describe('the feed under faults: forced reconnections, a steady load, the publisher killed', { timeout: 120_000 }, () => {
  let publisher: ApiProcess;
  let apis: ApiProcess[] = [];

  beforeAll(async () => {
    // Started first, so it wins the publisher lock: the process the test kills.
    publisher = await spawnApi(ENV);
    await until(() => publisher.output().includes('publishing the event log'), 'the publisher election', 15_000);
    apis = await Promise.all([spawnApi(ENV), spawnApi(ENV)]);
    // Clean ticket tables: earlier reports at the same units would make these repeats (complaints).
    const db = new PgClient({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    await resetTickets(db);
    await db.end();
  });
  afterAll(async () => {
    await Promise.all([publisher, ...apis].map((api) => api?.stop()));
  });

  it('every feed delivers exactly its scope of the log, and every raw socket gets each seq once, in order, no gap', async () => {
    const [first, second] = apis;
    const users = ['dispatcher', 'manager', 'technician', 'guard'];
    const tokens = await Promise.all(users.map((user) => login(first.url, user)));
    const [dispatcherToken] = tokens;
    const [technician] = (await client(first.url, dispatcherToken).get('/api/staff?department=engineering')).body.filter(
      (person: { name: string; role: string }) => person.role === 'field',
    ) as Array<{ id: string }>;

    // 8 feeds, 4 on each process, in the scopes of a desk, a manager, a technician and a guard.
    const feeds = [first, second].flatMap((api) => tokens.map((token) => feedOf(api.url, token)));
    await until(() => feeds.every((feed) => feed.status() === 'live'), 'every feed live');
    const raws = await Promise.all([first, second].flatMap((api) => [tokens[0], tokens[2]].map((token) => rawSocket(api.url, token))));
    const start = Math.min(...feeds.map((feed) => feed.feed.position ?? 0));

    // A steady load through both surviving processes: repairs dispatched to the technician, help for security.
    let loading = true;
    let created = 0;
    const load = (async () => {
      for (let i = 0; loading; i++) {
        const via = client(apis[i % 2].url, dispatcherToken);
        const repair = await via.post('/api/tickets').send(repairFrom(nthUnit(i % 144), { category: 'lights' }));
        expect(repair.status, JSON.stringify(repair.body)).toBe(201);
        const dispatched = await via.post(`/api/tickets/${repair.body.id}/actions`).send({ action: 'dispatch', version: 1, assigneeId: technician.id });
        expect(dispatched.status, JSON.stringify(dispatched.body)).toBe(200);
        // And a request for help to security: the guard's scope.
        if (i % 3 === 0) {
          const help = await via.post('/api/tickets').send(repairFrom(nthUnit((i + 7) % 144), { kind: 'help', category: 'security', repair: undefined }));
          expect(help.status, JSON.stringify(help.body)).toBe(201);
        }
        created += 1;
      }
    })();
    // Sockets dropped at random every 150 ms (Socket.IO reconnects them), for the whole run.
    let dropping = true;
    const drops = (async () => {
      for (let i = 0; dropping; i++) {
        feeds[(i * 5) % feeds.length].socket.io.engine?.close();
        await sleep(150);
      }
    })();

    await until(() => created >= 40, '40 repairs under load');
    publisher.child.kill('SIGKILL');
    await until(() => apis.some((api) => api.output().includes('publishing the event log')), 'a new publisher', 15_000);
    const atKill = created;
    await until(() => created >= atKill + 40, '40 more repairs after the kill');
    loading = false;
    dropping = false;
    await Promise.all([load, drops]);

    for (const feed of feeds) {
      const expected = await scopedLog(first.url, feed.token, start);
      const delivered = () => feed.seqs.filter((seq) => seq > start);
      await until(() => feed.status() === 'live' && delivered().length >= expected.length, 'the feed to catch up').catch(() => undefined);
      expect(expected.length).toBeGreaterThan(0);
      expect(delivered()).toEqual(expected);
    }
    // The wire: the raw sockets stayed connected through the fail-over (the new publisher
    // re-reads from its saved cursor); each got its scope once, in order, with no gap.
    for (const raw of raws) {
      const expected = await scopedLog(first.url, raw.token, raw.from);
      await until(() => raw.seqs.length >= expected.length, 'the raw socket to receive its scope', 10_000).catch(() => undefined);
      const duplicates = raw.seqs.length - new Set(raw.seqs).size;
      expect(raw.seqs, `${duplicates} duplicates`).toEqual(expected);
      raw.socket.close();
    }
    for (const feed of feeds) feed.socket.close();
  });
});
