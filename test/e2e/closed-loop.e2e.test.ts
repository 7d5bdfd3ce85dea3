import type { AnyDomainEvent, TicketView } from '@dispatch/domain';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, client, login, type RunningApi, resetTickets, startApi } from '../support/api';
import { expectFieldError, repairFrom } from '../support/fixtures';
import { createAs, stepAs, type Ticket } from '../support/loop';
import { listen } from '../support/socket';

let api: RunningApi;
let desk: Client; // dispatcher 王敏, customer service
let tech: Client; // technician 张伟, engineering
let guard: Client; // guard 李强, security
let deskToken: string;
let staffIds: Record<string, string>;
/** Tickets a test changed by hand in SQL (to age them); the log rightly knows nothing of that. */
const alteredByHand = new Set<string>();

beforeAll(async () => {
  api = await startApi();
  await resetTickets(api.db);
  deskToken = await login(api.url, 'dispatcher');
  desk = client(api.url, deskToken);
  tech = client(api.url, await login(api.url, 'technician'));
  guard = client(api.url, await login(api.url, 'guard'));
  const staff = await api.db.query<Array<{ id: string; username: string }>>('SELECT id, username FROM staff');
  staffIds = Object.fromEntries(staff.map((person) => [person.username, person.id]));
});
afterAll(async () => {
  await api?.close();
});

const create = (body: Record<string, unknown>): Promise<Ticket> => createAs(desk, body);
const step = stepAs;

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();
const sheet = { labour: '更换灯管2支，约30分钟', parts: [{ name: 'LED灯管 T8', quantity: 2, unitPrice: 35 }], ownerOpinion: '满意，已签字' };

async function timeline(id: string): Promise<AnyDomainEvent[]> {
  const res = await desk.get(`/api/tickets/${id}`);
  expect(res.status).toBe(200);
  return res.body.timeline;
}

/** A digest of every row the loop writes: equal digests mean nothing changed. */
async function snapshot(): Promise<string> {
  const [row] = await api.db.query<Array<{ digest: string }>>(`
    SELECT concat_ws('|',
      (SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY id), '')) FROM ticket t),
      (SELECT md5(coalesce(string_agg(c::text, ',' ORDER BY ticket_id, clock), '')) FROM ticket_clock c),
      (SELECT md5(coalesce(string_agg(d::text, ',' ORDER BY id), '')) FROM ticket_document d),
      (SELECT count(*) FROM event_log)) AS digest`);
  return row.digest;
}

