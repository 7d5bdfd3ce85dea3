import type { AnyDomainEvent, ClockView } from '@dispatch/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, client, login, type RunningApi, resetTickets, startApi } from '../support/api';
import { expectFieldError, repairFrom } from '../support/fixtures';
import { createAs, doRequiredSteps, stepAs, type Ticket } from '../support/loop';

/** The seeds' rules (DOMAIN.md, issue 13), each asserted on the clocks' dueAt and the events. */
let api: RunningApi;
let desk: Client;
let tech: Client;
let guard: Client;
let csSupervisor: Client;
let engSupervisor: Client;
let staffIds: Record<string, string>;

beforeAll(async () => {
  api = await startApi();
  await resetTickets(api.db);
  desk = client(api.url, await login(api.url, 'dispatcher'));
  tech = client(api.url, await login(api.url, 'technician'));
  guard = client(api.url, await login(api.url, 'guard'));
  csSupervisor = client(api.url, await login(api.url, 'cs_supervisor'));
  engSupervisor = client(api.url, await login(api.url, 'eng_supervisor'));
  const staff = await api.db.query<Array<{ id: string; username: string }>>('SELECT id, username FROM staff');
  staffIds = Object.fromEntries(staff.map((person) => [person.username, person.id]));
});
afterAll(async () => {
  await api?.close();
});

const create = (body: Record<string, unknown>) => createAs(desk, body);
const clockOf = (ticket: Ticket, clock: string): ClockView | undefined => ticket.clocks.filter((c) => c.clock === clock).at(-1);
const allowedMinutes = (clock: ClockView | undefined) => (clock ? (Date.parse(clock.dueAt) - Date.parse(clock.startedAt)) / 60_000 : null);
const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
const publicArea = (area: string) => ({ location: { area }, repair: { inUnit: false, inWarranty: false, paid: false } });

async function timeline(id: string): Promise<AnyDomainEvent[]> {
  return (await desk.get(`/api/tickets/${id}`)).body.timeline;
}

describe('the finish report and the contact with the owner', () => {
  it('completing is the report of finishing; arriving is not a contact; only a reached owner meets the contact clock', async () => {
    let ticket = await create(repairFrom('5-2-301'));
    ticket = await stepAs(desk, ticket, 'dispatch', { assigneeId: staffIds.technician });
    ticket = await stepAs(tech, ticket, 'accept');
    ticket = await stepAs(tech, ticket, 'arrive');
    expect(clockOf(ticket, 'contact')?.state).toBe('running');
    // An attempt that reached nobody is recorded, and the clock runs on.
    ticket = await stepAs(tech, ticket, 'contact', { outcome: 'unreachable', via: 'phone', note: '业主未接电话' });
    expect(clockOf(ticket, 'contact')?.state).toBe('running');
    ticket = await stepAs(tech, ticket, 'contact', { outcome: 'reached', via: 'phone', note: '业主同意进户' });
    expect(clockOf(ticket, 'contact')?.state).toBe('met');
    // No on-site report sent: completing meets it, and no finish-report clock starts.
    ticket = await stepAs(tech, ticket, 'complete', { note: '已更换密封圈' });
    expect(clockOf(ticket, 'report_on_site')?.state).toBe('met');
    expect(clockOf(ticket, 'report_done')).toBeUndefined();
    expect(clockOf(ticket, 'callback')?.state).toBe('running');
    const contacts = (await timeline(ticket.id)).filter((event) => event.type === 'ticket.contact');
    expect(contacts.map((event) => (event.data as { input: { outcome: string } }).input.outcome)).toEqual(['unreachable', 'reached']);
  });

  it('refuses a contact without its outcome and channel, or with an alarm\'s outcome', async () => {
    const ticket = await create(repairFrom('5-2-302'));
    expectFieldError(await desk.post(`/api/tickets/${ticket.id}/actions`).send({ action: 'contact', version: 1, note: '联系了' }), 400, 'outcome');
    expectFieldError(await desk.post(`/api/tickets/${ticket.id}/actions`).send({ action: 'contact', version: 1, outcome: 'false', via: 'phone' }), 400, 'outcome');
    expectFieldError(await desk.post(`/api/tickets/${ticket.id}/actions`).send({ action: 'contact', version: 1, outcome: 'reached', via: 'pigeon' }), 400, 'via');
  });
});

