import { dayIn } from '@dispatch/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, client, login, type RunningApi, startApi } from '../support/api';
import { repairFrom } from '../support/fixtures';
import { createAs, stepAs } from '../support/loop';

/** 工作日志 and 单元大事记 on the real PostgreSQL. */
describe('work logs and unit chronicles', () => {
  let api: RunningApi;
  let desk: Client;
  let technician: Client;
  let guard: Client;
  let engineeringSupervisor: Client;
  let securitySupervisor: Client;
  let manager: Client;
  let technicianId: string;
  const today = () => dayIn('Asia/Shanghai', new Date());

  beforeAll(async () => {
    api = await startApi();
    desk = client(api.url, await login(api.url, 'dispatcher'));
    technician = client(api.url, await login(api.url, 'technician'));
    guard = client(api.url, await login(api.url, 'guard'));
    engineeringSupervisor = client(api.url, await login(api.url, 'eng_supervisor'));
    securitySupervisor = client(api.url, await login(api.url, 'supervisor'));
    manager = client(api.url, await login(api.url, 'manager'));
    [{ id: technicianId }] = await api.db.query<Array<{ id: string }>>(`SELECT id FROM staff WHERE username = 'technician'`);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('a technician\'s day holds his notes and the steps the record shows he took, in time order', async () => {
    let ticket = await createAs(desk, repairFrom('1-2-301', { category: 'lights', description: '卧室灯不亮' }));
    ticket = await stepAs(desk, ticket, 'dispatch');
    ticket = await stepAs(technician, ticket, 'accept');
    const noted = await technician.post('/api/worklog').set('idempotency-key', crypto.randomUUID()).send({ text: '去仓库领LED灯管两支' });
    expect(noted.status).toBe(201);
    ticket = await stepAs(technician, ticket, 'arrive');

    const day = await technician.get('/api/worklog');
    expect(day.status).toBe(200);
    expect(day.body.date).toBe(today());
    expect(day.body.staff).toMatchObject({ id: technicianId, name: '张伟', department: 'engineering' });
    const mine = day.body.entries.filter((entry: { ticket: { id: string } | null; source: string }) => entry.ticket?.id === ticket.id || entry.source === 'note');
    const lastThree = mine.slice(-3).map((entry: { source: string; type: string | null; text: string | null }) => entry.type ?? entry.text);
    expect(lastThree).toEqual(['ticket.accept', '去仓库领LED灯管两支', 'ticket.arrive']);
    expect(day.body.entries.find((entry: { type: string }) => entry.type === 'ticket.accept').ticket.number).toBe(ticket.number);
    expect(day.body.counts.tickets).toBeGreaterThanOrEqual(1);
    expect(day.body.counts.notes).toBeGreaterThanOrEqual(1);
    // Sent again after a dropped answer (same key): one note, answered 200 with the first.
    const key = crypto.randomUUID();
    const first = await technician.post('/api/worklog').set('idempotency-key', key).send({ text: '地库B区照明巡查完毕' });
    const again = await technician.post('/api/worklog').set('idempotency-key', key).send({ text: '地库B区照明巡查完毕' });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body.at).toBe(first.body.at);
    const [{ count }] = await api.db.query<Array<{ count: string }>>(`SELECT count(*) FROM work_log_entry WHERE text = '地库B区照明巡查完毕'`);
    expect(Number(count)).toBe(1);
    const unkeyed = await technician.post('/api/worklog').send({ text: '没有键' });
    expect(unkeyed.status).toBe(400);
    expect(unkeyed.body.details[0].field).toBe('Idempotency-Key');
    // The log records that a note was written, not what it says.
    const [event] = await api.db.query<Array<{ text: string }>>(`SELECT data::text AS text FROM event_log WHERE type = 'worklog.noted' ORDER BY seq DESC LIMIT 1`);
    expect(event.text).not.toContain('灯管');
  });

  it('a supervisor reads the day of his department\'s people, not another department\'s; staff only their own', async () => {
    const read = await engineeringSupervisor.get(`/api/worklog?staffId=${technicianId}`);
    expect(read.status).toBe(200);
    expect(read.body.staff.name).toBe('张伟');
    expect((await securitySupervisor.get(`/api/worklog?staffId=${technicianId}`)).status).toBe(403);
    expect((await guard.get(`/api/worklog?staffId=${technicianId}`)).status).toBe(403);
    expect((await manager.get(`/api/worklog?staffId=${technicianId}`)).status).toBe(200);

    const team = await engineeringSupervisor.get('/api/worklog/team');
    expect(team.status).toBe(200);
    expect(new Set(team.body.map((line: { staff: { department: string } }) => line.staff.department))).toEqual(new Set(['engineering']));
    const line = team.body.find((one: { staff: { id: string } }) => one.staff.id === technicianId);
    expect(line.records).toBeGreaterThanOrEqual(2);
    expect(line.notes).toBeGreaterThanOrEqual(1);
    expect((await technician.get('/api/worklog/team')).status).toBe(403);
  });

  it('a day is the estate\'s calendar day; a day that does not exist or a note dated ahead is refused', async () => {
    const yesterday = new Date(Date.now() - 86_400_000);
    const back = await technician.post('/api/worklog').set('idempotency-key', crypto.randomUUID()).send({ text: '昨晚值班补记：地库排水泵正常', at: yesterday.toISOString() });
    expect(back.status).toBe(201);
    const day = await technician.get(`/api/worklog?date=${dayIn('Asia/Shanghai', yesterday)}`);
    expect(day.body.entries.map((entry: { text: string | null }) => entry.text)).toContain('昨晚值班补记：地库排水泵正常');
    expect((await technician.get(`/api/worklog`)).body.entries.map((entry: { text: string | null }) => entry.text)).not.toContain('昨晚值班补记：地库排水泵正常');
    const wrongDay = await technician.get('/api/worklog?date=2026-02-30');
    expect(wrongDay.status).toBe(400);
    expect(wrongDay.body.details).toEqual([{ field: 'date', reason: 'is not a day of the calendar' }]);
    const ahead = await technician.post('/api/worklog').set('idempotency-key', crypto.randomUUID()).send({ text: '明天的事', at: new Date(Date.now() + 3_600_000).toISOString() });
    expect(ahead.status).toBe(400);
    expect(ahead.body.details).toEqual([{ field: 'at', reason: 'is in the future' }]);
  });

  it('a unit\'s chronicle: the desk\'s entries with its handover date, owners in and out, tickets and alarms, newest first', async () => {
    const added = await desk.post('/api/units/3-2-202/chronicle').send({ kind: 'decoration', note: '业主开始装修，预计工期60天' });
    expect(added.status).toBe(201);
    const repair = await createAs(desk, repairFrom('3-2-202', { category: 'water_leak', description: '卫生间漏水' }));
    const chronicle = await desk.get('/api/units/3-2-202/chronicle');
    expect(chronicle.status).toBe(200);
    const kinds = chronicle.body.entries.map((entry: { kind: string }) => entry.kind);
    expect(kinds).toEqual(expect.arrayContaining(['decoration', 'ticket', 'handover']));
    const ats = chronicle.body.entries.map((entry: { at: string }) => entry.at);
    expect(ats).toEqual([...ats].sort().reverse());
    expect(chronicle.body.entries.find((entry: { ticket: { id: string } | null }) => entry.ticket?.id === repair.id).ticket).toMatchObject({ number: repair.number, category: 'water_leak' });
    expect(chronicle.body.entries.find((entry: { kind: string }) => entry.kind === 'decoration')).toMatchObject({ note: '业主开始装修，预计工期60天', by: '王敏', source: 'entry' });
    // The unit's handover date (交房) from the estate's record, as the chronicle's oldest line.
    const [{ handover_date: handover }] = await api.db.query<Array<{ handover_date: string }>>(`SELECT to_char(handover_date, 'YYYY-MM-DD') AS handover_date FROM unit WHERE code = '3-2-202'`);
    expect(chronicle.body.entries.find((entry: { kind: string }) => entry.kind === 'handover').at.slice(0, 10)).toBe(handover);
    // An owner moving in shows as a household change, by role, never by name.
    const moved = await desk.post('/api/units/3-2-202/residents').send({ role: 'tenant', name: '周记录', phone: '13900001111' });
    const after = await desk.get('/api/units/3-2-202/chronicle');
    expect(after.body.entries[0]).toMatchObject({ kind: 'resident', resident: { role: 'tenant', change: 'moved_in' } });
    expect(JSON.stringify(after.body)).not.toContain('周记录');
    await desk.post(`/api/residents/${moved.body.id}/move-out`).send({});

    expect((await technician.get('/api/units/3-2-202/chronicle')).status).toBe(403);
    expect((await desk.get('/api/units/9-9-999/chronicle')).status).toBe(404);
    const bad = await desk.post('/api/units/3-2-202/chronicle').send({ kind: 'party', note: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((detail: { field: string }) => detail.field).sort()).toEqual(['kind', 'note']);
  });
});