describe('the repair loop over HTTP: create → dispatch → accept → arrive → report → complete → callback → close', () => {
  it('runs end to end, each step by the role that does it, and the timeline records every step', async () => {
    const wallboard = await listen(api.url, deskToken);
    let ticket = await create(repairFrom('4-2-301'));
    ticket = await step(desk, ticket, 'dispatch', { assigneeId: staffIds.technician, note: '带防水胶' });
    expect(ticket).toMatchObject({ status: 'dispatched', version: 2, assignee: { id: staffIds.technician, name: '张伟' }, documents: ['dispatch_slip'] });
    expect(ticket.clocks.find((clock) => clock.clock === 'dispatch')?.metAt).not.toBeNull();
    ticket = await step(tech, ticket, 'accept');
    ticket = await step(tech, ticket, 'arrive');
    expect(ticket.status).toBe('on_site');
    // At the door is not a contact with the owner: the contact clock still runs.
    expect(ticket.clocks.find((clock) => clock.clock === 'contact')?.state).toBe('running');
    ticket = await step(tech, ticket, 'report', { note: '已到场，楼上管道渗漏' });
    ticket = await step(tech, ticket, 'complete', { note: '已更换密封圈' });
    expect(ticket.status).toBe('done');
    ticket = await step(desk, ticket, 'callback', { result: '业主确认不再漏水', satisfaction: 'satisfied' });
    expect(ticket.status).toBe('callback_done');
    ticket = await step(desk, ticket, 'close');
    expect(ticket).toMatchObject({ status: 'closed', version: 8 });
    expect(ticket.closedAt).not.toBeNull();

    const events = await timeline(ticket.id);
    const types = events.filter((event) => event.type.startsWith('ticket.')).map((event) => event.type);
    // Each stage done in time met its clock, once; the owner was first spoken to at the
    // callback. Completing is the report of finishing: no finish-report clock to breach.
    expect(events.filter((event) => event.type === 'sla.met').map((event) => (event.data as { clock: string }).clock)).toEqual([
      'dispatch',
      'arrival',
      'report_on_site',
      'callback',
      'contact',
    ]);
    const detail = (await desk.get(`/api/tickets/${ticket.id}`)).body.ticket as TicketView;
    expect(detail.clocks.find((clock) => clock.clock === 'report_done')).toBeUndefined();
    expect(detail.clocks.filter((clock) => clock.state === 'breached')).toEqual([]);
    expect(types).toEqual([
      'ticket.created',
      'ticket.dispatch',
      'ticket.accept',
      'ticket.arrive',
      'ticket.report',
      'ticket.complete',
      'ticket.callback',
      'ticket.close',
    ]);
    const closed = await wallboard.waitForEvent((event) => event.ticketId === ticket.id && event.type === 'ticket.close');
    expect(closed.seq).toBe(ticket.seq);
    wallboard.close();
  });

  it('answers an inquiry and closes it at intake, with no dispatch', async () => {
    let ticket = await create({ kind: 'inquiry', channel: 'wechat', category: 'other', description: '物业费怎么交？', location: { unit: '1-1-101' } });
    ticket = await step(desk, ticket, 'answer', { answer: '可在App或前台缴纳' });
    expect(ticket.status).toBe('closed');
  });
});

describe('work-order documents', () => {
  it('a paid public-area repair needs a repair sheet with the owner\'s opinion, and a customer-service check before close', async () => {
    let ticket = await create(
      repairFrom(undefined, { category: 'lights', location: { area: 'STAIRS-3-1' }, repair: { inUnit: false, inWarranty: false, paid: true } }),
    );
    ticket = await step(desk, ticket, 'dispatch');
    ticket = await step(tech, ticket, 'accept');
    ticket = await step(tech, ticket, 'arrive');

    const noSheet = await tech.post(`/api/tickets/${ticket.id}/actions`).send({ action: 'complete', version: ticket.version, note: '已修好' });
    expectFieldError(noSheet, 400, 'repairSheet');
    const noOpinion = await tech
      .post(`/api/tickets/${ticket.id}/actions`)
      .send({ action: 'complete', version: ticket.version, note: '已修好', repairSheet: { ...sheet, ownerOpinion: undefined } });
    expectFieldError(noOpinion, 400, 'repairSheet.ownerOpinion');

    ticket = await step(tech, ticket, 'complete', { note: '已修好', repairSheet: sheet });
    expect(ticket.documents).toEqual(['dispatch_slip', 'repair_sheet']);
    ticket = await step(desk, ticket, 'callback', { result: '灯亮了', satisfaction: 'basically_satisfied' });

    const early = await desk.post(`/api/tickets/${ticket.id}/actions`).send({ action: 'close', version: ticket.version });
    expect(early.status).toBe(409);
    expect(early.body.message).toContain('cs_check');
    expect(early.body.current).toMatchObject({ id: ticket.id, status: 'callback_done' });

    ticket = await step(desk, ticket, 'check', { result: '客服现场验收合格' });
    ticket = await step(desk, ticket, 'close');
    expect(ticket.status).toBe('closed');
    const [sheetRow] = await api.db.query<Array<{ data: { ownerOpinion: string } }>>(
      `SELECT data FROM ticket_document WHERE ticket_id = $1 AND kind = 'repair_sheet'`,
      [ticket.id],
    );
    expect(sheetRow.data.ownerOpinion).toBe('满意，已签字');
  });
});