describe('one week, and the explanation when it is overdue', () => {
  it('a complaint is resolved within 7 calendar days; a late one gets a recorded explanation with a new date', async () => {
    let complaint = await create({ kind: 'complaint', channel: 'phone', category: 'noise', description: '楼上装修噪音', location: { unit: '5-2-401' }, reporter: { name: '孙先生', phone: '13900007001' } });
    const resolve = clockOf(complaint, 'resolve');
    expect(resolve?.businessHours).toBe(false);
    expect(allowedMinutes(resolve)).toBe(7 * 24 * 60);
    const newDate = inHours(72);
    const explanation = { reason: '需与施工方协调', agreedAt: newDate, ownerToldVia: 'phone' };
    // Nothing is late yet: there is nothing to explain.
    const early = await desk.post(`/api/tickets/${complaint.id}/actions`).send({ action: 'explain_delay', version: complaint.version, ...explanation });
    expect(early.status).toBe(409);
    // The week went by (aged by hand: the engine's own firing is tested in sla.e2e).
    await api.db.query(`UPDATE ticket_clock SET due_at = now() - interval '1 hour', breached_at = now(), next_fire_at = NULL WHERE ticket_id = $1 AND clock = 'resolve'`, [complaint.id]);
    complaint = await stepAs(desk, complaint, 'explain_delay', explanation);
    const explained = (await timeline(complaint.id)).find((event) => event.type === 'ticket.explain_delay');
    expect(explained?.data).toMatchObject({ input: { reason: '需与施工方协调', agreedAt: newDate, ownerToldVia: 'phone' } });
    // Counted: the managers' board shows the explanations of the window.
    const manager = client(api.url, await login(api.url, 'manager'));
    const before = (await manager.get('/api/sla/board')).body.delays.explained as number;
    expect(before).toBeGreaterThanOrEqual(1);
    await stepAs(desk, complaint, 'explain_delay', { ...explanation, reason: '施工方推迟' });
    expect((await manager.get('/api/sla/board')).body.delays.explained).toBe(before + 1);
  });
});

describe('every request has an owner who can act', () => {
  it('a complaint goes to customer service with the department at fault assisting; the customer-service supervisor can take it', async () => {
    let complaint = await create({ kind: 'complaint', channel: 'phone', category: 'lights', description: '楼道灯坏了一周没人修', location: { area: 'STAIRS-3-1' } });
    expect(complaint.department).toBe('customer_service');
    // The department at fault sees it too (its supervisor's board and its tablets).
    expect((await engSupervisor.get(`/api/tickets/${complaint.id}`)).status).toBe(200);
    complaint = await stepAs(desk, complaint, 'dispatch', { assigneeId: staffIds.cs_supervisor });
    complaint = await stepAs(csSupervisor, complaint, 'accept');
    expect(complaint.status).toBe('accepted');
  });

  it('suggestions, inquiries and praise are answered at the desk: no arrival clock, praise no clock at all', async () => {
    const suggestion = await create({ kind: 'suggestion', channel: 'wechat', category: 'other', description: '建议增加快递柜', location: { area: 'CLUBHOUSE' } });
    expect(suggestion.clocks.map((clock) => clock.clock).sort()).toEqual(['contact', 'resolve']);
    const praise = await create({ kind: 'praise', channel: 'front_desk', category: 'security', description: '表扬保安李强帮忙搬运', location: { unit: '5-2-501' } });
    expect(praise).toMatchObject({ kind: 'praise', department: 'customer_service', clocks: [] });
    const closed = await stepAs(desk, praise, 'answer', { answer: '已转达并记入考核' });
    expect(closed.status).toBe('closed');
  });
});

