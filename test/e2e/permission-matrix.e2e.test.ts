import {
  type Actor,
  type ActionField,
  availableActions,
  canSeeTicket,
  factsOfView,
  requiredFields,
  TICKET_ACTION_TABLE,
  TICKET_ACTIONS,
  type TicketAction,
  type TicketView,
} from '@dispatch/domain';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, client, login, type RunningApi, resetTickets, startApi } from '../support/api';
import { nthUnit, repairFrom } from '../support/fixtures';
import { createAs, doRequiredSteps, stepAs, type Ticket } from '../support/loop';

/**
 * The permission matrix, generated from the one action table: every actor (role × in or out
 * of the ticket's department) × every ticket state × every action. For each, what the
 * console would show (availableActions over the view the api gave that actor) must be what
 * the api does: a button shown is a step the api takes (2xx, on a fresh ticket in that
 * state), a button not shown is a step the api refuses (404 out of scope, 403 wrong role,
 * 409 not now) and the refusal changes nothing.
 */

const ACTORS = ['dispatcher', 'technician', 'guard', 'eng_supervisor', 'supervisor', 'cs_supervisor', 'manager', 'admin'] as const;
type Username = (typeof ACTORS)[number];

/** The ticket states a test can reach, each built by steps the loop itself takes. */
const FIXTURES = [
  'repair:received',
  'repair:dispatched',
  'repair:accepted',
  'repair:on_site',
  'repair:waiting',
  'repair:done',
  'repair:callback_done',
  'repair:closed',
  'repair:cancelled',
  'inquiry:received',
  'alarm:received',
  'fire:received',
] as const;
type Fixture = (typeof FIXTURES)[number];

const tomorrow = () => new Date(Date.now() + 24 * 3600_000).toISOString();

/** A valid value for each field a step may require; what makes a refusal about who and when, not what. */
function inputFor(action: TicketAction, view: TicketView): Record<string, unknown> {
  const values: Record<ActionField, unknown> = {
    department: 'engineering',
    assigneeId: undefined,
    reason: '矩阵测试',
    note: '矩阵测试',
    agreedAt: tomorrow(),
    ownerToldVia: 'phone',
    result: '业主确认',
    satisfaction: 'satisfied',
    answer: '已答复',
    repairSheet: { labour: '更换灯管', parts: [{ name: 'LED灯管', quantity: 1 }], ownerOpinion: '满意' },
    outcome: TICKET_ACTION_TABLE[action].outcomes?.[0],
    severity: 3,
    minutes: 15,
    via: 'phone',
    step: view.alarm?.procedure?.steps.find((step) => !step.done)?.key ?? 'cameras',
  };
  const input = Object.fromEntries(requiredFields(factsOfView(view), action).map((field) => [field, values[field]]));
  // A question step is answered.
  if (action === 'step' && view.alarm?.procedure?.steps.find((step) => step.key === input.step)?.kind === 'question') input.outcome = 'yes';
  return input;
}

let api: RunningApi;
const clients = {} as Record<Username, Client>;
const actors = {} as Record<Username, Actor>;
let made = 0;
let alarmTurn: Promise<void> = Promise.resolve();

/** A new ticket in the given state, built by the desk, the technician and devices. */
async function build(fixture: Fixture): Promise<Ticket> {
  const desk = clients.dispatcher;
  const field = clients.technician;
  const [kind, state] = fixture.split(':');
  const n = ++made;
  if (kind === 'alarm' || kind === 'fire') {
    const [deviceId, key, alarmKind] = kind === 'fire' ? ['smoke-lobby-4-2', 'demo-device-key-smoke', 'smoke_fire'] : ['ir-3-201', 'demo-device-key', 'intrusion'];
    // One device's alarms one at a time, each out of the storm window of the last: a new alarm, not a fold.
    const turn = alarmTurn.then(async () => {
      await api.db.query(`UPDATE alarm SET last_seen_at = last_seen_at - interval '1 day' WHERE device_id = $1`, [deviceId]);
      return request(api.url).post('/api/alarms').set('x-device-key', key).send({ deviceId, eventId: `matrix-${n}`, kind: alarmKind });
    });
    alarmTurn = turn.then(() => undefined, () => undefined);
    const res = await turn;
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }
  if (kind === 'inquiry') {
    return createAs(desk, { kind: 'inquiry', channel: 'phone', category: 'other', description: '物业费怎么交', location: { unit: nthUnit(n % 144) } });
  }
  // Distinct unit and category each time: never a repeat of an earlier report.
  const category = ['lights', 'water_leak', 'door_lock', 'lift'][Math.floor(n / 144) % 4];
  let ticket = await createAs(desk, repairFrom(nthUnit(n % 144), { category }));
  if (state === 'received') return ticket;
  if (state === 'cancelled') return stepAs(desk, ticket, 'cancel', { reason: '业主取消' });
  ticket = await stepAs(desk, ticket, 'dispatch');
  if (state === 'dispatched') return ticket;
  if (state === 'waiting') return stepAs(desk, ticket, 'wait', { reason: '等配件', agreedAt: tomorrow(), ownerToldVia: 'phone' });
  ticket = await stepAs(field, ticket, 'accept');
  if (state === 'accepted') return ticket;
  ticket = await stepAs(field, ticket, 'arrive');
  if (state === 'on_site') return ticket;
  ticket = await stepAs(field, ticket, 'complete', { note: '已修好' });
  if (state === 'done') return ticket;
  ticket = await stepAs(desk, ticket, 'callback', { result: '业主满意', satisfaction: 'satisfied' });
  if (state === 'callback_done') return ticket;
  return stepAs(desk, ticket, 'close');
}