describe('the other paths of the loop', () => {
  it('wait needs a future agreed time and how the owner was told; resume returns to where it waited', async () => {
    let ticket = await create(repairFrom('2-2-201'));
    ticket = await step(desk, ticket, 'dispatch');
    ticket = await step(tech, ticket, 'accept');
    const past = await tech
      .post(`/api/tickets/${ticket.id}/actions`)
      .send({ action: 'wait', version: ticket.version, reason: '缺配件', agreedAt: '2020-01-01T00:00:00Z', ownerToldVia: 'phone' });
    expectFieldError(past, 400, 'agreedAt');
    const agreedAt = inAnHour();
    ticket = await step(tech, ticket, 'wait', { reason: '需订购灯具，已告知业主', agreedAt, ownerToldVia: 'phone' });
    expect(ticket).toMatchObject({ status: 'waiting', agreedAt });
    ticket = await step(tech, ticket, 'resume');
    expect(ticket).toMatchObject({ status: 'accepted', agreedAt: null });
  });

  it('退回 and 改派: a technician hands a task back (no picking targets), the desk moves it to security, and visibility follows', async () => {
    let ticket = await create(repairFrom('5-1-301', { category: 'door_lock' }));
    ticket = await step(desk, ticket, 'dispatch', { assigneeId: staffIds.technician });
    // Field staff may not send work to another department or person themselves.
    const picked = await tech.post(`/api/tickets/${ticket.id}/actions`).send({ action: 'reassign', version: ticket.version, reason: 'x', department: 'security' });
    expect(picked.status).toBe(403);
    expectFieldError(await tech.post(`/api/tickets/${ticket.id}/actions`).send({ action: 'hand_back', version: ticket.version, reason: 'x', department: 'security' }), 400, 'department');
    ticket = await step(tech, ticket, 'hand_back', { reason: '不是锁的问题，门被撬' });
    expect(ticket).toMatchObject({ status: 'received', assignee: null, department: 'engineering' });
    // Back in the desk's queue, with a new minute to dispatch it.
    expect(ticket.clocks.filter((clock) => clock.clock === 'dispatch').map((clock) => clock.state)).toEqual(['met', 'running']);

    const wrongDepartment = await desk
      .post(`/api/tickets/${ticket.id}/actions`)
      .send({ action: 'dispatch', version: ticket.version, department: 'security', assigneeId: staffIds.technician });
    expectFieldError(wrongDepartment, 400, 'assigneeId');

    const securityTablet = await listen(api.url, await login(api.url, 'guard'));
    ticket = await step(desk, ticket, 'dispatch', { department: 'security', assigneeId: staffIds.guard2 });
    ticket = await step(desk, ticket, 'reassign', { reason: '疑似盗窃，换人', department: 'security', assigneeId: staffIds.guard });
    expect(ticket).toMatchObject({ department: 'security', assignee: { id: staffIds.guard } });
    await securityTablet.waitForEvent((event) => event.ticketId === ticket.id && event.type === 'ticket.reassign');
    securityTablet.close();
    expect((await tech.get(`/api/tickets/${ticket.id}`)).status).toBe(404);
    expect((await guard.get(`/api/tickets/${ticket.id}`)).status).toBe(200);
    ticket = await step(guard, ticket, 'accept');
    expect(ticket.status).toBe('accepted');
  });

  it('reopen a closed ticket, and cancel another with a reason', async () => {
    let ticket = await create({ kind: 'inquiry', channel: 'phone', category: 'parking', description: '车位怎么租？', location: { area: 'CARPARK-B1' } });
    ticket = await step(desk, ticket, 'answer', { answer: '请到前台登记' });
    ticket = await step(desk, ticket, 'reopen', { reason: '业主说前台无人' });
    expect(ticket).toMatchObject({ status: 'dispatched', reopenCount: 1, closedAt: null });

    let other = await create(repairFrom('6-1-101'));
    other = await step(desk, other, 'cancel', { reason: '业主自行修好' });
    expect(other.status).toBe('cancelled');
    // Cancelling stops every clock: nothing is left to warn or breach.
    expect(other.clocks.map((clock) => [clock.clock, clock.state]).sort()).toEqual([
      ['contact', 'cancelled'],
      ['dispatch', 'cancelled'],
    ]);
    const [{ armed }] = await api.db.query<Array<{ armed: string }>>(
      'SELECT count(*) AS armed FROM ticket_clock WHERE ticket_id = $1 AND next_fire_at IS NOT NULL',
      [other.id],
    );
    expect(Number(armed)).toBe(0);
  });

  it('an unsatisfied callback does not close: it reopens the ticket to the same department with the owner\'s words', async () => {
    let ticket = await create(repairFrom('3-2-401'));
    ticket = await step(desk, ticket, 'dispatch', { assigneeId: staffIds.technician });
    ticket = await step(tech, ticket, 'accept');
    ticket = await step(tech, ticket, 'arrive');
    ticket = await step(tech, ticket, 'complete', { note: '已处理' });
    ticket = await step(desk, ticket, 'callback', { result: '还在滴水，很不满意', satisfaction: 'unsatisfied' });
    expect(ticket).toMatchObject({ status: 'dispatched', department: 'engineering', reopenCount: 1 });
    const events = (await timeline(ticket.id)).filter((event) => event.type.startsWith('ticket.'));
    const [callback, reopen] = events.slice(-2);
    expect(callback).toMatchObject({ type: 'ticket.callback', data: { from: 'done', to: 'callback_done', input: { satisfaction: 'unsatisfied' } } });
    expect(reopen).toMatchObject({ type: 'ticket.reopen', data: { from: 'callback_done', to: 'dispatched', automatic: true, input: { reason: '还在滴水，很不满意' } } });
    const [{ reopens }] = await api.db.query<Array<{ reopens: string }>>(`SELECT sum(reopen_count) AS reopens FROM ticket`);
    expect(Number(reopens)).toBeGreaterThanOrEqual(1);
  });
});

