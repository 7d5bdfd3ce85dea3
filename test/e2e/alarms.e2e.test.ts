import type { AnyDomainEvent, TicketView } from '@dispatch/domain';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, client, login, type RunningApi, resetTickets, rowCounts, startApi } from '../support/api';
import { expectFieldError } from '../support/fixtures';
import { type Listener, listen, sleep } from '../support/socket';

let api: RunningApi;
let desk: Client;
let guard: Client;
let deskToken: string;
const listeners: Listener[] = [];
let eventCounter = 0;

beforeAll(async () => {
  api = await startApi();
  await resetTickets(api.db);
  deskToken = await login(api.url, 'dispatcher');
  desk = client(api.url, deskToken);
  guard = client(api.url, await login(api.url, 'guard'));
});
afterAll(async () => {
  for (const listener of listeners) listener.close();
  await api?.close();
});

type AlarmTicket = TicketView & { seq: number | null; outcome: string };

/** A delivery from the seed-001 detector; `key: null` sends none. */
function deliver(body: Record<string, unknown>, key: string | null = 'demo-device-key') {
  const test = request(api.url).post('/api/alarms');
  return (key === null ? test : test.set('X-Device-Key', key)).send({ deviceId: 'ir-3-201', eventId: `evt-${++eventCounter}`, kind: 'intrusion', ...body });
}

const alarmRows = () => rowCounts(api.db, ['alarm', 'alarm_delivery', 'ticket', 'event_log']);

/** Closes an alarm so the device's next report opens a new one rather than folding. */
async function finish(alarm: AlarmTicket): Promise<void> {
  const res = await desk.post(`/api/tickets/${alarm.id}/actions`).send({ action: 'clear', version: alarm.version, outcome: 'test', reason: '测试结束' });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

describe('device authentication', () => {
  it.each([
    ['no key', null],
    ['a forged key', 'not-the-key'],
    ['another device\'s key', 'demo-device-key-smoke'],
  ])('%s → 401, nothing stored', async (_name, key) => {
    const before = await alarmRows();
    const res = await deliver({}, key);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, message: 'Unknown device or wrong X-Device-Key' });
    expect(await alarmRows()).toEqual(before);
  });

  it('authentication comes first: a bad body without a valid key is 401, naming no field of the schema', async () => {
    for (const key of [null, 'not-the-key']) {
      let attempt = request(api.url).post('/api/alarms');
      if (key) attempt = attempt.set('X-Device-Key', key);
      const res = await attempt.send({ kind: 'earthquake', extra: true });
      expect(res.status).toBe(401);
      expect(res.body.details).toBeUndefined();
      expect(JSON.stringify(res.body)).not.toMatch(/kind|eventId|deviceId/);
    }
  });

  it('an unknown device → 401; a malformed body → 400 naming the field; neither stores anything', async () => {
    const before = await alarmRows();
    expect((await deliver({ deviceId: 'no-such-device' })).status).toBe(401);
    expectFieldError(await deliver({ kind: 'earthquake' }), 400, 'kind');
    expectFieldError(await deliver({ eventId: '' }), 400, 'eventId');
    expect(await alarmRows()).toEqual(before);
  });

  it('a rotated key replaces the old one at once, and the rotation is logged without the key', async () => {
    const admin = client(api.url, await login(api.url, 'admin'));
    expect((await desk.post('/api/devices/leak-b1/rotate-key')).status).toBe(403);
    const rotated = await admin.post('/api/devices/leak-b1/rotate-key');
    expect(rotated.status).toBe(200);
    const { key } = rotated.body as { key: string };
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await deliver({ deviceId: 'leak-b1', kind: 'water_leak' }, 'demo-device-key-leak')).status).toBe(401);
    const created = await deliver({ deviceId: 'leak-b1', kind: 'water_leak' }, key);
    expect(created.status).toBe(201);
    await finish(created.body);
    const [logged] = await api.db.query<Array<{ data: unknown }>>(`SELECT data FROM event_log WHERE type = 'device.key_rotated' ORDER BY seq DESC LIMIT 1`);
    expect(JSON.stringify(logged.data)).not.toContain(key);
    const [stored] = await api.db.query<Array<{ key_hash: string }>>(`SELECT key_hash FROM device WHERE id = 'leak-b1'`);
    expect(stored.key_hash).not.toContain(key);
  });
});

