import { describe, expect, it } from 'vitest';
import type { Actor, Role } from './roles';
import { ROLES } from './roles';
import { TICKET_STATUSES, type TicketStatus } from './ticket';
import {
  type ActionInput,
  availableActions,
  decide,
  requiredDocuments,
  TICKET_ACTIONS,
  type TicketAction,
  type TicketFacts,
} from './ticket-actions';

/**
 * The closed loop written out by hand from DOMAIN.md and the issue, independent of the
 * table under test: [action, from, to]. Every pair not listed must be refused.
 */
const LEGAL: Array<[TicketAction, TicketStatus, TicketStatus]> = [
  ['dispatch', 'received', 'dispatched'],
  ['reassign', 'dispatched', 'dispatched'],
  ['reassign', 'accepted', 'dispatched'],
  ['accept', 'dispatched', 'accepted'],
  ['arrive', 'accepted', 'on_site'],
  ['report', 'on_site', 'on_site'],
  ['report', 'done', 'done'],
  ['complete', 'on_site', 'done'],
  ['wait', 'received', 'waiting'],
  ['wait', 'dispatched', 'waiting'],
  ['wait', 'accepted', 'waiting'],
  ['wait', 'on_site', 'waiting'],
  ['resume', 'waiting', 'accepted'], // back to where wait left it (accepted in these facts)
  ['contact', 'received', 'received'],
  ['contact', 'dispatched', 'dispatched'],
  ['contact', 'accepted', 'accepted'],
  ['contact', 'on_site', 'on_site'],
  ['contact', 'done', 'done'],
  ['contact', 'waiting', 'waiting'],
  ['callback', 'done', 'callback_done'],
  ['check', 'done', 'done'],
  ['check', 'callback_done', 'callback_done'],
  ['answer', 'received', 'closed'],
  ['close', 'callback_done', 'closed'],
  ['reopen', 'closed', 'dispatched'],
  ['reopen', 'done', 'dispatched'],
  ['cancel', 'received', 'cancelled'],
  ['cancel', 'dispatched', 'cancelled'],
  ['cancel', 'accepted', 'cancelled'],
  ['cancel', 'waiting', 'cancelled'],
  ['acknowledge', 'received', 'received'],
  ['clear', 'received', 'done'],
  ['clear', 'dispatched', 'done'],
  ['clear', 'accepted', 'done'],
  ['clear', 'on_site', 'done'],
  ['raise_severity', 'received', 'received'],
  ['raise_severity', 'dispatched', 'dispatched'],
  ['raise_severity', 'accepted', 'accepted'],
  ['raise_severity', 'on_site', 'on_site'],
  ['raise_severity', 'waiting', 'waiting'],
  ['mute', 'received', 'received'],
  ['mute', 'dispatched', 'dispatched'],
  ['mute', 'accepted', 'accepted'],
  ['mute', 'on_site', 'on_site'],
  ['mute', 'waiting', 'waiting'],
  ['extend_wait', 'waiting', 'waiting'],
  ['step', 'received', 'received'],
  ['step', 'dispatched', 'dispatched'],
  ['step', 'accepted', 'accepted'],
  ['step', 'on_site', 'on_site'],
  ['step', 'waiting', 'waiting'],
  ['hand_back', 'dispatched', 'received'],
  ['hand_back', 'accepted', 'received'],
  ...(['received', 'dispatched', 'accepted', 'on_site', 'done', 'waiting', 'callback_done'] as const).map(
    (status) => ['explain_delay', status, status] as [TicketAction, TicketStatus, TicketStatus],
  ),
];