describe('a repeat report becomes a complaint', () => {
  it('links the same unit\'s second water-leak report to the first, as a complaint', async () => {
    const first = await create(repairFrom('1-2-502'));
    const second = await create(repairFrom('1-2-502', { reporter: { name: '另一位家人', phone: '13900000099' } }));
    expect(second).toMatchObject({ kind: 'complaint', department: 'customer_service', repeatOf: { id: first.id, number: first.number } });
    const otherCategory = await create(repairFrom('1-2-502', { category: 'lights' }));
    expect(otherCategory).toMatchObject({ kind: 'repair', repeatOf: null });
  });

  it('matches the same phone about the same place, not another place; not after a cancel or beyond the window', async () => {
    const phone = '13900000555';
    const lobby = { location: { area: 'LOBBY-4-2' }, repair: { inUnit: false, inWarranty: false, paid: false } };
    const first = await create(repairFrom('2-1-101', { category: 'lights', reporter: { name: '周女士', phone }, ...lobby }));
    const samePhone = await create(repairFrom('2-1-102', { category: 'lights', reporter: { name: '周女士', phone }, ...lobby }));
    expect(samePhone.repeatOf?.id).toBe(first.id);
    // The same caller's light in their own flat is another problem, not a repeat of the lobby's.
    expect((await create(repairFrom('2-1-201', { category: 'lights', reporter: { name: '周女士', phone } }))).repeatOf).toBeNull();

    const cancelledFirst = await create(repairFrom('2-2-101', { category: 'hygiene' }));
    await step(desk, cancelledFirst, 'cancel', { reason: '误报' });
    expect((await create(repairFrom('2-2-101', { category: 'hygiene' }))).repeatOf).toBeNull();

    const longAgo = await create({ kind: 'help', channel: 'phone', category: 'parking', description: '车被堵', location: { unit: '2-2-102' } });
    await api.db.query(`UPDATE ticket SET status = 'closed', closed_at = now() - interval '40 days' WHERE id = $1`, [longAgo.id]);
    alteredByHand.add(longAgo.id);
    const beyondWindow = await create({ kind: 'help', channel: 'phone', category: 'parking', description: '又被堵', location: { unit: '2-2-102' } });
    expect(beyondWindow.repeatOf).toBeNull();
    // Out of the way (cancelled reports do not count), so the next one can only match the old one.
    await step(desk, beyondWindow, 'cancel', { reason: '测试' });
    await api.db.query(`UPDATE ticket SET closed_at = now() - interval '10 days' WHERE id = $1`, [longAgo.id]);
    expect((await create({ kind: 'help', channel: 'phone', category: 'parking', description: '又被堵', location: { unit: '2-2-102' } })).repeatOf?.id).toBe(longAgo.id);
  });
});