describe('idempotency and storms', () => {
  it('the same delivery twice → one alarm; the retry changes nothing', async () => {
    const body = { eventId: 'panel-retry-0001' };
    const first = await deliver(body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ kind: 'alarm', outcome: 'created', alarm: { deviceId: 'ir-3-201', alarmKind: 'intrusion', count: 1 } });
    const before = await alarmRows();
    const retry = await deliver(body);
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ id: first.body.id, outcome: 'duplicate', alarm: { count: 1 } });
    expect(await alarmRows()).toEqual(before);
    await finish(first.body);
  });

  it('a storm of 50 from one device within a minute → one alarm, count 50, one card on the wallboard', async () => {
    const wallboard = await listen(api.url, deskToken);
    listeners.push(wallboard);
    const before = await alarmRows();
    const storm = await Promise.all(Array.from({ length: 50 }, () => deliver({})));
    const ids = new Set(storm.map((res) => res.body.id));
    expect(ids.size).toBe(1);
    expect(storm.filter((res) => res.status === 201)).toHaveLength(1);
    expect(storm.filter((res) => res.body.outcome === 'folded')).toHaveLength(49);
    const after = await alarmRows();
    expect(after.alarm - before.alarm).toBe(1);
    expect(after.ticket - before.ticket).toBe(1);
    expect(after.alarm_delivery - before.alarm_delivery).toBe(50);
    const [row] = await api.db.query<Array<{ count: number }>>('SELECT count FROM alarm WHERE ticket_id = $1', [[...ids][0]]);
    expect(row.count).toBe(50);
    await wallboard.waitForEvent((event) => event.type === 'alarm.repeated' && (event.data as { alarm: { count: number } }).alarm.count === 50);
    const received = wallboard.events.filter((event) => event.type === 'alarm.received' && event.ticketId === [...ids][0]);
    expect(received).toHaveLength(1);
    const detail = await desk.get(`/api/tickets/${[...ids][0]}`);
    await finish(detail.body.ticket);
  });
});

describe('routing per kind reaches exactly the right rooms', () => {
  const tablets: Record<string, Listener> = {};

  beforeAll(async () => {
    for (const username of ['guard', 'technician', 'cleaner', 'supervisor']) {
      tablets[username] = await listen(api.url, await login(api.url, username));
      listeners.push(tablets[username]);
    }
  });

  async function receivedBy(kind: string, deviceId: string, key: string): Promise<{ id: string; who: string[] }> {
    const res = await deliver({ deviceId, kind }, key);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await sleep(300);
    const who = Object.entries(tablets)
      .filter(([, tablet]) => tablet.events.some((event) => event.type === 'alarm.received' && event.ticketId === res.body.id))
      .map(([username]) => username)
      .sort();
    await finish(res.body);
    return { id: res.body.id, who };
  }

  it.each([
    ['intrusion', 'ir-3-201', 'demo-device-key', ['guard', 'supervisor']],
    ['water_leak', 'ir-3-201', 'demo-device-key', ['technician']],
    ['fault', 'ir-3-201', 'demo-device-key', ['technician']],
    ['lift_entrapment', 'lift-4-2', 'demo-device-key-lift', ['guard', 'supervisor', 'technician']],
    ['smoke_fire', 'smoke-lobby-4-2', 'demo-device-key-smoke', ['guard', 'supervisor', 'technician']],
  ])('%s reaches %j (tablets of guard, technician, cleaner, security supervisor)', async (kind, device, key, expected) => {
    const { who } = await receivedBy(kind, device, key);
    expect(who).toEqual(expected);
  });

  it('fire also reaches the supervisors\' rooms of both departments, and each department may act on it', async () => {
    const res = await deliver({ deviceId: 'smoke-lobby-4-2', kind: 'smoke_fire' }, 'demo-device-key-smoke');
    expect(res.body).toMatchObject({ department: 'security', alarm: { departments: ['security', 'engineering'], severity: 4 }, priority: 'urgent' });
    const technician = client(api.url, await login(api.url, 'technician'));
    expect((await technician.get(`/api/tickets/${res.body.id}`)).status).toBe(200);
    const cleaner = client(api.url, await login(api.url, 'cleaner'));
    expect((await cleaner.get(`/api/tickets/${res.body.id}`)).status).toBe(404);
    await finish(res.body);
  });
});

