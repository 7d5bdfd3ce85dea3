import type { AnyDomainEvent, TicketView } from '@dispatch/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, client, login, type RunningApi, resetTickets, startApi } from '../support/api';
import { type Listener, listen, sleep } from '../support/socket';
import { shortenPolicy } from '../support/sla';

let api: RunningApi;
let desk: Client;
let admin: Client;
let guardClient: Client;
const restores: Array<(through?: Client) => Promise<void>> = [];
const listeners: Listener[] = [];

type Ticket = TicketView & { seq: number };

/** A guard's job: help in security, so the 5-minute arrival and security supervisors apply. */
const securityHelp = (unit: string) => ({ kind: 'help', channel: 'phone', category: 'security', description: '楼道有陌生人徘徊', location: { unit } });

beforeAll(async () => {
  api = await startApi();
  await resetTickets(api.db);
  desk = client(api.url, await login(api.url, 'dispatcher'));
  admin = client(api.url, await login(api.url, 'admin'));
  guardClient = client(api.url, await login(api.url, 'guard'));
  // Short clocks: help is dispatched within 2 s, warned at 1 s, escalated 1 s after the breach.
  restores.push(await shortenPolicy(admin, { clock: 'dispatch', kind: 'help' }, { durationSeconds: 2, warningShare: 0.5, escalationSeconds: 1 }));
});
afterAll(async () => {
  for (const listener of listeners) listener.close();
  for (const restore of restores) await restore();
  await api?.close();
});