/** Who may do what, by hand: the desk dispatches and closes, the field does the work. */
const ROLES_FOR: Record<TicketAction, Role[]> = {
  dispatch: ['dispatcher', 'supervisor', 'manager', 'admin'],
  reassign: ['dispatcher', 'supervisor', 'manager', 'admin'],
  accept: ['field', 'supervisor'],
  arrive: ['field', 'supervisor'],
  report: ['field', 'supervisor'],
  complete: ['field', 'supervisor'],
  wait: ['dispatcher', 'supervisor', 'manager', 'admin', 'field'],
  resume: ['dispatcher', 'supervisor', 'manager', 'admin', 'field'],
  contact: ['dispatcher', 'supervisor', 'manager', 'admin', 'field'],
  callback: ['dispatcher', 'supervisor', 'manager', 'admin'],
  check: ['dispatcher', 'supervisor', 'manager', 'admin'],
  answer: ['dispatcher', 'supervisor', 'manager', 'admin'],
  close: ['dispatcher', 'supervisor', 'manager', 'admin'],
  reopen: ['dispatcher', 'supervisor', 'manager', 'admin'],
  cancel: ['dispatcher', 'supervisor', 'manager', 'admin'],
  acknowledge: ['dispatcher', 'supervisor', 'manager', 'admin', 'field'],
  clear: ['dispatcher', 'supervisor', 'manager', 'admin', 'field'],
  raise_severity: ['dispatcher', 'supervisor', 'manager', 'admin'],
  mute: ['dispatcher', 'supervisor', 'manager', 'admin'],
  extend_wait: ['dispatcher', 'supervisor', 'manager', 'admin', 'field'],
  explain_delay: ['dispatcher', 'supervisor', 'manager', 'admin'],
  hand_back: ['field', 'supervisor'],
  step: ['dispatcher', 'supervisor', 'manager', 'admin', 'field'],
};

/** A complete, valid input for each action on a public-area paid repair. */
const INPUT: Record<TicketAction, ActionInput> = {
  dispatch: {},
  reassign: { reason: '该师傅休假' },
  accept: {},
  arrive: {},
  report: { note: '已到场，正在排查' },
  complete: { note: '已更换灯管', repairSheet: { labour: '0.5h', parts: [], ownerOpinion: '满意' } },
  wait: { reason: '需订购配件', agreedAt: '2026-11-24T02:00:00Z', ownerToldVia: 'phone' },
  resume: {},
  contact: { outcome: 'reached', via: 'phone', note: '已电话联系业主，约好上门时间' },
  callback: { result: '业主确认已修好', satisfaction: 'satisfied' },
  check: { result: '客服验收合格' },
  answer: { answer: '物业费可在App缴纳' },
  close: {},
  reopen: { reason: '再次漏水' },
  cancel: { reason: '业主撤回' },
  acknowledge: {},
  clear: { outcome: 'false', reason: '风吹窗帘触发红外' },
  raise_severity: { severity: 4, reason: '现场发现明火' },
  mute: { minutes: 30 },
  extend_wait: { reason: '配件延迟到货', agreedAt: '2026-11-25T02:00:00Z', ownerToldVia: 'wechat' },
  explain_delay: { reason: '需业委会表决', agreedAt: '2026-12-05T02:00:00Z', ownerToldVia: 'phone' },
  hand_back: { reason: '不是锁的问题，门被撬' },
  step: { step: 'entry_consent', outcome: 'yes', note: '业主电话同意保安入户' },
};

const actor = (role: Role, department: TicketFacts['department'] | null = 'engineering'): Actor => ({
  id: `${role}-1`,
  name: role,
  role,
  department: role === 'dispatcher' ? 'customer_service' : role === 'manager' || role === 'admin' ? null : department,
});

const ALARM_ACTIONS: TicketAction[] = ['acknowledge', 'clear', 'raise_severity', 'mute', 'step'];

const doneBy = { at: '2026-11-24T01:00:00Z', by: { id: 'dispatcher-1', name: '王敏' }, answer: null, note: null };
/** An intrusion's procedure: cameras looked at (required, done), the owner's consent still to ask. */
const PROCEDURE: NonNullable<TicketFacts['procedure']> = {
  steps: [
    { key: 'cameras', zh: '查看监控录像', en: 'Cameras', kind: 'check', required: true, done: doneBy },
    { key: 'entry_consent', zh: '业主同意入户查看？', en: 'Consent?', kind: 'question', required: false, done: null },
    { key: 'guard_on_scene', zh: '保安到场确认', en: 'Guard on scene', kind: 'check', required: false, done: null },
  ],
};

