import { describe, expect, it } from 'vitest';
import { maskName, maskPhone, reporterFor } from './personal-data';
import type { Actor } from './roles';

describe('masking', () => {
  it.each([
    ['13812341234', '138****1234'],
    ['138-1234-1234', '138****1234'],
    ['02388886666', '023****6666'],
    ['12345', '*****'],
  ])('phone %s → %s', (phone, masked) => expect(maskPhone(phone)).toBe(masked));

  it.each([
    ['张三', '张*'],
    ['王先生', '王**'],
    ['欧阳娜娜', '欧***'],
    ['A', '*'],
  ])('name %s → %s', (name, masked) => expect(maskName(name)).toBe(masked));
});

describe('reporterFor', () => {
  const reporter = { name: '王先生', phone: '13900001111' };
  const guard: Actor = { id: 'g1', name: '李强', role: 'field', department: 'security' };
  const dispatcher: Actor = { id: 'd1', name: '王敏', role: 'dispatcher', department: 'customer_service' };

  it('gives the assigned field worker the phone while the ticket is open, the name masked', () => {
    expect(reporterFor(guard, { assigneeId: 'g1', status: 'accepted' }, reporter)).toEqual({ name: '王**', phone: '13900001111', masked: true });
  });
  it('masks the phone once the ticket is closed, or for anyone not assigned', () => {
    expect(reporterFor(guard, { assigneeId: 'g1', status: 'closed' }, reporter)?.phone).toBe('139****1111');
    expect(reporterFor(guard, { assigneeId: 'other', status: 'accepted' }, reporter)?.phone).toBe('139****1111');
  });
  it('masks for the desk too until it reveals (which is logged)', () => {
    expect(reporterFor(dispatcher, { assigneeId: null, status: 'received' }, reporter)).toEqual({ name: '王**', phone: '139****1111', masked: true });
  });
  it('is null when nobody left a name or number', () => {
    expect(reporterFor(dispatcher, { assigneeId: null, status: 'received' }, { name: null, phone: null })).toBeNull();
  });
});