describe('optimistic concurrency', () => {
  it('20 dispatchers acting at once on one ticket: exactly one wins, the others get 409 with the current state', async () => {
    const ticket = await create(repairFrom('4-1-601'));
    const results = await Promise.all(
      Array.from({ length: 20 }, () => desk.post(`/api/tickets/${ticket.id}/actions`).send({ action: 'dispatch', version: ticket.version })),
    );
    const winners = results.filter((res) => res.status === 200);
    const losers = results.filter((res) => res.status === 409);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(19);
    for (const loser of losers) expect(loser.body.current).toMatchObject({ id: ticket.id, status: 'dispatched', version: 2 });
    const types = (await timeline(ticket.id)).map((event) => event.type);
    expect(types).toEqual(['ticket.created', 'ticket.dispatch', 'sla.met']);
  });
});

describe('every wrong action is refused, naming why, and changes nothing', () => {
  let received: Ticket;
  let dispatched: Ticket;

  beforeAll(async () => {
    received = await create(repairFrom('5-2-201'));
    dispatched = await step(desk, await create(repairFrom('5-2-202')), 'dispatch');
  });

  const cases: Array<[string, () => Promise<{ status: number; body: Record<string, unknown> }>, number, string]> = [
    ['illegal transition (accept a received ticket)', () => tech.post(`/api/tickets/${received.id}/actions`).send({ action: 'accept', version: received.version }), 409, 'cannot accept a ticket that is received'],
    ['wrong role (a technician dispatching)', () => tech.post(`/api/tickets/${received.id}/actions`).send({ action: 'dispatch', version: received.version }), 403, 'may not dispatch'],
    ['field staff of another department', () => guard.post(`/api/tickets/${dispatched.id}/actions`).send({ action: 'accept', version: dispatched.version }), 404, 'No ticket'],
    ['missing field (cancel without reason)', () => desk.post(`/api/tickets/${received.id}/actions`).send({ action: 'cancel', version: received.version }), 400, 'reason'],
    ['a field the action does not take', () => desk.post(`/api/tickets/${received.id}/actions`).send({ action: 'dispatch', version: received.version, satisfaction: 'satisfied' }), 400, 'satisfaction'],
    ['unknown field', () => desk.post(`/api/tickets/${received.id}/actions`).send({ action: 'dispatch', version: received.version, priority: 'urgent' }), 400, 'priority'],
    ['unknown action', () => desk.post(`/api/tickets/${received.id}/actions`).send({ action: 'teleport', version: received.version }), 400, 'action'],
    ['missing version', () => desk.post(`/api/tickets/${received.id}/actions`).send({ action: 'dispatch' }), 400, 'version'],
    ['stale version', () => desk.post(`/api/tickets/${dispatched.id}/actions`).send({ action: 'reassign', version: 1, reason: 'x' }), 409, 'Stale version'],
    ['unknown ticket', () => desk.post('/api/tickets/0b7a3c1e-1d2f-4a5b-8c9d-0e1f2a3b4c5d/actions').send({ action: 'dispatch', version: 1 }), 404, 'No ticket'],
    ['malformed ticket id', () => desk.post("/api/tickets/1;DROP TABLE ticket/actions").send({ action: 'dispatch', version: 1 }), 400, 'uuid'],
    ['an assignee who is not on the staff', () => desk.post(`/api/tickets/${received.id}/actions`).send({ action: 'dispatch', version: received.version, assigneeId: '0b7a3c1e-1d2f-4a5b-8c9d-0e1f2a3b4c5d' }), 400, 'assigneeId'],
    ['malformed unit code at intake', () => desk.post('/api/tickets').send(repairFrom('4-2')), 400, 'location.unit'],
    ['unknown area at intake', () => desk.post('/api/tickets').send(repairFrom(undefined, { location: { area: 'NOWHERE' }, repair: undefined })), 400, 'location.area'],
    ['no token', () => client(api.url).post(`/api/tickets/${received.id}/actions`).send({ action: 'dispatch', version: received.version }), 401, 'Sign in'],
    ['a technician logging a ticket', () => tech.post('/api/tickets').send(repairFrom('4-2-301')), 403, 'field'],
  ];

  it.each(cases)('%s', async (_name, send, status, mentions) => {
    const before = await snapshot();
    const res = await send();
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body).toMatchObject({ statusCode: status });
    expect(JSON.stringify(res.body)).toContain(mentions);
    expect(await snapshot()).toBe(before);
  });
});