describe('the alarm on the closed loop (seed 001: 20:33, infrared alarm in 3-201, owner away)', () => {
  it('received → acknowledged → guard dispatched → on site → report → cleared false with a reason → owner contacted → callback → close', async () => {
    const received = await deliver({ note: '暴雨，业主不在家' });
    expect(received.status).toBe(201);
    let alarm: AlarmTicket = received.body;
    const clock = (view: TicketView, name: string) => view.clocks.find((c) => c.clock === name);
    expect(Date.parse(clock(alarm, 'ack')!.dueAt) - Date.parse(alarm.receivedAt)).toBe(30_000);

    const step = async (by: Client, action: string, fields: Record<string, unknown> = {}) => {
      const res = await by.post(`/api/tickets/${alarm.id}/actions`).send({ action, version: alarm.version, ...fields });
      expect(res.status, `${action}: ${JSON.stringify(res.body)}`).toBe(200);
      alarm = res.body;
    };
    await step(desk, 'acknowledge');
    expect(clock(alarm, 'ack')?.state).toBe('met');
    const raised = await desk.post(`/api/tickets/${alarm.id}/actions`).send({ action: 'raise_severity', version: alarm.version, severity: 1, reason: 'x' });
    expectFieldError(raised, 400, 'severity');
    const [guardRow] = await api.db.query<Array<{ id: string }>>(`SELECT id FROM staff WHERE username = 'guard'`);
    await step(desk, 'dispatch', { assigneeId: guardRow.id });
    expect(Date.parse(clock(alarm, 'arrival')!.dueAt) - Date.parse(clock(alarm, 'arrival')!.startedAt)).toBe(5 * 60_000);
    await step(guard, 'accept');
    await step(guard, 'arrive');
    await step(guard, 'report', { note: '业主电话同意入户，窗帘被风吹动触发红外' });
    const noReason = await guard.post(`/api/tickets/${alarm.id}/actions`).send({ action: 'clear', version: alarm.version, outcome: 'false' });
    expectFieldError(noReason, 400, 'reason');
    await step(guard, 'clear', { outcome: 'false', reason: '窗帘被风吹动' });
    expect(alarm).toMatchObject({ status: 'done', alarm: { outcome: 'false', outcomeReason: '窗帘被风吹动' } });
    expect(Date.parse(clock(alarm, 'callback')!.dueAt)).toBeGreaterThan(Date.now());
    await step(desk, 'contact', { outcome: 'reached', via: 'phone', note: '已告知业主为误报' });
    await step(desk, 'callback', { result: '业主表示感谢', satisfaction: 'satisfied' });
    await step(desk, 'close');
    expect(alarm.status).toBe('closed');

    const timeline = (await desk.get(`/api/tickets/${alarm.id}`)).body.timeline as AnyDomainEvent[];
    expect(timeline.filter((event) => !event.type.startsWith('sla.')).map((event) => event.type)).toEqual([
      'alarm.received',
      'alarm.acknowledged',
      'ticket.dispatch',
      'ticket.accept',
      'ticket.arrive',
      'ticket.report',
      'alarm.cleared',
      'ticket.contact',
      'ticket.callback',
      'ticket.close',
    ]);
    expect(timeline.every((event) => event.alarmId === alarm.id || event.type.startsWith('sla.'))).toBe(true);
  });

  it('a real alarm raises a repair at its location, linked to it; an alarm not (yet) real does not', async () => {
    const forced = await deliver({ kind: 'door_forced', note: '入户门被撬' });
    expect(forced.status).toBe(201);
    const early = await desk.post(`/api/alarms/${forced.body.id}/repair`).send({ category: 'door_lock', description: '门锁损坏' });
    expect(early.status).toBe(409);
    const cleared = await desk
      .post(`/api/tickets/${forced.body.id}/actions`)
      .send({ action: 'clear', version: forced.body.version, outcome: 'real', reason: '门锁确被撬，已报警' });
    expect(cleared.status).toBe(200);
    const repair = await desk.post(`/api/alarms/${forced.body.id}/repair`).send({ category: 'door_lock', description: '入户门锁被撬坏，需更换' });
    expect(repair.status, JSON.stringify(repair.body)).toBe(201);
    expect(repair.body).toMatchObject({ kind: 'repair', department: 'engineering', location: { unit: '3-1-201' }, sourceAlarmId: forced.body.id });
    const alarmDetail = await desk.get(`/api/tickets/${forced.body.id}`);
    expect(alarmDetail.body.linkedRepairs).toEqual([{ id: repair.body.id, number: repair.body.number, status: 'received' }]);
    expect((await guard.post(`/api/alarms/${forced.body.id}/repair`).send({ category: 'door_lock', description: 'x' })).status).toBe(403);
  });

  it('alarm kinds cannot be logged as tickets at the desk', async () => {
    const before = await rowCounts(api.db);
    const res = await desk.post('/api/tickets').send({ kind: 'alarm', channel: 'phone', category: 'security', description: 'x', location: { unit: '3-1-201' } });
    expectFieldError(res, 400, 'kind');
    expect(await rowCounts(api.db)).toEqual(before);
  });
});
