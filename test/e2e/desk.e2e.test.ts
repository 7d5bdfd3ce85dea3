import type { AnyDomainEvent, RepeatCheck, StaffLoad, TicketView, UnitLookup } from '@dispatch/domain';
import { alarmSounds } from '@dispatch/domain';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, client, login, type RunningApi, resetTickets, rowCounts, startApi } from '../support/api';
import { expectFieldError, repairFrom } from '../support/fixtures';

/** What the dispatcher console stands on: unit lookup, staff load, the repeat warning, alarm mute. */
let api: RunningApi;
let desk: Client;
let guard: Client;
let eventCounter = 0;
/** leak-b1's key, rotated here: other suites rotate it too. */
let leakKey = '';

beforeAll(async () => {
  api = await startApi();
  await resetTickets(api.db);
  desk = client(api.url, await login(api.url, 'dispatcher'));
  guard = client(api.url, await login(api.url, 'guard'));
  const rotated = await client(api.url, await login(api.url, 'admin')).post('/api/devices/leak-b1/rotate-key');
  leakKey = (rotated.body as { key: string }).key;
});
afterAll(async () => {
  await api?.close();
});

describe('GET /api/estate/units (intake autocomplete)', () => {
  it('finds units by the start of their code, owner masked, key owners marked, open tickets counted', async () => {
    await desk.post('/api/tickets').send(repairFrom('1-1-101'));
    const res = await desk.get('/api/estate/units?q=1-1-1');
    expect(res.status).toBe(200);
    const units = res.body as UnitLookup[];
    expect(units.map((unit) => unit.code)).toEqual(['1-1-101', '1-1-102']);
    const [first, second] = units;
    expect(first.owner).toMatchObject({ keyOwner: true, masked: true });
    expect(first.owner?.phone).toMatch(/^139\*{4}\d{4}$/);
    expect(first.owner?.name).toMatch(/^.\*+$/);
    expect(first.openTickets).toBe(1);
    expect(second.owner?.keyOwner).toBe(false);
    expect(second.openTickets).toBe(0);
    // Nothing in the answer is the owner's full number.
    const [row] = await api.db.query<Array<{ owner_phone: string }>>(`SELECT owner_phone FROM unit WHERE code = '1-1-101'`);
    expect(JSON.stringify(res.body)).not.toContain(row.owner_phone);
  });

  it('limits the list, refuses a query that is not the start of a unit code, and is for the desk only', async () => {
    const res = await desk.get('/api/estate/units?q=4&limit=5');
    expect(res.body).toHaveLength(5);
    expect((res.body as UnitLookup[]).every((unit) => unit.code.startsWith('4-'))).toBe(true);
    expectFieldError(await desk.get('/api/estate/units?q=4%25'), 400, 'q');
    expectFieldError(await desk.get('/api/estate/units?limit=0'), 400, 'limit');
    expect((await guard.get('/api/estate/units?q=4')).status).toBe(403);
  });

  it('lists public areas in both languages', async () => {
    const res = await desk.get('/api/estate/areas');
    expect(res.status).toBe(200);
    expect(res.body).toContainEqual({ code: 'LIFT-4-2', name: { zh: '4栋2单元电梯', en: 'Lift, building 4 entrance 2' } });
  });
});

describe('GET /api/staff (dispatch to a named person)', () => {
  it('lists field staff of a department with the open work on their hands', async () => {
    const [technician] = await api.db.query<Array<{ id: string }>>(`SELECT id FROM staff WHERE username = 'technician'`);
    const created = await desk.post('/api/tickets').send(repairFrom('2-1-101'));
    const before = (await desk.get('/api/staff?department=engineering')).body as StaffLoad[];
    expect(before.every((person) => person.department === 'engineering')).toBe(true);
    const loadBefore = before.find((person) => person.id === technician.id)?.load ?? -1;
    expect(loadBefore).toBeGreaterThanOrEqual(0);

    await desk.post(`/api/tickets/${created.body.id}/actions`).send({ action: 'dispatch', version: created.body.version, assigneeId: technician.id });
    const after = (await desk.get('/api/staff?department=engineering')).body as StaffLoad[];
    expect(after.find((person) => person.id === technician.id)).toMatchObject({ name: '张伟', role: 'field', onDuty: true, load: loadBefore + 1 });
    // Desk accounts are not people to dispatch to.
    const everyone = (await desk.get('/api/staff')).body as StaffLoad[];
    expect(everyone.map((person) => person.role).every((role) => role === 'field' || role === 'supervisor')).toBe(true);
  });

  it('refuses an unknown department and field staff', async () => {
    expectFieldError(await desk.get('/api/staff?department=kitchen'), 400, 'department');
    expect((await guard.get('/api/staff')).status).toBe(403);
  });
});

