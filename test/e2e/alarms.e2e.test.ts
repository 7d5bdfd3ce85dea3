import type { AnyDomainEvent, TicketView } from '@dispatch/domain';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, client, login, type RunningApi, resetTickets, rowCounts, startApi } from '../support/api';
import { expectFieldError } from '../support/fixtures';
import { type Listener, listen, sleep } from '../support/socket';
import { doRequiredSteps } from '../support/loop';
import { DeviceSupervision } from '../../apps/api/src/alarms/device-supervision';

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
  const ready = await doRequiredSteps(desk, alarm);
  const res = await desk.post(`/api/tickets/${alarm.id}/actions`).send({ action: 'clear', version: ready.version, outcome: 'test', reason: '测试结束' });
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
    // The procedure (SOP) of an intrusion: clearing is refused while a required step is open, naming it.
    expect(alarm.alarm?.procedure?.steps.map((one) => one.key)).toEqual(['cameras', 'call_owner', 'entry_consent', 'guard_dispatched', 'guard_on_scene']);
    const early = await guard.post(`/api/tickets/${alarm.id}/actions`).send({ action: 'clear', version: alarm.version, outcome: 'false', reason: '窗帘' });
    expect(early.status).toBe(409);
    expect(early.body.message).toBe('cannot clear before the required steps cameras, call_owner');
    await step(desk, 'step', { step: 'cameras', note: '监控见窗帘摆动，无人员' });
    await step(desk, 'step', { step: 'call_owner', note: '业主在外地' });
    // Seed 001: the owner's consent to entry is a recorded answer.
    const unanswered = await desk.post(`/api/tickets/${alarm.id}/actions`).send({ action: 'step', version: alarm.version, step: 'entry_consent' });
    expectFieldError(unanswered, 400, 'outcome');
    await step(desk, 'step', { step: 'entry_consent', outcome: 'yes', note: '业主电话同意保安入户查看' });
    await step(guard, 'step', { step: 'guard_on_scene' });
    const again = await guard.post(`/api/tickets/${alarm.id}/actions`).send({ action: 'step', version: alarm.version, step: 'guard_on_scene' });
    expect(again.status).toBe(409);
    expect(alarm.alarm?.procedure?.steps.find((one) => one.key === 'entry_consent')?.done).toMatchObject({ answer: 'yes', note: '业主电话同意保安入户查看', by: { name: '王敏' } });
    expect(alarm.alarm?.procedure?.steps.find((one) => one.key === 'guard_on_scene')?.done?.by.name).toBe('李强');
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
      'alarm.step_done',
      'alarm.step_done',
      'alarm.step_done',
      'alarm.step_done',
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
    const ready = await doRequiredSteps(desk, forced.body);
    const cleared = await desk.post(`/api/tickets/${forced.body.id}/actions`).send({ action: 'clear', version: ready.version, outcome: 'real', reason: '门锁确被撬，已报警' });
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

describe('supervision of HTTP devices (heartbeats)', () => {
  it('a device silent past its interval raises one fault and shows offline; its heartbeat ends both', async () => {
    const supervision = api.app.get(DeviceSupervision);
    const now = new Date();
    await api.db.query(`UPDATE device SET test_interval_seconds = NULL, offline_since = NULL`);
    // The smoke detector promises a heartbeat every minute: heard 80 s ago is within the grace (90 s), 120 s is not.
    await api.db.query(`UPDATE device SET test_interval_seconds = 60, last_seen_at = $1 WHERE id = 'smoke-lobby-4-2'`, [new Date(now.getTime() - 80_000)]);
    expect(await supervision.supervise(now)).toEqual([]);
    await api.db.query(`UPDATE device SET last_seen_at = $1 WHERE id = 'smoke-lobby-4-2'`, [new Date(now.getTime() - 120_000)]);
    expect(await supervision.supervise(now)).toEqual(['smoke-lobby-4-2']);

    const listed = await desk.get('/api/devices');
    expect(listed.status).toBe(200);
    expect(listed.body[0]).toMatchObject({ id: 'smoke-lobby-4-2', testIntervalSeconds: 60, offlineSince: now.toISOString() });
    expect((await guard.get('/api/devices')).status).toBe(403);
    const [fault] = await api.db.query<Array<{ ticket_id: string; status: string }>>(
      `SELECT a.ticket_id, t.status FROM alarm a JOIN ticket t ON t.id = a.ticket_id WHERE a.device_id = 'smoke-lobby-4-2' AND a.alarm_kind = 'fault' ORDER BY a.first_seen_at DESC LIMIT 1`,
    );
    expect(fault.status).toBe('received');

    const wrongKey = await request(api.url).post('/api/devices/heartbeat').set('X-Device-Key', 'demo-device-key').send({ deviceId: 'smoke-lobby-4-2' });
    expect(wrongKey.status).toBe(401);
    const beat = await request(api.url).post('/api/devices/heartbeat').set('X-Device-Key', 'demo-device-key-smoke').send({ deviceId: 'smoke-lobby-4-2' });
    expect(beat.status).toBe(200);
    expect(beat.body).toMatchObject({ deviceId: 'smoke-lobby-4-2', wasOffline: true });
    const again = await request(api.url).post('/api/devices/heartbeat').set('X-Device-Key', 'demo-device-key-smoke').send({ deviceId: 'smoke-lobby-4-2' });
    expect(again.body.wasOffline).toBe(false);
    expect((await desk.get('/api/devices')).body.find((device: { id: string }) => device.id === 'smoke-lobby-4-2').offlineSince).toBeNull();
    const ended = (await desk.get(`/api/tickets/${fault.ticket_id}`)).body.ticket;
    expect(ended).toMatchObject({ status: 'done', alarm: { outcome: 'restored' } });
    await api.db.query(`UPDATE device SET test_interval_seconds = NULL`);
  });
});

