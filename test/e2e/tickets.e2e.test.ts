import type { ResumeResult } from '@dispatch/domain';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Client, client, login, type RunningApi, resetTickets, rowCounts, startApi } from '../support/api';
import { expectFieldError, repairFrom } from '../support/fixtures';
import { type Listener, listen, sleep } from '../support/socket';

let api: RunningApi;
let wallboard: Listener;
let desk: Client;
let token: string;

beforeAll(async () => {
  api = await startApi();
  await resetTickets(api.db);
  token = await login(api.url, 'dispatcher');
  desk = client(api.url, token);
});
afterAll(async () => {
  wallboard?.close();
  await api?.close();
});

describe('ticket numbers for the life of the database', () => {
  it('stay unique and readable past the 9,999th ticket (four digits, then more)', async () => {
    await api.db.query(`SELECT setval('ticket_number_seq', 9997)`);
    const numbers: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await desk.post('/api/tickets').send(repairFrom('4-2-302'));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      numbers.push(res.body.number);
    }
    expect(numbers.map((number) => number.split('-')[1])).toEqual(['9998', '9999', '10000', '10001']);
    expect(new Set(numbers).size).toBe(4);
  });
});

describe('POST /api/tickets: one real path through the app', () => {
  beforeEach(async () => {
    wallboard?.close();
    wallboard = await listen(api.url, token);
  });

  it('writes ticket, dispatch clock and ticket.created together, then pushes the event', async () => {
    const before = await rowCounts(api.db);
    const res = await desk.post('/api/tickets').send(repairFrom('4-2-301'));

    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      kind: 'repair',
      status: 'received',
      version: 1,
      department: 'engineering',
      location: { unit: '4-2-301', label: '4-2-301' },
    });
    expect(res.body.number).toMatch(/^\d{6}-\d{4,}$/);
    // The first deadlines, computed by the server: dispatch within one minute of receipt,
    // first contact with the owner within 15 minutes.
    const clocks = Object.fromEntries(res.body.clocks.map((clock: { clock: string }) => [clock.clock, clock]));
    expect(Object.keys(clocks).sort()).toEqual(['contact', 'dispatch']);
    const dispatch = clocks.dispatch;
    expect(dispatch).toMatchObject({ round: 1, state: 'running', businessHours: false, metAt: null });
    expect(Date.parse(dispatch.dueAt) - Date.parse(res.body.receivedAt)).toBe(60_000);
    expect(Date.parse(dispatch.warnAt) - Date.parse(res.body.receivedAt)).toBe(48_000);
    expect(Date.parse(clocks.contact.dueAt) - Date.parse(res.body.receivedAt)).toBe(15 * 60_000);
    expect(Math.abs(Date.parse(res.body.receivedAt) - Date.now())).toBeLessThan(10_000);

    const pushed = await wallboard.waitForEvent((event) => event.ticketId === res.body.id);
    expect(pushed.type).toBe('ticket.created');
    expect(pushed.seq).toBe(res.body.seq);
    expect(pushed.seq).toBeGreaterThan(wallboard.hello.lastSeq);
    if (pushed.type === 'ticket.created') expect(pushed.data.ticket.clocks).toEqual(res.body.clocks);

    expect(await rowCounts(api.db)).toEqual({
      ticket: before.ticket + 1,
      ticket_clock: before.ticket_clock + 2,
      ticket_document: before.ticket_document,
      event_log: before.event_log + 1,
    });
  });

  it('keeps personal data out of the view and out of the event log', async () => {
    const res = await desk.post('/api/tickets').send(repairFrom('4-2-302'));
    expect(res.status).toBe(201);
    const [logged] = await api.db.query<Array<{ data: unknown }>>('SELECT data FROM event_log WHERE seq = $1', [res.body.seq]);
    const [row] = await api.db.query<Array<{ reporter_phone: string; reporter_name: string }>>(
      'SELECT reporter_phone, reporter_name FROM ticket WHERE id = $1',
      [res.body.id],
    );
    expect(row).toEqual({ reporter_phone: expect.stringMatching(/^1390100\d{4}$/), reporter_name: '王先生' });
    for (const text of [JSON.stringify(res.body), JSON.stringify(logged.data)]) {
      expect(text).not.toContain(row.reporter_phone);
      expect(text).not.toContain(row.reporter_name);
    }
  });

  it('routes a public-area repair by its category', async () => {
    const res = await desk
      .post('/api/tickets')
      .send(repairFrom(undefined, { category: 'greenery', location: { area: 'GARDEN-C' }, repair: { inUnit: false, inWarranty: false, paid: false } }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ department: 'landscaping', location: { area: 'GARDEN-C', label: '中心花园' } });
  });

  it('returns the ticket with its timeline, and the event log pages in order', async () => {
    const created = await desk.post('/api/tickets').send(repairFrom('1-1-101'));
    const detail = await desk.get(`/api/tickets/${created.body.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.ticket.id).toBe(created.body.id);
    expect(detail.body.timeline.map((event: { type: string; seq: number }) => [event.type, event.seq])).toEqual([
      ['ticket.created', created.body.seq],
    ]);

    const page = await desk.get(`/api/events?after=${created.body.seq - 1}&limit=1`);
    expect(page.status).toBe(200);
    expect(page.body.items.map((event: { seq: number }) => event.seq)).toEqual([created.body.seq]);
    expect(page.body.lastSeq).toBeGreaterThanOrEqual(created.body.seq);

    const list = await desk.get('/api/tickets?status=open&limit=500');
    expect(list.body.items.map((ticket: { id: string }) => ticket.id)).toContain(created.body.id);
  });

  it('pages the ticket list with a cursor, newest first, without repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await desk.get('/api/tickets').query({ limit: 2, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((ticket: { id: string }) => ticket.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    const [{ count }] = await api.db.query<Array<{ count: string }>>('SELECT count(*) FROM ticket');
    expect(seen).toHaveLength(Number(count));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('absorbs a retried delivery with the same Idempotency-Key', async () => {
    const body = repairFrom('2-1-201');
    const first = await desk.post('/api/tickets').set('Idempotency-Key', 'call-0001').send(body);
    const before = await rowCounts(api.db);
    const retries = await Promise.all(
      Array.from({ length: 5 }, () => desk.post('/api/tickets').set('Idempotency-Key', 'call-0001').send(body)),
    );
    expect(first.status).toBe(201);
    for (const retry of retries) {
      expect(retry.status).toBe(200);
      expect(retry.body).toMatchObject({ id: first.body.id, seq: first.body.seq });
    }
    expect(await rowCounts(api.db)).toEqual(before);
  });

  it('gives 20 concurrent intakes 20 consecutive seqs, each pushed once', async () => {
    const before = await rowCounts(api.db);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => desk.post('/api/tickets').send(repairFrom(`3-${(i % 2) + 1}-${(i % 6) + 1}0${(i % 2) + 1}`))),
    );
    const [{ last }] = await api.db.query<Array<{ last: string }>>('SELECT coalesce(max(seq), 0) AS last FROM event_log');
    const seqs = results.map((res) => res.body.seq as number).sort((a, b) => a - b);
    expect(results.every((res) => res.status === 201)).toBe(true);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => Number(last) - 19 + i));
    expect((await rowCounts(api.db)).event_log).toBe(before.event_log + 20);
    for (const seq of seqs) await wallboard.waitForEvent((event) => event.seq === seq);
    const received = wallboard.events.filter((event) => seqs.includes(event.seq)).map((event) => event.seq);
    expect(received.sort((a, b) => a - b)).toEqual(seqs);
  });
});

describe('bad input changes nothing', () => {
  const huge = 'x'.repeat(1024 * 1024);
  const cases: Array<[string, () => request.Test, number, string]> = [
    ['missing kind', () => desk.post('/api/tickets').send(repairFrom(undefined, { kind: undefined })), 400, 'kind'],
    ['kind of the wrong type', () => desk.post('/api/tickets').send(repairFrom(undefined, { kind: 5 })), 400, 'kind'],
    ['unknown kind', () => desk.post('/api/tickets').send(repairFrom(undefined, { kind: 'alarm' })), 400, 'kind'],
    ['unknown top-level field', () => desk.post('/api/tickets').send(repairFrom(undefined, { owner: 'x' })), 400, 'owner'],
    ['unknown nested field', () => desk.post('/api/tickets').send(repairFrom(undefined, { location: { unit: '4-2-301', floor: 3 } })), 400, 'location.floor'],
    ['location missing', () => desk.post('/api/tickets').send(repairFrom(undefined, { location: undefined })), 400, 'location'],
    ['location as a string', () => desk.post('/api/tickets').send(repairFrom(undefined, { location: '4-2-301' })), 400, 'location'],
    ['both unit and area', () => desk.post('/api/tickets').send(repairFrom(undefined, { location: { unit: '4-2-301', area: 'GATE-N' } })), 400, 'location'],
    ['malformed unit code', () => desk.post('/api/tickets').send(repairFrom('4/2/301')), 400, 'location.unit'],
    ['unit not in the estate', () => desk.post('/api/tickets').send(repairFrom('9-9-909')), 400, 'location.unit'],
    ['unknown public area', () => desk.post('/api/tickets').send(repairFrom(undefined, { location: { area: 'MOON' }, repair: undefined })), 400, 'location.area'],
    ['empty description', () => desk.post('/api/tickets').send(repairFrom(undefined, { description: '' })), 400, 'description'],
    ['description over 2000 characters', () => desk.post('/api/tickets').send(repairFrom(undefined, { description: 'x'.repeat(2001) })), 400, 'description'],
    ['phone with letters', () => desk.post('/api/tickets').send(repairFrom(undefined, { reporter: { name: '王', phone: 'call me' } })), 400, 'reporter.phone'],
    ['repair flags on an inquiry', () => desk.post('/api/tickets').send(repairFrom(undefined, { kind: 'inquiry' })), 400, 'repair'],
    ['in-unit flag on a public area', () => desk.post('/api/tickets').send(repairFrom(undefined, { location: { area: 'GATE-N' } })), 400, 'repair.inUnit'],
    ['bad idempotency key', () => desk.post('/api/tickets').set('Idempotency-Key', 'x'.repeat(101)).send(repairFrom()), 400, 'Idempotency-Key'],
    ['malformed JSON', () => desk.post('/api/tickets').set('content-type', 'application/json').send('{"kind": "repair",'), 400, 'body'],
    ['1 MB description', () => desk.post('/api/tickets').send(repairFrom(undefined, { description: huge })), 413, 'body'],
    ['bad list filter', () => desk.get('/api/tickets?status=burning'), 400, 'status'],
    ['forged cursor', () => desk.get('/api/tickets?cursor=bm90LWEtY3Vyc29y'), 400, 'cursor'],
  ];

  it.each(cases)('%s: %i naming the field, no row written, nothing pushed', async (_name, send, status, field) => {
    const listener = await listen(api.url, token);
    const before = await rowCounts(api.db);
    const res = await send();
    expectFieldError(res, status, field);
    expect(await rowCounts(api.db)).toEqual(before);
    await sleep(100);
    expect(listener.events).toEqual([]);
    listener.close();
  });

  it('answers an unknown or malformed ticket id with 404 / 400', async () => {
    expect((await desk.get('/api/tickets/6f1c3c2e-5b1a-4c56-9d0e-2a0b8f8d9e11')).status).toBe(404);
    const malformed = await desk.get("/api/tickets/1'%20OR%20'1'='1");
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
  });
});

describe('the event log', () => {
  it('refuses UPDATE and DELETE at the database', async () => {
    await desk.post('/api/tickets').send(repairFrom('5-1-101'));
    await expect(api.db.query(`UPDATE event_log SET type = 'tampered'`)).rejects.toThrow(/append-only/);
    await expect(api.db.query('DELETE FROM event_log')).rejects.toThrow(/append-only/);
    const [{ tampered }] = await api.db.query<Array<{ tampered: string }>>(`SELECT count(*) AS tampered FROM event_log WHERE type = 'tampered'`);
    expect(Number(tampered)).toBe(0);
  });

  it('replays everything after a seq to a resuming socket, in order, in pages carried by the ack', async () => {
    const listener = await listen(api.url, token);
    const { lastSeq } = listener.hello;
    // Everything but the access records (sign-ins), which only managers and admins replay.
    const rows = await api.db.query<Array<{ seq: string }>>(`SELECT seq FROM event_log WHERE type NOT LIKE 'access.%' ORDER BY seq`);
    const first = Number(rows[0].seq);
    const ack = (await listener.socket.timeout(5000).emitWithAck('resume', { afterSeq: first - 1 })) as ResumeResult;
    if ('error' in ack) throw new Error(ack.error);
    expect(ack).toMatchObject({ throughSeq: lastSeq, hasMore: false });
    expect(ack.events.map((event) => event.seq)).toEqual(rows.map((row) => Number(row.seq)));
    // Replay travels in the acknowledgement, never as live events.
    expect(listener.events).toEqual([]);
    listener.close();
  });

  it('answers a malformed resume with a socket error event', async () => {
    const listener = await listen(api.url, token);
    const error = new Promise((resolve) => listener.socket.once('error', resolve));
    listener.socket.emit('resume', { afterSeq: -3 });
    await expect(error).resolves.toMatchObject({ code: 'bad_request' });
    listener.close();
  });
});

describe('operations', () => {
  it('reports health with the database up and fan-out in-process', async () => {
    const res = await desk.get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', db: 'up', redis: 'disabled' });
  });

  it('publishes the OpenAPI document with the ticket routes', async () => {
    const res = await desk.get('/api/docs-json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/tickets', '/api/tickets/{id}', '/api/events', '/api/health']));
    expect((await desk.get('/api/docs')).status).toBe(200);
  });

  it('answers a socket hello with the server clock and the last seq', async () => {
    const listener = await listen(api.url, token);
    expect(Math.abs(listener.hello.serverTime - Date.now())).toBeLessThan(5_000);
    const [{ last }] = await api.db.query<Array<{ last: string }>>('SELECT coalesce(max(seq), 0) AS last FROM event_log');
    expect(listener.hello.lastSeq).toBe(Number(last));
    listener.close();
  });
});