describe('POST /api/tickets/repeat-check (the warning at intake)', () => {
  it('names the earlier open report of the same unit and category, and writes nothing', async () => {
    const first = await desk.post('/api/tickets').send(repairFrom('3-2-201', { category: 'lights', description: '楼道灯不亮' }));
    const before = await rowCounts(api.db, ['ticket', 'event_log']);
    const res = await desk.post('/api/tickets/repeat-check').send({ kind: 'repair', category: 'lights', location: { unit: '3-2-201' } });
    expect(res.status).toBe(200);
    expect(res.body as RepeatCheck).toMatchObject({ kindWillBe: 'complaint', repeatOf: { id: first.body.id, number: first.body.number, status: 'received', description: '楼道灯不亮' } });
    expect(await rowCounts(api.db, ['ticket', 'event_log'])).toEqual(before);

    // And intake agrees with the preview.
    const second = await desk.post('/api/tickets').send(repairFrom('3-2-201', { category: 'lights' }));
    expect(second.body).toMatchObject({ kind: 'complaint', repeatOf: { id: first.body.id } });
  });

  it('finds a repeat by the caller\'s phone about the same place; none at another place or for another category', async () => {
    const phone = '13911112222';
    const playground = { location: { area: 'PLAYGROUND' }, repair: { inUnit: false, inWarranty: false, paid: false } };
    await desk.post('/api/tickets').send(repairFrom('5-1-101', { category: 'hygiene', reporter: { name: '钱女士', phone }, ...playground }));
    const byPhone = await desk.post('/api/tickets/repeat-check').send({ kind: 'repair', category: 'hygiene', location: { area: 'PLAYGROUND' }, reporterPhone: phone });
    expect(byPhone.body.repeatOf?.number).toBeDefined();
    const elsewhere = await desk.post('/api/tickets/repeat-check').send({ kind: 'repair', category: 'hygiene', location: { unit: '5-1-102' }, reporterPhone: phone });
    expect(elsewhere.body).toEqual({ repeatOf: null, kindWillBe: 'repair' });
    const other = await desk.post('/api/tickets/repeat-check').send({ kind: 'repair', category: 'door_lock', location: { area: 'PLAYGROUND' }, reporterPhone: phone });
    expect(other.body).toEqual({ repeatOf: null, kindWillBe: 'repair' });
  });

  it('refuses bad input by field', async () => {
    expectFieldError(await desk.post('/api/tickets/repeat-check').send({ kind: 'repair', category: 'lights', location: { unit: '99-9-999' } }), 400, 'location.unit');
    expectFieldError(await desk.post('/api/tickets/repeat-check').send({ kind: 'repair', category: 'nope', location: { unit: '4-2-301' } }), 400, 'category');
    expectFieldError(
      await desk.post('/api/tickets/repeat-check').send({ kind: 'repair', category: 'lights', location: { unit: '4-2-301' }, reporterPhone: 'call me' }),
      400,
      'reporterPhone',
    );
  });
});

describe('alarm acknowledgement and mute', () => {
  /** An alarm from one of the demo devices (each test its own: repeats within a minute fold). */
  async function alarm(deviceId: string, key: string): Promise<TicketView> {
    const res = await request(api.url)
      .post('/api/alarms')
      .set('X-Device-Key', key)
      .send({ deviceId, eventId: `desk-${++eventCounter}-${Date.now()}`, kind: 'intrusion' });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    return res.body as TicketView;
  }

  it('a mute is a logged step that silences the tone until a time the server sets, then ends by itself', async () => {
    const ticket = await alarm('lift-4-2', 'demo-device-key-lift');
    expect(alarmSounds(ticket, Date.now())).toBe(true);
    const at = Date.now();
    const res = await desk.post(`/api/tickets/${ticket.id}/actions`).send({ action: 'mute', version: ticket.version, minutes: 15, reason: '已知误报设备' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const muted = res.body as TicketView;
    expect(muted.status).toBe('received');
    const until = Date.parse(muted.alarm?.mutedUntil ?? '');
    expect(until - at).toBeGreaterThanOrEqual(15 * 60_000 - 1_000);
    expect(until - at).toBeLessThanOrEqual(15 * 60_000 + 5_000);
    expect(alarmSounds(muted, at + 60_000)).toBe(false);
    expect(alarmSounds(muted, until + 1)).toBe(true);

    const detail = await desk.get(`/api/tickets/${ticket.id}`);
    const event = (detail.body.timeline as AnyDomainEvent[]).find((entry) => entry.type === 'alarm.muted');
    expect(event?.data).toMatchObject({ action: 'mute', input: { minutes: 15, reason: '已知误报设备' }, actor: { name: '王敏' } });
  });

  it('only 15, 30 or 60 minutes, only by the desk, and a refused mute changes nothing', async () => {
    const ticket = await alarm('leak-b1', leakKey);
    const before = await rowCounts(api.db, ['event_log']);
    expectFieldError(await desk.post(`/api/tickets/${ticket.id}/actions`).send({ action: 'mute', version: ticket.version, minutes: 20 }), 400, 'minutes');
    expectFieldError(await desk.post(`/api/tickets/${ticket.id}/actions`).send({ action: 'mute', version: ticket.version }), 400, 'minutes');
    expect((await guard.post(`/api/tickets/${ticket.id}/actions`).send({ action: 'mute', version: ticket.version, minutes: 30 })).status).toBe(403);
    expect(await rowCounts(api.db, ['event_log'])).toEqual(before);
    const [row] = await api.db.query<Array<{ muted_until: Date | null }>>(`SELECT muted_until FROM alarm WHERE ticket_id = $1`, [ticket.id]);
    expect(row.muted_until).toBeNull();
  });

  it('acknowledging records who and when, and the alarm stops sounding', async () => {
    const ticket = await alarm('ir-3-201', 'demo-device-key');
    const res = await guard.post(`/api/tickets/${ticket.id}/actions`).send({ action: 'acknowledge', version: ticket.version });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(Date.parse(res.body.alarm.acknowledgedAt)).toBeGreaterThan(Date.now() - 10_000);
    expect(alarmSounds(res.body as TicketView, Date.now())).toBe(false);
    const [row] = await api.db.query<Array<{ username: string }>>(
      `SELECT s.username FROM alarm a JOIN staff s ON s.id = a.acknowledged_by WHERE a.ticket_id = $1`,
      [ticket.id],
    );
    expect(row.username).toBe('guard');
  });

  it('a mute of a repair is refused: only alarms sound', async () => {
    const repair = await desk.post('/api/tickets').send(repairFrom('6-2-601'));
    const res = await desk.post(`/api/tickets/${repair.body.id}/actions`).send({ action: 'mute', version: repair.body.version, minutes: 15 });
    expect(res.status).toBe(409);
  });
});