function facts(status: TicketStatus, action: TicketAction): TicketFacts {
  const intake = action === 'answer';
  return {
    status,
    kind: intake ? 'inquiry' : ALARM_ACTIONS.includes(action) ? 'alarm' : 'repair',
    department: 'engineering',
    assigneeId: null,
    resumeStatus: 'accepted',
    repair: intake ? null : { inUnit: false, inWarranty: false, paid: true },
    documents: ['dispatch_slip', 'repair_sheet', 'cs_check'],
    overdue: true,
    procedure: ALARM_ACTIONS.includes(action) ? PROCEDURE : null,
  };
}

describe('the closed loop: every action from every status', () => {
  const pairs = TICKET_ACTIONS.flatMap((action) => TICKET_STATUSES.map((status) => [action, status] as const));

  it.each(pairs)('%s from %s', (action, status) => {
    const legal = LEGAL.find(([a, from]) => a === action && from === status);
    const decision = decide(facts(status, action), action, actor(ROLES_FOR[action][0]), INPUT[action]);
    if (legal) {
      expect(decision).toEqual({ ok: true, to: legal[2] });
    } else {
      expect(decision).toMatchObject({ ok: false, refusal: 'illegal_transition' });
    }
  });
});

describe('who may act: every action by every role', () => {
  const pairs = TICKET_ACTIONS.flatMap((action) => ROLES.map((role) => [action, role] as const));

  it.each(pairs)('%s by %s', (action, role) => {
    const [, from] = LEGAL.find(([a]) => a === action)!;
    const decision = decide(facts(from, action), action, actor(role), INPUT[action]);
    if (ROLES_FOR[action].includes(role)) expect(decision.ok, JSON.stringify(decision)).toBe(true);
    else expect(decision).toMatchObject({ ok: false, refusal: 'forbidden' });
  });

  it('refuses field staff and supervisors of another department', () => {
    const ticket = facts('dispatched', 'accept');
    expect(decide(ticket, 'accept', actor('field', 'security'), {})).toMatchObject({ ok: false, refusal: 'forbidden' });
    expect(decide(ticket, 'accept', actor('supervisor', 'cleaning'), {})).toMatchObject({ ok: false, refusal: 'forbidden' });
  });

  it('lets field staff of another department act on a ticket assigned to them', () => {
    const guard = actor('field', 'security');
    const ticket = { ...facts('accepted', 'arrive'), assigneeId: guard.id };
    expect(decide(ticket, 'arrive', guard, {})).toEqual({ ok: true, to: 'on_site' });
  });
});

describe('fields', () => {
  it.each([
    ['wait', 'dispatched', { reason: '缺件', ownerToldVia: 'phone' }, 'agreedAt'],
    ['wait', 'dispatched', { agreedAt: '2026-11-24T02:00:00Z', ownerToldVia: 'phone' }, 'reason'],
    ['callback', 'done', { result: '已修好' }, 'satisfaction'],
    ['cancel', 'received', {}, 'reason'],
    ['report', 'on_site', { note: '' }, 'note'],
    ['complete', 'on_site', { note: '已修好' }, 'repairSheet'],
    ['answer', 'received', {}, 'answer'],
  ] as const)('%s from %s without %s is refused naming it', (action, status, input, field) => {
    expect(decide(facts(status, action), action, actor(ROLES_FOR[action][0]), input)).toMatchObject({
      ok: false,
      refusal: 'missing_field',
      field,
    });
  });

  it('refuses a field the action does not take', () => {
    expect(decide(facts('received', 'dispatch'), 'dispatch', actor('dispatcher'), { satisfaction: 'satisfied' })).toMatchObject({
      ok: false,
      refusal: 'unexpected_field',
      field: 'satisfaction',
    });
  });

  it('needs no repair sheet for free in-unit work', () => {
    const ticket = { ...facts('on_site', 'complete'), repair: { inUnit: true, inWarranty: true, paid: false } };
    expect(decide(ticket, 'complete', actor('field'), { note: '已修好' })).toEqual({ ok: true, to: 'done' });
  });
});