describe('sign-in', () => {
  it('refuses a wrong password and an unknown user alike', async () => {
    for (const body of [{ username: 'dispatcher', password: 'nope' }, { username: 'nobody', password: 'demo1234' }]) {
      const res = await client(api.url).post('/api/auth/login').send(body);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Wrong username or password' });
    }
  });

  it('refuses a socket without a token or with a forged one', async () => {
    for (const auth of [{}, { token: `${deskToken.slice(0, -4)}AAAA` }]) {
      const socket = io(api.url, { transports: ['websocket'], reconnection: false, forceNew: true, auth });
      const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
      expect(error.message).toMatch(/^unauthorized/);
      socket.close();
    }
  });
});

describe('the event log replays every ticket exactly', () => {
  it('folds each ticket\'s events into its current status and version, with seqs contiguous system-wide', async () => {
    // An admin reads the whole log (access records included): seqs without a gap.
    const admin = client(api.url, await login(api.url, 'admin'));
    const events = (await admin.get('/api/events?after=0&limit=1000')).body.items as AnyDomainEvent[];
    const first = events[0].seq;
    expect(events.map((event) => event.seq)).toEqual(Array.from({ length: events.length }, (_, i) => first + i));

    const replayed = new Map<string, { status: string; version: number }>();
    for (const event of events) {
      // SLA marks record clocks, not steps: they change neither status nor version.
      if (!event.ticketId || event.type.startsWith('sla.')) continue;
      if (event.type === 'ticket.created') {
        replayed.set(event.ticketId, { status: event.data.ticket.status, version: 1 });
        continue;
      }
      const state = replayed.get(event.ticketId);
      if (!state || !('from' in event.data)) throw new Error(`event ${event.seq} before its ticket was created`);
      expect(event.data.from, `seq ${event.seq}`).toBe(state.status);
      replayed.set(event.ticketId, { status: event.data.to, version: state.version + 1 });
    }
    const rows = await api.db.query<Array<{ id: string; status: string; version: number }>>('SELECT id, status, version FROM ticket');
    expect(rows.length).toBeGreaterThan(20);
    for (const row of rows) {
      if (alteredByHand.has(row.id)) continue;
      expect(replayed.get(row.id), row.id).toEqual({ status: row.status, version: row.version });
    }
  });
});