/** An alarm with its required procedure steps done by `by` (who may clear it may tick them). */
async function readyToClear(by: Client, alarm: Ticket): Promise<Ticket> {
  return (await doRequiredSteps(by, alarm)) as Ticket;
}

interface Cell {
  actor: Username;
  fixture: Fixture;
  action: TicketAction;
  shown: boolean;
  status: number;
}

beforeAll(async () => {
  api = await startApi();
  await resetTickets(api.db);
  for (const username of ACTORS) {
    clients[username] = client(api.url, await login(api.url, username));
    actors[username] = (await clients[username].get('/api/auth/me')).body;
  }
});
afterAll(async () => {
  await api?.close();
});

describe('the permission matrix, from the one action table', () => {
  const cells: Cell[] = [];

  it('a button the console shows is a step the api takes; one it hides, the api refuses and nothing changes', async () => {
    const disagreements: string[] = [];
    for (const fixture of FIXTURES) {
      const ticket = await build(fixture);
      for (const username of ACTORS) {
        const actor = actors[username];
        const seen = await clients[username].get(`/api/tickets/${ticket.id}`);
        const visible = canSeeTicket(actor, factsOfView(ticket));
        expect(seen.status, `${username} reading ${fixture}`).toBe(visible ? 200 : 404);
        const shown = new Set(visible ? availableActions(factsOfView(seen.body.ticket), actor) : []);

        // Refused steps: all tried at once on the one ticket, which must come out of them unchanged.
        await Promise.all(
          TICKET_ACTIONS.filter((one) => !shown.has(one)).map(async (action) => {
            const res = await clients[username].post(`/api/tickets/${ticket.id}/actions`).send({ action, version: ticket.version, ...inputFor(action, ticket) });
            cells.push({ actor: username, fixture, action, shown: false, status: res.status });
            const expected = !visible ? 404 : !TICKET_ACTION_TABLE[action].roles.includes(actor.role) ? 403 : 409;
            if (res.status !== expected) disagreements.push(`${username} ${action} on ${fixture}: hidden, api ${res.status} (expected ${expected}) ${res.body.message ?? ''}`);
          }),
        );
        const after = await clients.dispatcher.get(`/api/tickets/${ticket.id}`);
        expect(after.body.ticket.version, `${fixture} after ${username}'s refused steps`).toBe(ticket.version);

        // Shown steps: each taken on a fresh ticket in the same state (built side by side).
        await Promise.all(
          [...shown].map(async (action) => {
            // The highest severity (a fire) cannot be raised further: a value check, not a permission.
            if (action === 'raise_severity' && ticket.alarm?.severity === 4) return;
            // Clearing follows the procedure: its required steps are ticked first (refused before: the procedure e2e).
            const fresh = action === 'clear' ? await readyToClear(clients[username], await build(fixture)) : await build(fixture);
            const res = await clients[username].post(`/api/tickets/${fresh.id}/actions`).send({ action, version: fresh.version, ...inputFor(action, fresh) });
            cells.push({ actor: username, fixture, action, shown: true, status: res.status });
            if (res.status !== 200) disagreements.push(`${username} ${action} on ${fixture}: shown, api ${res.status} ${res.body.message ?? ''}`);
          }),
        );
      }
    }
    expect(disagreements).toEqual([]);
    const taken = cells.filter((cell) => cell.shown).length;
    console.log(`permission matrix: ${ACTORS.length} actors × ${FIXTURES.length} states × ${TICKET_ACTIONS.length} actions = ${cells.length} cells tried; ${taken} shown and taken, ${cells.length - taken} hidden and refused; ${made} tickets built`);
    // The matrix covers both answers for every role and every action somewhere.
    for (const username of ACTORS) expect(cells.some((cell) => cell.actor === username && cell.shown), `${username} takes some step`).toBe(true);
    for (const action of TICKET_ACTIONS.filter((one) => one !== 'explain_delay' && one !== 'check')) {
      expect(cells.some((cell) => cell.action === action && cell.shown), `${action} is taken by someone`).toBe(true);
    }
  }, 300_000);

  it('field staff never see the desk\'s steps, and out of their department see nothing at all', () => {
    const fieldCells = cells.filter((cell) => cell.actor === 'technician' || cell.actor === 'guard');
    for (const action of ['dispatch', 'reassign', 'reopen', 'cancel', 'close', 'callback', 'mute', 'raise_severity'] as const) {
      expect(fieldCells.filter((cell) => cell.action === action && cell.shown)).toEqual([]);
    }
    // The guard and an engineering repair: 404 for every step, in every state.
    const guardOnRepairs = cells.filter((cell) => cell.actor === 'guard' && cell.fixture.startsWith('repair:'));
    expect(guardOnRepairs.length).toBeGreaterThan(0);
    expect(new Set(guardOnRepairs.map((cell) => cell.status))).toEqual(new Set([404]));
    // The technician on a fire routed to security and engineering: he acknowledges it.
    expect(cells.find((cell) => cell.actor === 'technician' && cell.fixture === 'fire:received' && cell.action === 'acknowledge')).toMatchObject({ shown: true, status: 200 });
  });
});