describe('documents', () => {
  it.each([
    [{ inUnit: true, inWarranty: true, paid: false }, ['dispatch_slip']],
    [{ inUnit: true, inWarranty: false, paid: true }, ['dispatch_slip', 'repair_sheet']],
    [{ inUnit: false, inWarranty: false, paid: false }, ['dispatch_slip', 'repair_sheet', 'cs_check']],
  ])('a repair %j needs %j', (repair, documents) => {
    expect(requiredDocuments({ kind: 'repair', repair })).toEqual(documents);
  });

  it('refuses to close a public-area repair before the customer-service check', () => {
    const ticket = { ...facts('callback_done', 'close'), documents: ['dispatch_slip', 'repair_sheet'] as const };
    expect(decide(ticket, 'close', actor('dispatcher'), {})).toMatchObject({
      ok: false,
      refusal: 'documents_missing',
      reason: 'cannot close before cs_check',
    });
  });

  it('only checks public-area repairs', () => {
    const inUnit = { ...facts('done', 'check'), repair: { inUnit: true, inWarranty: true, paid: false } };
    expect(decide(inUnit, 'check', actor('dispatcher'), { result: 'ok' })).toMatchObject({ ok: false, refusal: 'illegal_transition' });
  });

  it('answers and closes only inquiries and suggestions at intake', () => {
    const repair = { ...facts('received', 'answer'), kind: 'repair' as const };
    expect(decide(repair, 'answer', actor('dispatcher'), { answer: 'x' })).toMatchObject({ ok: false, refusal: 'illegal_transition' });
  });
});

describe('alarm steps', () => {
  it('acknowledge, clear, raise_severity and mute are for alarms only', () => {
    const repair = facts('received', 'dispatch');
    for (const action of ALARM_ACTIONS) {
      expect(decide(repair, action, actor('dispatcher'), INPUT[action])).toMatchObject({ ok: false, refusal: 'illegal_transition' });
    }
  });
  it('clearing needs what it was and why', () => {
    expect(decide(facts('on_site', 'clear'), 'clear', actor('field'), { outcome: 'false' })).toMatchObject({ ok: false, refusal: 'missing_field', field: 'reason' });
  });
  it('restored is the system\'s outcome, never a person\'s', () => {
    expect(decide(facts('received', 'clear'), 'clear', actor('dispatcher'), { outcome: 'restored', reason: '复位' })).toMatchObject({ ok: false, field: 'outcome' });
  });
});

describe('alarm procedures', () => {
  const open = { ...facts('received', 'clear'), procedure: { steps: PROCEDURE.steps.map((step) => ({ ...step, done: null })) } };

  it('refuses to clear while a required step is open, naming it, yet shows the button', () => {
    expect(decide(open, 'clear', actor('dispatcher'), INPUT.clear)).toEqual({
      ok: false,
      refusal: 'steps_open',
      field: 'procedure',
      reason: 'cannot clear before the required steps cameras',
    });
    expect(availableActions(open, actor('dispatcher'))).toContain('clear');
  });
  it('clears once the required steps are done, optional ones open', () => {
    expect(decide(facts('received', 'clear'), 'clear', actor('dispatcher'), INPUT.clear)).toEqual({ ok: true, to: 'done' });
  });
  it('a question takes yes or no, a check takes neither', () => {
    const ticket = facts('received', 'step');
    expect(decide(ticket, 'step', actor('field'), { step: 'entry_consent' })).toMatchObject({ refusal: 'missing_field', field: 'outcome' });
    expect(decide(ticket, 'step', actor('dispatcher'), { step: 'entry_consent', outcome: 'maybe' })).toMatchObject({ refusal: 'unexpected_field', field: 'outcome' });
    expect(decide(ticket, 'step', actor('dispatcher'), { step: 'guard_on_scene', outcome: 'yes' })).toMatchObject({ refusal: 'unexpected_field', field: 'outcome' });
    expect(decide(ticket, 'step', actor('dispatcher'), { step: 'guard_on_scene' })).toEqual({ ok: true, to: 'received' });
  });
  it('a step not in the procedure is a bad field; one already done is not now', () => {
    const ticket = facts('received', 'step');
    expect(decide(ticket, 'step', actor('dispatcher'), { step: 'call_police' })).toMatchObject({ refusal: 'unexpected_field', field: 'step' });
    expect(decide(ticket, 'step', actor('dispatcher'), { step: 'cameras' })).toMatchObject({ refusal: 'illegal_transition', reason: 'step cameras is already done' });
  });
  it('offers no step once every step is done, nor on an alarm opened before procedures', () => {
    const allDone = { ...facts('received', 'step'), procedure: { steps: PROCEDURE.steps.map((step) => ({ ...step, done: doneBy })) } };
    expect(availableActions(allDone, actor('dispatcher'))).not.toContain('step');
    expect(availableActions({ ...allDone, procedure: null }, actor('dispatcher'))).not.toContain('step');
    expect(availableActions(open, actor('field'))).toContain('step');
  });
});

