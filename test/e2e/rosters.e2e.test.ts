import { dayIn } from '@dispatch/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, client, login, type RunningApi, startApi } from '../support/api';

/** 排班: a department's day of shifts, planned by its supervisor, read by the desk and dispatch. */
describe('rosters', () => {
  let api: RunningApi;
  let desk: Client;
  let engineeringSupervisor: Client;
  let securitySupervisor: Client;
  let manager: Client;
  const staff: Record<string, string> = {};
  const today = () => dayIn('Asia/Shanghai', new Date());

  beforeAll(async () => {
    api = await startApi();
    desk = client(api.url, await login(api.url, 'dispatcher'));
    engineeringSupervisor = client(api.url, await login(api.url, 'eng_supervisor'));
    securitySupervisor = client(api.url, await login(api.url, 'supervisor'));
    manager = client(api.url, await login(api.url, 'manager'));
    for (const row of await api.db.query<Array<{ id: string; username: string }>>(`SELECT id, username FROM staff`)) staff[row.username] = row.id;
  });
  afterAll(async () => {
    await api?.db.query(`DELETE FROM roster_shift`);
    await api?.close();
  });

  it('a supervisor plans his department\'s day; the desk reads it and dispatch sees who should be on now', async () => {
    const set = await engineeringSupervisor.put(`/api/rosters/${today()}/engineering`).send({
      shifts: [
        { staffId: staff.technician, start: '00:00', end: '00:00' },
        { staffId: staff.technician2, start: '20:00', end: '08:00' },
      ],
    });
    expect(set.status).toBe(200);
    expect(set.body.shifts.map((shift: { staff: { name: string }; start: string; end: string }) => `${shift.staff.name} ${shift.start}-${shift.end}`).sort()).toEqual(['吴军 20:00-08:00', '张伟 00:00-00:00']);

    const day = await desk.get('/api/rosters');
    expect(day.body.date).toBe(today());
    expect(day.body.shifts.filter((shift: { department: string }) => shift.department === 'engineering')).toHaveLength(2);
    // The 24-hour shift covers now: dispatch's list says so, with the instants.
    const list = await desk.get('/api/staff?department=engineering');
    const zhang = list.body.find((person: { id: string }) => person.id === staff.technician);
    expect(zhang.shifts).toHaveLength(1);
    expect(Date.parse(zhang.shifts[0].startsAt)).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(zhang.shifts[0].endsAt)).toBeGreaterThan(Date.now());
    const [logged] = await api.db.query<Array<{ data: { shifts: number; department: string } }>>(`SELECT data FROM event_log WHERE type = 'roster.changed' ORDER BY seq DESC LIMIT 1`);
    expect(logged.data).toMatchObject({ shifts: 2, department: 'engineering' });
  });

  it('a night shift ends the next morning in the estate\'s time zone', async () => {
    const set = await manager.put('/api/rosters/2026-12-01/security').send({ shifts: [{ staffId: staff.guard, start: '20:00', end: '08:00' }] });
    expect(set.status).toBe(200);
    expect(set.body.shifts[0]).toMatchObject({ date: '2026-12-01', startsAt: '2026-12-01T12:00:00.000Z', endsAt: '2026-12-02T00:00:00.000Z' });
    // Set again as a whole: the day's plan is what was sent last.
    const cleared = await manager.put('/api/rosters/2026-12-01/security').send({ shifts: [] });
    expect(cleared.body.shifts).toEqual([]);
    expect((await desk.get('/api/rosters?date=2026-12-01')).body.shifts).toEqual([]);
  });

  it('refuses what cannot stand, naming the shift and why, and changes nothing', async () => {
    const before = (await desk.get('/api/rosters')).body.shifts;
    const overlap = await engineeringSupervisor.put(`/api/rosters/${today()}/engineering`).send({
      shifts: [
        { staffId: staff.technician, start: '08:00', end: '20:00' },
        { staffId: staff.technician, start: '19:00', end: '23:00' },
      ],
    });
    expect(overlap.status).toBe(400);
    expect(overlap.body.details).toEqual([{ field: 'shifts.1.start', reason: "overlaps the same person's shift 1" }]);
    const stranger = await engineeringSupervisor.put(`/api/rosters/${today()}/engineering`).send({ shifts: [{ staffId: staff.guard, start: '08:00', end: '20:00' }] });
    expect(stranger.body.details).toEqual([{ field: 'shifts.0.staffId', reason: 'is not an active member of engineering' }]);
    const badTime = await engineeringSupervisor.put(`/api/rosters/${today()}/engineering`).send({ shifts: [{ staffId: staff.technician, start: '8点', end: '20:00' }] });
    expect(badTime.status).toBe(400);
    expect((await engineeringSupervisor.put('/api/rosters/2026-02-30/engineering').send({ shifts: [] })).status).toBe(400);
    // Another department's supervisor, the desk and field staff may not plan engineering's day.
    expect((await securitySupervisor.put(`/api/rosters/${today()}/engineering`).send({ shifts: [] })).status).toBe(403);
    expect((await desk.put(`/api/rosters/${today()}/engineering`).send({ shifts: [] })).status).toBe(403);
    expect((await desk.get('/api/rosters')).body.shifts).toEqual(before);
  });
});
