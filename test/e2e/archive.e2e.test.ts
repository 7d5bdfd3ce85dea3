import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, client, login, type RunningApi, startApi } from '../support/api';
import { expectFieldError } from '../support/fixtures';

/** 业主档案: residents per unit, changes logged by field name, masked everywhere but a logged reveal. */
describe('the owner archive', () => {
  let api: RunningApi;
  let desk: Client;
  let technician: Client;
  let guard: Client;

  beforeAll(async () => {
    api = await startApi();
    desk = client(api.url, await login(api.url, 'dispatcher'));
    technician = client(api.url, await login(api.url, 'technician'));
    guard = client(api.url, await login(api.url, 'guard'));
  });
  afterAll(async () => {
    await api?.close();
  });

  const tenant = {
    role: 'tenant',
    name: '李秀英',
    phone: '138 1111 2222',
    wechat: 'lxy-2026',
    vehicles: ['粤B12345'],
    householdNotes: '独居老人，行动不便',
    emergencyContact: '李明（儿子）13922223333',
    greeting: '李阿姨',
  };
  const logOf = async (id: string) =>
    api.db.query<Array<{ type: string; data: Record<string, unknown>; text: string }>>(`SELECT type, data, data::text AS text FROM event_log WHERE data->'resident'->>'id' = $1 ORDER BY seq`, [id]);

  it('the seeded owner of 3-1-201 is on file, masked, with how to greet him; field staff may not read the archive', async () => {
    const res = await desk.get('/api/units/3-1-201/residents');
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(1);
    const [owner] = res.body;
    expect(owner).toMatchObject({ role: 'owner', unit: '3-1-201', masked: true, emergencyContact: '***' });
    expect(owner.name).toMatch(/^.\*+$/);
    expect(owner.phone).toMatch(/^139\*+\d{4}$/);
    expect(owner.greeting).toMatch(/先生$/);
    for (const field of [technician, guard]) expect((await field.get('/api/units/3-1-201/residents')).status).toBe(403);
    expect((await desk.get('/api/units/9-9-999/residents')).status).toBe(404);
  });

  it('adds, edits and verifies a record: each change logged with who and which fields, never a value', async () => {
    const created = await desk.post('/api/units/3-1-201/residents').send(tenant);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ role: 'tenant', name: '李**', phone: '138****2222', vehicles: ['粤B***45'], householdNotes: '***', masked: true, version: 1 });
    const id = created.body.id as string;

    const stale = await desk.patch(`/api/residents/${id}`).send({ version: 7, phone: '13800000000' });
    expect(stale.status).toBe(409);
    expectFieldError(await desk.patch(`/api/residents/${id}`).send({ version: 1, keyOwner: true }), 400, 'keyOwnerReason');
    expectFieldError(await desk.patch(`/api/residents/${id}`).send({ version: 1, phone: 'call me' }), 400, 'phone');
    const edited = await desk.patch(`/api/residents/${id}`).send({ version: 1, phone: '13811113333', keyOwner: true, keyOwnerReason: '独居老人，重点关注', pets: null });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({ version: 2, phone: '138****3333', keyOwner: true });
    const verified = await desk.post(`/api/residents/${id}/verify`).send({});
    expect(verified.body.version).toBe(3);

    const log = await logOf(id);
    expect(log.map((event) => event.type)).toEqual(['resident.created', 'resident.updated', 'resident.verified']);
    expect(log[1].data.fields).toEqual(['phone', 'keyOwner', 'keyOwnerReason']);
    expect(log[0].data).toMatchObject({ resident: { id, unit: '3-1-201', role: 'tenant' }, actor: { name: '王敏' } });
    for (const event of log) for (const secret of ['李秀英', '1111', '3333', '独居', '粤B12345', 'lxy-2026', '李明']) expect(event.text).not.toContain(secret);
  });

  it('recognises a caller by the exact phone or plate, never by part of it', async () => {
    const byPhone = await desk.get('/api/residents/search').query({ phone: '138-1111-3333' });
    expect(byPhone.status).toBe(200);
    expect(byPhone.body.map((one: { unit: string; name: string }) => [one.unit, one.name])).toEqual([['3-1-201', '李**']]);
    expect((await desk.get('/api/residents/search').query({ phone: '1381111' })).body).toEqual([]);
    expect((await desk.get('/api/residents/search').query({ plate: '粤B12345' })).body).toHaveLength(1);
    expect((await desk.get('/api/residents/search').query({ plate: '粤B123' })).body).toEqual([]);
    expect((await desk.get('/api/residents/search')).status).toBe(400);
    expect((await technician.get('/api/residents/search').query({ phone: '13811113333' })).status).toBe(403);
  });

  it('reveals a record in full only with a reason, and logs who read it and why', async () => {
    const [record] = (await desk.get('/api/residents/search').query({ phone: '13811113333' })).body;
    expectFieldError(await desk.post(`/api/residents/${record.id}/reveal`).send({}), 400, 'reason');
    expect((await guard.post(`/api/residents/${record.id}/reveal`).send({ reason: '想看看' })).status).toBe(403);
    const revealed = await desk.post(`/api/residents/${record.id}/reveal`).send({ reason: '报警核实，需联系住户' });
    expect(revealed.status).toBe(200);
    expect(revealed.body).toMatchObject({ name: '李秀英', phone: '13811113333', householdNotes: '独居老人，行动不便', vehicles: ['粤B12345'], masked: false });
    const [event] = (await logOf(record.id)).filter((one) => one.type === 'resident.revealed');
    expect(event.data).toMatchObject({ reason: '报警核实，需联系住户', actor: { name: '王敏' } });
    expect(event.text).not.toContain('13811113333');
  });

  it('the owner card rides on every ticket and alarm at the unit, for the desk only', async () => {
    // A new alarm, not a repeat folded into one an earlier file left open on this detector.
    await api.db.query(`UPDATE alarm SET last_seen_at = last_seen_at - interval '1 day' WHERE device_id = 'ir-3-201'`);
    const alarm = await request(api.url).post('/api/alarms').set('X-Device-Key', 'demo-device-key').send({ deviceId: 'ir-3-201', eventId: `archive-${Date.now()}`, kind: 'intrusion', note: '暴雨，业主不在家' });
    expect(alarm.status).toBe(201);
    const detail = await desk.get(`/api/tickets/${alarm.body.id}`);
    expect(detail.body.ownerCard.unit).toBe('3-1-201');
    expect(detail.body.ownerCard.residents.map((one: { role: string; masked: boolean }) => [one.role, one.masked])).toEqual([
      ['owner', true],
      ['tenant', true],
    ]);
    expect(detail.body.ownerCard.open.map((one: { id: string }) => one.id)).toContain(alarm.body.id);
    const seenByGuard = await guard.get(`/api/tickets/${alarm.body.id}`);
    expect(seenByGuard.status).toBe(200);
    expect(seenByGuard.body.ownerCard).toBeNull();
  });

  it('moves a resident out: gone from the card, kept on file, and the unit\'s owner on file follows its owners', async () => {
    const [owner, lodger] = (await desk.get('/api/units/3-1-201/residents')).body as Array<{ id: string }>;
    const moved = await desk.post(`/api/residents/${lodger.id}/move-out`).send({ reason: '租约到期' });
    expect(moved.status).toBe(200);
    expect(moved.body.movedOutAt).not.toBeNull();
    expect((await desk.post(`/api/residents/${lodger.id}/move-out`).send({})).status).toBe(409);
    expect((await desk.get('/api/units/3-1-201/residents')).body.map((one: { id: string }) => one.id)).toEqual([owner.id]);
    expect((await desk.get('/api/units/3-1-201/residents?movedOut=true')).body).toHaveLength(2);
    // A flat sold (another unit, so the seeded 3-1-201 stays as other tests know it): the old
    // owner moves out and the unit's owner on file is the new one.
    const [seller] = (await desk.get('/api/units/6-2-602/residents')).body;
    const buyer = await desk.post('/api/units/6-2-602/residents').send({ role: 'owner', name: '赵新', phone: '13744445555' });
    expect(buyer.status).toBe(201);
    expect((await desk.post(`/api/residents/${seller.id}/move-out`).send({ reason: '房屋出售' })).status).toBe(200);
    const [unit] = await api.db.query<Array<{ owner_name: string; owner_phone: string }>>(`SELECT owner_name, owner_phone FROM unit WHERE code = '6-2-602'`);
    expect(unit).toEqual({ owner_name: '赵新', owner_phone: '13744445555' });
    const lookup = await desk.get('/api/estate/units').query({ q: '6-2-602' });
    expect(lookup.body[0].owner.name).toBe('赵*');
  });
});
