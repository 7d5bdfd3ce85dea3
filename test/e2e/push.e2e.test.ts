import { type AnyDomainEvent, type FeedStatus, LiveFeed } from '@dispatch/domain';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, client, login, type RunningApi, resetTickets, startApi } from '../support/api';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../support/env';
import { nthUnit, repairFrom } from '../support/fixtures';
import { type ApiProcess, spawnApi } from '../support/process';
import { sleep, type TestSocket } from '../support/socket';

/** A client as the console builds it: a socket that reconnects by itself, and the shared LiveFeed. */
function feedClient(url: string, token: string) {
  const socket: TestSocket = io(url, { transports: ['websocket'], auth: { token }, reconnectionDelay: 100, reconnectionDelayMax: 200, forceNew: true });
  const seqs: number[] = [];
  const events: AnyDomainEvent[] = [];
  let status: FeedStatus = 'connecting';
  const feed = new LiveFeed(socket, {
    onEvent: (event) => {
      seqs.push(event.seq);
      events.push(event);
    },
    onStatus: (next) => (status = next),
  });
  const until = async (condition: () => boolean, what: string, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(20);
    }
  };
  return { socket, feed, seqs, events, status: () => status, until };
}

describe('resume after an outage, through the shared LiveFeed', () => {
  let api: RunningApi;
  let desk: Client;
  let guardDesk: Client;

  beforeAll(async () => {
    api = await startApi();
    await resetTickets(api.db);
    desk = client(api.url, await login(api.url, 'dispatcher'));
    guardDesk = client(api.url, await login(api.url, 'guard'));
  });
  afterAll(async () => {
    await api?.close();
  });

  it('a technician\'s tablet misses 200 events, reconnects, and gets exactly its scope\'s missed events in order, none twice', async () => {
    const [technician] = await api.db.query<Array<{ id: string }>>(`SELECT id FROM staff WHERE username = 'technician'`);
    const tablet = feedClient(api.url, await login(api.url, 'technician'));
    await tablet.until(() => tablet.status() === 'live', 'the first hello');
    const startedAt = tablet.feed.position ?? 0;

    tablet.socket.io.engine.close(); // the network drops; socket.io will reconnect by itself
    await tablet.until(() => tablet.status() === 'offline', 'the drop');
    tablet.socket.disconnect(); // stay away while the events happen
    // 200 events while away: engineering repairs (its scope) and security help (not its scope).
    for (let i = 0; i < 50; i++) {
      const repair = await desk.post('/api/tickets').send(repairFrom(nthUnit(i), { category: 'lights' }));
      const dispatched = await desk.post(`/api/tickets/${repair.body.id}/actions`).send({ action: 'dispatch', version: 1, assigneeId: technician.id });
      expect(dispatched.status, JSON.stringify(dispatched.body)).toBe(200);
      const help = await desk.post('/api/tickets').send({ kind: 'help', channel: 'phone', category: 'security', description: `巡查 ${i}`, location: { area: 'GATE-N' } });
      await guardDesk.post(`/api/tickets/${help.body.id}/actions`).send({ action: 'contact', version: 1, outcome: 'reached', via: 'phone', note: '已联系' });
    }

    tablet.socket.connect();
    // More events keep coming while it replays: they must neither jump the queue nor be lost.
    const during = Array.from({ length: 10 }, (_, i) => desk.post('/api/tickets').send(repairFrom(`1-1-${i % 2 ? 101 : 102}`, { category: 'lift' })));
    await Promise.all(during);
    // What its scope holds after the drop, by SQL: engineering tickets (also those where
    // engineering assists), or assigned to it.
    const expected = await api.db.query<Array<{ seq: string }>>(
      `SELECT e.seq FROM event_log e JOIN ticket t ON t.id = e.ticket_id
        WHERE e.seq > $1 AND (t.department = 'engineering' OR 'engineering' = ANY(t.also_departments) OR t.assignee_id = $2) ORDER BY e.seq`,
      [startedAt, technician.id],
    );
    const lastInScope = Number(expected.at(-1)?.seq);
    await tablet.until(() => tablet.status() === 'live' && (tablet.seqs.at(-1) ?? 0) >= lastInScope, 'the replay and the live tail');
    await sleep(300);

    const missed = await api.db.query<Array<{ count: string }>>('SELECT count(*) FROM event_log WHERE seq > $1', [startedAt]);
    expect(Number(missed[0].count)).toBeGreaterThanOrEqual(200);
    expect(tablet.seqs).toEqual(expected.map((row) => Number(row.seq)));
    expect(
      tablet.events.every((event) => {
        const ticket = (event.data as { ticket?: { department: string; alsoDepartments?: string[] } }).ticket;
        return ticket?.department === 'engineering' || ticket?.department === 'customer_service';
      }),
    ).toBe(true);
    tablet.socket.close();
  });
});

describe('two api processes on one Redis', () => {
  let first: ApiProcess;
  let second: ApiProcess;

  beforeAll(async () => {
    const env = { DATABASE_URL: TEST_DATABASE_URL, REDIS_URL: TEST_REDIS_URL, SEED_DEMO: '1', NODE_ENV: 'test', JWT_SECRET: 'push-test-secret-0123456789abcdef-0123' };
    [first, second] = await Promise.all([spawnApi(env), spawnApi(env)]);
  });
  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
  });

  it('events written through either reach clients on both, every client in seq order, each once', async () => {
    const token = await login(first.url, 'dispatcher');
    const clients = [feedClient(first.url, token), feedClient(second.url, token), feedClient(first.url, token), feedClient(second.url, token)];
    for (const c of clients) await c.until(() => c.status() === 'live', 'hello');
    const desks = [client(first.url, token), client(second.url, token)];
    const created: number[] = [];
    for (let round = 0; round < 5; round++) {
      const batch = await Promise.all(
        Array.from({ length: 20 }, (_, i) => desks[i % 2].post('/api/tickets').send(repairFrom(`${(i % 6) + 1}-1-${(round % 6) + 1}0${(i % 2) + 1}`, { category: 'door_lock' }))),
      );
      for (const res of batch) {
        expect(res.status).toBe(201);
        created.push(res.body.seq);
      }
    }
    for (const c of clients) await c.until(() => created.every((seq) => c.seqs.includes(seq)), 'all 100 tickets');
    for (const c of clients) {
      const increasing = c.seqs.every((seq, i) => i === 0 || seq > c.seqs[i - 1]);
      expect(increasing, c.seqs.join(',')).toBe(true);
    }
    for (const c of clients) c.socket.close();
  });
});