describe('availableActions', () => {
  it('offers the technician accept (and hand back to the desk) on a dispatched repair, nothing of the desk', () => {
    expect(availableActions(facts('dispatched', 'accept'), actor('field'))).toEqual(['accept', 'wait', 'contact', 'hand_back']);
  });
  it('offers the dispatcher the desk actions on a received repair', () => {
    expect(availableActions({ ...facts('received', 'dispatch'), overdue: false }, actor('dispatcher'))).toEqual(['dispatch', 'wait', 'contact', 'cancel']);
    // A deadline passed: an explanation is owed, and offered.
    expect(availableActions(facts('received', 'dispatch'), actor('dispatcher'))).toContain('explain_delay');
  });
});

describe('the seeds\' rules in the table', () => {
  const desk = actor('dispatcher');
  const repair = (overrides: Partial<TicketFacts> = {}): TicketFacts => ({ ...facts('on_site', 'contact'), ...overrides });

  it.each([
    [{ outcome: 'reached', via: 'phone' }, true],
    [{ outcome: 'unreachable', via: 'phone' }, true],
    [{ outcome: 'false', via: 'phone' }, false], // an alarm's outcome is not a contact's
    [{ via: 'phone' }, false],
    [{ outcome: 'reached' }, false],
  ])('contact %j is accepted: %s', (input, ok) => {
    expect(decide(repair(), 'contact', desk, input as ActionInput).ok).toBe(ok);
  });

  it('an alarm is cleared with an alarm outcome only', () => {
    const alarm = { ...repair({ kind: 'alarm', repair: null, status: 'on_site' }) };
    expect(decide(alarm, 'clear', desk, { outcome: 'false', reason: '风吹窗帘' }).ok).toBe(true);
    expect(decide(alarm, 'clear', desk, { outcome: 'reached', reason: 'x' })).toMatchObject({ ok: false, field: 'outcome' });
  });

  it('a callback with nobody to call records no_owner instead of a satisfaction; with an owner, a satisfaction', () => {
    const done = (hasReporter: boolean) => repair({ status: 'done', hasReporter });
    expect(decide(done(false), 'callback', desk, { result: '公共区域无报事人', outcome: 'no_owner' }).ok).toBe(true);
    expect(decide(done(false), 'callback', desk, { result: 'x', outcome: 'no_owner', satisfaction: 'satisfied' })).toMatchObject({ ok: false, field: 'satisfaction' });
    expect(decide(done(false), 'callback', desk, { result: 'x' })).toMatchObject({ ok: false, field: 'outcome' });
    expect(decide(done(true), 'callback', desk, { result: 'x', outcome: 'no_owner' })).toMatchObject({ ok: false, field: 'satisfaction' });
    expect(decide(done(true), 'callback', desk, { result: 'x', satisfaction: 'satisfied', outcome: 'no_owner' })).toMatchObject({ ok: false, field: 'outcome' });
  });

  it('a complaint that carries repair work needs the repair\'s documents to close', () => {
    const complaint = { ...repair({ kind: 'complaint', status: 'callback_done', documents: [] }) };
    expect(requiredDocuments(complaint)).toEqual(['dispatch_slip', 'repair_sheet', 'cs_check']);
    expect(decide(complaint, 'close', desk, {})).toMatchObject({ ok: false, refusal: 'documents_missing' });
    expect(requiredDocuments({ kind: 'complaint', repair: null })).toEqual([]);
  });
});