describe('priority and round-the-clock security', () => {
  it('urgent shortens arrival (5 min) and contact (5 min); the callback follows (30 min, calendar time)', async () => {
    // Building 2 was handed over six years ago: out of warranty, so only urgency makes arrival 5 minutes.
    let urgent = await create(repairFrom('2-2-502', { priority: 'urgent' }));
    expect(urgent.repair).toMatchObject({ inWarranty: false, warranty: { source: 'computed' } });
    expect(allowedMinutes(clockOf(urgent, 'contact'))).toBe(5);
    urgent = await stepAs(desk, urgent, 'dispatch', { assigneeId: staffIds.technician });
    expect(allowedMinutes(clockOf(urgent, 'arrival'))).toBe(5);
    urgent = await stepAs(tech, urgent, 'accept');
    urgent = await stepAs(tech, urgent, 'arrive');
    urgent = await stepAs(tech, urgent, 'complete', { note: '已处理' });
    const callback = clockOf(urgent, 'callback');
    expect(callback?.businessHours).toBe(false);
    expect(allowedMinutes(callback)).toBe(30);
  });

  it('a security callback counts calendar time: one hour after the work, day or night', async () => {
    let help = await create({ kind: 'help', channel: 'phone', category: 'security', description: '门口有陌生人徘徊', location: { unit: '5-1-101' }, reporter: { name: '李女士', phone: '13900007002' } });
    help = await stepAs(desk, help, 'dispatch', { assigneeId: staffIds.guard });
    expect(allowedMinutes(clockOf(help, 'arrival'))).toBe(5);
    help = await stepAs(guard, help, 'accept');
    help = await stepAs(guard, help, 'arrive');
    help = await stepAs(guard, help, 'complete', { note: '已劝离' });
    const callback = clockOf(help, 'callback');
    expect(callback?.businessHours).toBe(false);
    expect(allowedMinutes(callback)).toBe(60);
  });
});

describe('a repeat that becomes a complaint keeps the repair rules', () => {
  it('a paid repair reported twice: the complaint links the first, needs a dispatch slip, a repair sheet with the owner\'s opinion, and runs the repair\'s arrival clock', async () => {
    const paid = { category: 'door_lock', repair: { inUnit: true, inWarranty: true, paid: true } };
    const first = await create(repairFrom('5-1-201', paid));
    let repeat = await create(repairFrom('5-1-201', { ...paid, reporter: { name: '周先生', phone: '13900007003' } }));
    expect(repeat).toMatchObject({ kind: 'complaint', department: 'customer_service', repeatOf: { id: first.id }, repair: { paid: true } });
    repeat = await stepAs(desk, repeat, 'dispatch', { department: 'engineering', assigneeId: staffIds.technician });
    expect(repeat.documents).toEqual(['dispatch_slip']);
    // In-unit, under warranty: the repair's 5 minutes, not a general 30.
    expect(allowedMinutes(clockOf(repeat, 'arrival'))).toBe(5);
    repeat = await stepAs(tech, repeat, 'accept');
    repeat = await stepAs(tech, repeat, 'arrive');
    expectFieldError(await tech.post(`/api/tickets/${repeat.id}/actions`).send({ action: 'complete', version: repeat.version, note: '已换锁' }), 400, 'repairSheet');
    expectFieldError(
      await tech.post(`/api/tickets/${repeat.id}/actions`).send({ action: 'complete', version: repeat.version, note: '已换锁', repairSheet: { labour: '换锁芯', parts: [] } }),
      400,
      'repairSheet.ownerOpinion',
    );
    repeat = await stepAs(tech, repeat, 'complete', { note: '已换锁', repairSheet: { labour: '换锁芯', parts: [{ name: '锁芯', quantity: 1, unitPrice: 120 }], ownerOpinion: '同意付费' } });
    expect(repeat.documents).toEqual(['dispatch_slip', 'repair_sheet']);
  });
});

