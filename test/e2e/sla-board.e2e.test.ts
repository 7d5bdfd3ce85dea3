import type { SlaBoard, TicketView } from '@dispatch/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, client, login, type RunningApi, resetTickets, startApi } from '../support/api';
import { expectFieldError, nthUnit, repairFrom } from '../support/fixtures';
import { sleep } from '../support/socket';
import { shortenPolicy } from '../support/sla';

let api: RunningApi;
let desk: Client;
let tech: Client;
let restore: ((through?: Client) => Promise<void>) | undefined;

beforeAll(async () => {
  api = await startApi();
  await resetTickets(api.db);
  desk = client(api.url, await login(api.url, 'dispatcher'));
  tech = client(api.url, await login(api.url, 'technician'));
  const admin = client(api.url, await login(api.url, 'admin'));
  restore = await shortenPolicy(admin, { clock: 'dispatch', kind: 'help' }, { durationSeconds: 1, warningShare: 0.5, escalationSeconds: 600 });
});
afterAll(async () => {
  await restore?.();
  await api?.close();
});

async function runRepair(unit: string, satisfaction: string): Promise<TicketView> {
  const [technician] = await api.db.query<Array<{ id: string }>>(`SELECT id FROM staff WHERE username = 'technician'`);
  let ticket: TicketView = (await desk.post('/api/tickets').send(repairFrom(unit, { category: 'lights' }))).body;
  const step = async (by: Client, action: string, fields: Record<string, unknown> = {}) => {
    const res = await by.post(`/api/tickets/${ticket.id}/actions`).send({ action, version: ticket.version, ...fields });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    ticket = res.body;
  };
  await step(desk, 'dispatch', { assigneeId: technician.id });
  await step(tech, 'accept');
  await step(tech, 'arrive');
  await step(tech, 'complete', { note: '已修好' });
  await step(desk, 'callback', { result: '回访', satisfaction });
  if (satisfaction !== 'unsatisfied') await step(desk, 'close');
  return ticket;
}

describe('GET /api/sla/board', () => {
  it('computes the KPIs from the record, estate-wide for a manager and per department for a supervisor', async () => {
    await runRepair(nthUnit(1), 'satisfied');
    await runRepair(nthUnit(2), 'basically_satisfied');
    const reopened = await runRepair(nthUnit(3), 'unsatisfied');
    expect(reopened.status).toBe('dispatched');
    // A security call nobody dispatches: breached within a second.
    await desk.post('/api/tickets').send({ kind: 'help', channel: 'phone', category: 'security', description: '可疑人员', location: { area: 'GATE-N' } });
    await sleep(1_500);

    const manager = client(api.url, await login(api.url, 'manager'));
    const board = (await manager.get('/api/sla/board')).body as SlaBoard;
    expect(board.department).toBeNull();
    // Counts always; a rate only over 5 cases or more (2 of 2 is not "100 %"), as in the reports.
    expect(board.satisfaction).toEqual({ satisfied: 1, basically_satisfied: 1, unsatisfied: 1, rate: null });
    expect(board.firstTimeFix).toEqual({ closed: 2, withoutReopen: 2, rate: null });
    const dispatchClock = board.clocks.find((clock) => clock.clock === 'dispatch');
    expect(dispatchClock).toEqual({ clock: 'dispatch', finished: 4, onTime: 3, late: 1, onTimeRate: null });
    expect(board.breachesNow).toBe(1);
    expect(board.escalationsNow).toBe(0);
    expect(board.responseSeconds.count).toBe(3);
    expect(board.responseSeconds.average).toBeLessThan(5);
    expect(board.openByAge).toEqual([
      { bucket: '<1h', count: 2 },
      { bucket: '1-4h', count: 0 },
      { bucket: '4-24h', count: 0 },
      { bucket: '1-7d', count: 0 },
      { bucket: '>7d', count: 0 },
    ]);
    expect(board.perDepartment).toEqual([
      { department: 'engineering', open: 1, breachedNow: 0, closed: 2 },
      { department: 'security', open: 1, breachedNow: 1, closed: 0 },
    ]);
    expect(board.perPerson).toEqual([{ staffId: expect.any(String), name: '张伟', open: 1, breachedNow: 0 }]);
    expect(board.trend).toHaveLength(24);
    expect(board.trend.at(-1)).toMatchObject({ received: 4, breached: 1 });

    const supervisor = client(api.url, await login(api.url, 'supervisor'));
    const security = (await supervisor.get('/api/sla/board')).body as SlaBoard;
    expect(security.department).toBe('security');
    expect(security.perDepartment).toEqual([{ department: 'security', open: 1, breachedNow: 1, closed: 0 }]);
    expect(security.satisfaction.rate).toBeNull();
  });

  it('is for supervisors and up, and checks its window', async () => {
    expect((await tech.get('/api/sla/board')).status).toBe(403);
    expectFieldError(await desk.get('/api/sla/board?hours=0'), 400, 'hours');
    // Garbage is refused, never quietly replaced by the default.
    expectFieldError(await desk.get('/api/sla/board?hours=abc'), 400, 'hours');
    expectFieldError(await desk.get('/api/events?after=abc'), 400, 'after');
    expectFieldError(await desk.get('/api/events?limit=5000'), 400, 'limit');
  });
});