describe('procedures as data', () => {
  it('an admin replaces a kind\'s procedure; alarms opened after follow it, open ones keep theirs; bad ones are refused naming the field', async () => {
    const admin = client(api.url, await login(api.url, 'admin'));
    await api.db.query(`UPDATE alarm SET last_seen_at = last_seen_at - interval '1 day'`);
    const before = (await deliver({ kind: 'water_leak' })).body as AlarmTicket;
    const listed = await desk.get('/api/alarm-procedures');
    expect(listed.body.water_leak).toMatchObject({ edited: false, restoreCompletes: false });
    const procedure = { restoreCompletes: true, steps: [{ key: 'valve_closed', zh: '关闭总阀', en: 'Shut the valve', kind: 'check', required: true }] };
    expect((await desk.put('/api/alarm-procedures/water_leak').send(procedure)).status).toBe(403);
    expectFieldError(await admin.put('/api/alarm-procedures/water_leak').send({ ...procedure, steps: [...procedure.steps, procedure.steps[0]] }), 400, 'steps.1.key');
    expectFieldError(await admin.put('/api/alarm-procedures/water_leak').send({ ...procedure, steps: [{ ...procedure.steps[0], key: 'Valve!' }] }), 400, 'steps.0.key');
    expect((await admin.put('/api/alarm-procedures/earthquake').send(procedure)).status).toBe(400);
    const replaced = await admin.put('/api/alarm-procedures/water_leak').send(procedure);
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(200);
    expect((await desk.get('/api/alarm-procedures')).body.water_leak).toMatchObject({ edited: true, steps: [{ key: 'valve_closed' }] });

    await api.db.query(`UPDATE alarm SET last_seen_at = last_seen_at - interval '1 day'`);
    const after = (await deliver({ kind: 'water_leak' })).body as AlarmTicket;
    expect(after.alarm?.procedure?.steps.map((step) => step.key)).toEqual(['valve_closed']);
    const still = (await desk.get(`/api/tickets/${before.id}`)).body.ticket as AlarmTicket;
    expect(still.alarm?.procedure?.steps.map((step) => step.key)).toEqual(['call_owner', 'valve_closed', 'engineer_on_scene']);
    const [changed] = await api.db.query<Array<{ data: { previous: { steps: unknown[] }; actor: { name: string } } }>>(`SELECT data FROM event_log WHERE type = 'alarm.procedure_changed' ORDER BY seq DESC LIMIT 1`);
    expect(changed.data.previous.steps).toHaveLength(3);
    await api.db.query('DELETE FROM alarm_procedure');
  });
});

describe('pickup against the targets, on the SLA board', () => {
  it('counts pickup times (receipt to first acknowledgement) against 30 s and 60 s, and how cleared alarms turned out', async () => {
    await resetTickets(api.db);
    const manager = client(api.url, await login(api.url, 'manager'));
    const waited = [10, 45, 90];
    const alarms: AlarmTicket[] = [];
    for (const [index, seconds] of waited.entries()) {
      await api.db.query(`UPDATE alarm SET last_seen_at = last_seen_at - interval '1 day'`);
      const alarm = (await deliver({ kind: ['intrusion', 'water_leak', 'fault'][index] as string })).body as AlarmTicket;
      // Received `seconds` ago (the test's time, not the wall clock's): then picked up now.
      await api.db.query(`UPDATE alarm SET first_seen_at = now() - make_interval(secs => $2) WHERE ticket_id = $1`, [alarm.id, seconds]);
      const acknowledged = await desk.post(`/api/tickets/${alarm.id}/actions`).send({ action: 'acknowledge', version: alarm.version });
      expect(acknowledged.status).toBe(200);
      alarms.push(acknowledged.body);
    }
    await finish(alarms[2]);
    const board = await manager.get('/api/sla/board');
    expect(board.status).toBe(200);
    const { pickup, outcomes } = board.body.alarms;
    expect(pickup.count).toBe(3);
    expect(pickup.medianSeconds).toBeGreaterThanOrEqual(45);
    expect(pickup.medianSeconds).toBeLessThan(50);
    expect(pickup.targets.map((target: { met: number; onTarget: boolean }) => [target.met, target.onTarget])).toEqual([
      [1, false],
      [2, false],
    ]);
    expect(outcomes).toMatchObject({ test: 1, real: 0, restored: 0 });
  });
});
