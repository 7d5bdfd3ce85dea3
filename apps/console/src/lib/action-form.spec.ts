import type { Actor, TicketView } from '@dispatch/domain';
import { describe, expect, it } from 'vitest';
import { actionInput, actionsFor, isOneTap, parseParts, shortcutAction } from './action-form';

const repair = (overrides: Partial<TicketView> = {}): TicketView => ({
  id: 't1',
  number: '261123-0001',
  kind: 'repair',
  category: 'lights',
  channel: 'phone',
  priority: 'normal',
  status: 'on_site',
  department: 'engineering',
  location: { unit: '4-2-301', label: '4-2-301' },
  description: '灯不亮',
  receivedAt: '2026-11-23T01:00:00.000Z',
  version: 4,
  clocks: [],
  repair: { inUnit: true, inWarranty: false, paid: true },
  assignee: { id: 'tech-1', name: '张伟' },
  repeatOf: null,
  agreedAt: null,
  reopenCount: 0,
  documents: ['dispatch_slip'],
  closedAt: null,
  escalation: 0,
  alarm: null,
  sourceAlarmId: null,
  alsoDepartments: [],
  hasReporter: true,
  ...overrides,
});
const technician: Actor = { id: 'tech-1', name: '张伟', role: 'field', department: 'engineering' };
const dispatcher: Actor = { id: 'd-1', name: '王敏', role: 'dispatcher', department: 'customer_service' };

describe('the buttons a ticket shows', () => {
  it('on site, the technician reports, completes, waits or records contact; the desk cannot complete', () => {
    expect(actionsFor(repair(), technician)).toEqual(['report', 'complete', 'wait', 'contact']);
    expect(actionsFor(repair(), dispatcher)).not.toContain('complete');
  });
  it('a technician of another department gets no buttons', () => {
    expect(actionsFor(repair({ department: 'cleaning', assignee: null }), technician)).toEqual([]);
  });
  it('accept and arrive are one tap; dispatch and complete open a form', () => {
    expect(isOneTap(repair({ status: 'dispatched' }), 'accept')).toBe(true);
    expect(isOneTap(repair({ status: 'accepted' }), 'arrive')).toBe(true);
    expect(isOneTap(repair({ status: 'received' }), 'dispatch')).toBe(false);
    expect(isOneTap(repair(), 'complete')).toBe(false);
  });
});

describe('the request a form sends', () => {
  it('completing paid work carries the repair sheet with parts and the owner\'s opinion', () => {
    const input = actionInput(repair(), 'complete', { note: '已修好', labour: '更换灯管', parts: 'LED灯管×2\n灯座', ownerOpinion: '满意' });
    expect(input).toEqual({
      action: 'complete',
      version: 4,
      note: '已修好',
      repairSheet: { labour: '更换灯管', parts: [{ name: 'LED灯管', quantity: 2 }, { name: '灯座', quantity: 1 }], ownerOpinion: '满意' },
    });
  });
  it('an agreed time typed in estate time is sent as UTC; empty fields are left out', () => {
    const input = actionInput(repair(), 'wait', { reason: '等配件', agreedAt: '2026-11-24T09:30', ownerToldVia: 'phone', note: '' });
    expect(input).toEqual({ action: 'wait', version: 4, reason: '等配件', agreedAt: '2026-11-24T01:30:00.000Z', ownerToldVia: 'phone' });
  });
  it('mute minutes and severity are numbers', () => {
    const alarm = repair({ kind: 'alarm', status: 'received', repair: null });
    expect(actionInput(alarm, 'mute', { minutes: '30' })).toEqual({ action: 'mute', version: 4, minutes: 30 });
  });
  it('reads parts with ×, x or *', () => {
    expect(parseParts('水龙头 x 1\n密封圈*3\n')).toEqual([{ name: '水龙头', quantity: 1 }, { name: '密封圈', quantity: 3 }]);
  });
});

describe('the desk\'s shortcuts', () => {
  const press = (code: string, modifiers: { alt?: boolean; ctrl?: boolean } = { alt: true }) => ({ altKey: !!modifiers.alt, ctrlKey: !!modifiers.ctrl, metaKey: false, code, key: code.slice(3).toLowerCase() });
  it('Alt+P asks for dispatch only when the ticket offers it', () => {
    expect(shortcutAction(press('KeyP'), ['dispatch', 'cancel'])).toBe('dispatch');
    expect(shortcutAction(press('KeyP'), ['contact', 'cancel'])).toBeNull();
  });
  it('needs Alt alone: Ctrl+Alt+P and a bare P are typing, not a shortcut', () => {
    expect(shortcutAction(press('KeyP', { alt: true, ctrl: true }), ['dispatch'])).toBeNull();
    expect(shortcutAction(press('KeyP', {}), ['dispatch'])).toBeNull();
  });
  it('reads the physical key, so a layout that types another character under Alt still works', () => {
    expect(shortcutAction({ altKey: true, ctrlKey: false, metaKey: false, code: 'KeyA', key: 'å' }, ['acknowledge'])).toBe('acknowledge');
  });
});