async function create(body: Record<string, unknown>): Promise<Ticket> {
  const res = await desk.post('/api/tickets').send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function slaEvents(ticketId: string): Promise<AnyDomainEvent[]> {
  const res = await desk.get(`/api/tickets/${ticketId}`);
  return (res.body.timeline as AnyDomainEvent[]).filter((event) => event.type.startsWith('sla.'));
}

describe('warning, breach and escalation of an unmet clock', () => {
  it('fires each once, at its moment, to the right rooms, and marks the ticket escalated', async () => {
    const wallboard = await listen(api.url, await login(api.url, 'dispatcher'));
    const supervisor = await listen(api.url, await login(api.url, 'supervisor')); // security supervisor
    const manager = await listen(api.url, await login(api.url, 'manager'));
    const technician = await listen(api.url, await login(api.url, 'technician')); // engineering: none of this
    listeners.push(wallboard, supervisor, manager, technician);

    const ticket = await create(securityHelp('3-2-201'));
    const isDispatch = (type: string) => (event: AnyDomainEvent) =>
      event.ticketId === ticket.id && event.type === type && (event.data as { clock?: string }).clock === 'dispatch';

    const warning = await wallboard.waitForEvent(isDispatch('sla.warning'), 5_000);
    const breach = await supervisor.waitForEvent(isDispatch('sla.breached'), 5_000);
    const escalation = await manager.waitForEvent(isDispatch('sla.escalated'), 5_000);
    const received = Date.parse(ticket.receivedAt);
    for (const [event, offset] of [[warning, 1_000], [breach, 2_000], [escalation, 3_000]] as const) {
      if (!('scheduledAt' in event.data)) throw new Error('not an SLA event');
      expect(Date.parse(event.data.scheduledAt) - received).toBe(offset);
      expect(event.data.late).toBe(false);
      expect(Date.parse(event.data.firedAt)).toBeGreaterThanOrEqual(Date.parse(event.data.scheduledAt));
    }
    if (!('ticket' in escalation.data)) throw new Error('no ticket');
    expect(escalation.data.ticket.escalation).toBe(2);

    await sleep(500);
    expect(technician.events.filter((event) => event.ticketId === ticket.id)).toEqual([]);
    // The department's supervisor room and the managers' room are addressed by name.
    expect(supervisor.events.filter(isDispatch('sla.breached'))).toHaveLength(1);
    expect(manager.events.filter(isDispatch('sla.escalated'))).toHaveLength(1);
    const types = (await slaEvents(ticket.id)).map((event) => event.type);
    expect(types).toEqual(['sla.warning', 'sla.breached', 'sla.escalated']);

    const detail = (await desk.get(`/api/tickets/${ticket.id}`)).body.ticket as TicketView;
    const dispatch = detail.clocks.find((clock) => clock.clock === 'dispatch');
    expect(dispatch).toMatchObject({ state: 'breached', overdueMs: null });
    expect(detail.clocks.find((clock) => clock.clock === 'contact')).toMatchObject({ state: 'running' });
  });
});

describe('met in time, met late', () => {
  it('a dispatch in time gives sla.met and no warning', async () => {
    const ticket = await create(securityHelp('3-2-202'));
    const res = await desk.post(`/api/tickets/${ticket.id}/actions`).send({ action: 'dispatch', version: 1 });
    expect(res.status).toBe(200);
    await sleep(2_500);
    const events = await slaEvents(ticket.id);
    expect(events.map((event) => [event.type, (event.data as { clock: string }).clock])).toEqual([['sla.met', 'dispatch']]);
    const detail = (await desk.get(`/api/tickets/${ticket.id}`)).body.ticket as TicketView;
    expect(detail.clocks.find((clock) => clock.clock === 'dispatch')?.state).toBe('met');
    // Dispatching security starts its 5-minute arrival clock.
    const arrival = detail.clocks.find((clock) => clock.clock === 'arrival');
    expect(Date.parse(arrival!.dueAt) - Date.parse(arrival!.startedAt)).toBe(5 * 60_000);
  });

  it('a dispatch after the breach is met late, by how much, with no sla.met', async () => {
    const ticket = await create(securityHelp('3-2-301'));
    await sleep(2_600);
    const res = await desk.post(`/api/tickets/${ticket.id}/actions`).send({ action: 'dispatch', version: 1 });
    expect(res.status).toBe(200);
    const dispatch = (res.body as TicketView).clocks.find((clock) => clock.clock === 'dispatch')!;
    expect(dispatch.state).toBe('met_late');
    expect(dispatch.overdueMs).toBeGreaterThanOrEqual(500);
    const types = (await slaEvents(ticket.id)).map((event) => event.type);
    expect(types).not.toContain('sla.met');
    expect(types.filter((type) => type === 'sla.breached')).toHaveLength(1);
  });
});

describe('waiting runs against the agreed time', () => {
  it('wait replaces the arrival clock with one due at the agreed time; resume meets it and restarts arrival', async () => {
    let ticket = await create(securityHelp('3-2-302'));
    ticket = (await desk.post(`/api/tickets/${ticket.id}/actions`).send({ action: 'dispatch', version: ticket.version })).body;
    const agreedAt = new Date(Date.now() + 3_600_000).toISOString();
    const waited = await guardClient
      .post(`/api/tickets/${ticket.id}/actions`)
      .send({ action: 'wait', version: ticket.version, reason: '业主不在家，约好一小时后', agreedAt, ownerToldVia: 'phone' });
    expect(waited.status, JSON.stringify(waited.body)).toBe(200);
    const clocks = (waited.body as TicketView).clocks;
    expect(clocks.find((clock) => clock.clock === 'agreed')).toMatchObject({ state: 'running', dueAt: agreedAt });
    expect(clocks.find((clock) => clock.clock === 'arrival')?.state).toBe('cancelled');
    expect(clocks.find((clock) => clock.clock === 'contact')?.state).toBe('met');

    const resumed = await guardClient.post(`/api/tickets/${ticket.id}/actions`).send({ action: 'resume', version: waited.body.version });
    const after = (resumed.body as TicketView).clocks;
    expect(after.find((clock) => clock.clock === 'agreed')?.state).toBe('met');
    expect(after.filter((clock) => clock.clock === 'arrival').map((clock) => [clock.round, clock.state])).toEqual([
      [1, 'cancelled'],
      [2, 'running'],
    ]);
  });
});

describe('the policy table', () => {
  it('is edited by an admin only, and every change is in the event log with the previous value', async () => {
    const policies = (await desk.get('/api/sla/policies')).body as Array<{ id: string; clock: string; kind: string | null; department: string | null; durationSeconds: number }>;
    const callback = policies.find((policy) => policy.clock === 'callback' && policy.department === 'security')!;
    expect(callback.durationSeconds).toBe(3600);
    expect((await desk.patch(`/api/sla/policies/${callback.id}`).send({ durationSeconds: 1800 })).status).toBe(403);
    expect((await admin.patch(`/api/sla/policies/${callback.id}`).send({ durationSeconds: 0 })).status).toBe(400);
    expect((await admin.patch(`/api/sla/policies/${callback.id}`).send({})).status).toBe(400);
    const changed = await admin.patch(`/api/sla/policies/${callback.id}`).send({ durationSeconds: 1800 });
    expect(changed.body.durationSeconds).toBe(1800);
    const [logged] = await api.db.query<Array<{ data: { previous: { durationSeconds: number }; policy: { durationSeconds: number } } }>>(
      `SELECT data FROM event_log WHERE type = 'sla.policy_changed' ORDER BY seq DESC LIMIT 1`,
    );
    expect([logged.data.previous.durationSeconds, logged.data.policy.durationSeconds]).toEqual([3600, 1800]);
    await admin.patch(`/api/sla/policies/${callback.id}`).send({ durationSeconds: 3600 });
  });
});