describe('waiting, callbacks with nobody to call, alarms', () => {
  it('a waiting ticket gets a new agreed time as a step of its own (a new round of the agreed clock)', async () => {
    let ticket = await create(repairFrom('5-1-202'));
    ticket = await stepAs(desk, ticket, 'wait', { reason: '需订购配件', agreedAt: inHours(24), ownerToldVia: 'phone' });
    const later = inHours(48);
    ticket = await stepAs(desk, ticket, 'extend_wait', { reason: '配件延迟到货', agreedAt: later, ownerToldVia: 'wechat' });
    expect(ticket).toMatchObject({ status: 'waiting', agreedAt: later });
    const agreed = ticket.clocks.filter((clock) => clock.clock === 'agreed');
    expect(agreed.map((clock) => [clock.round, clock.state])).toEqual([
      [1, 'cancelled'],
      [2, 'running'],
    ]);
    expect(agreed[1].dueAt).toBe(later);
    expectFieldError(await desk.post(`/api/tickets/${ticket.id}/actions`).send({ action: 'extend_wait', version: ticket.version, reason: 'x', agreedAt: inHours(-1), ownerToldVia: 'phone' }), 400, 'agreedAt');
  });

  it('a public-area report with no reporter is called back as no_owner, with no satisfaction', async () => {
    let ticket = await create({ kind: 'repair', channel: 'patrol', category: 'lights', description: '巡查发现大堂灯不亮', ...publicArea('LOBBY-4-2') });
    expect(ticket.hasReporter).toBe(false);
    ticket = await stepAs(desk, ticket, 'dispatch', { assigneeId: staffIds.technician });
    ticket = await stepAs(tech, ticket, 'accept');
    ticket = await stepAs(tech, ticket, 'arrive');
    ticket = await stepAs(tech, ticket, 'complete', { note: '已换灯', repairSheet: { labour: '换灯', parts: [] } });
    expectFieldError(await desk.post(`/api/tickets/${ticket.id}/actions`).send({ action: 'callback', version: ticket.version, result: 'x', satisfaction: 'satisfied', outcome: 'no_owner' }), 400, 'satisfaction');
    ticket = await stepAs(desk, ticket, 'callback', { result: '无报事人，客服已现场确认', outcome: 'no_owner' });
    expect(ticket.status).toBe('callback_done');
    expect(clockOf(ticket, 'contact')?.state).toBe('cancelled');
  });

  it('an alarm comes in on the device channel with the device\'s own time; a second repair request returns the first', async () => {
    const occurredAt = new Date(Date.now() - 4_000).toISOString();
    const res = await client(api.url)
      .post('/api/alarms')
      .set('X-Device-Key', 'demo-device-key')
      .send({ deviceId: 'ir-3-201', eventId: `seed-rules-${Date.now()}`, kind: 'intrusion', occurredAt });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    let alarm: Ticket = res.body;
    expect(alarm.channel).toBe('device');
    expect(alarm.alarm?.occurredAt).toBe(occurredAt);
    expect(Date.parse(alarm.alarm?.firstSeenAt ?? '') - Date.parse(occurredAt)).toBeGreaterThanOrEqual(4_000);
    alarm = await stepAs(desk, await doRequiredSteps(desk, alarm), 'clear', { outcome: 'real', reason: '门锁被撬' });
    const body = { category: 'door_lock', description: '入户门锁被撬坏，需更换' };
    const first = await desk.post(`/api/alarms/${alarm.id}/repair`).send(body);
    expect(first.status).toBe(201);
    const again = await desk.post(`/api/alarms/${alarm.id}/repair`).send(body);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const forced = await desk.post(`/api/alarms/${alarm.id}/repair`).send({ ...body, force: true });
    expect(forced.status).toBe(201);
    expect(forced.body.id).not.toBe(first.body.id);
  });
});
