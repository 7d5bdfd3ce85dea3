import { describe, expect, it } from 'vitest';
import { type Actor, canSeeTicket, roomsForActor, roomsForEvent, roomsForTicket } from './roles';

const guard: Actor = { id: 'g1', name: '李强', role: 'field', department: 'security' };
const securitySupervisor: Actor = { id: 's1', name: '赵刚', role: 'supervisor', department: 'security' };
const dispatcher: Actor = { id: 'd1', name: '王敏', role: 'dispatcher', department: 'customer_service' };

describe('scope', () => {
  it.each([
    [guard, { department: 'security', assigneeId: null }, true],
    [guard, { department: 'engineering', assigneeId: null }, false],
    [guard, { department: 'engineering', assigneeId: 'g1' }, true],
    [securitySupervisor, { department: 'engineering', assigneeId: 's1' }, false],
    [securitySupervisor, { department: 'security', assigneeId: null }, true],
    [dispatcher, { department: 'landscaping', assigneeId: null }, true],
  ] as const)('%o sees %o: %s', (actor, ticket, visible) => {
    expect(canSeeTicket(actor, ticket)).toBe(visible);
  });

  it('gives a socket only rooms an event of a visible ticket is sent to', () => {
    const engineeringTicket = { department: 'engineering' as const, assigneeId: null };
    const shared = (actor: Actor) => roomsForActor(actor).filter((room) => roomsForTicket(engineeringTicket).includes(room));
    expect(shared(guard)).toEqual([]);
    expect(shared(dispatcher)).toEqual(['wallboard']);
    expect(shared({ ...guard, department: 'engineering' })).toEqual(['dept:engineering']);
    const assigned = { department: 'engineering' as const, assigneeId: 'g1' };
    expect(roomsForActor(guard).filter((room) => roomsForTicket(assigned).includes(room))).toEqual(['user:g1']);
  });
});

describe('who hears of the archive taken in or out whole', () => {
  it('the managers only: an import names every record it touched, no control-room screen needs it', () => {
    expect(roomsForEvent({ type: 'archive.imported', data: { changes: [], actor: { id: 'a' } } })).toEqual(['managers']);
    expect(roomsForEvent({ type: 'archive.exported', data: { records: 1 } })).toEqual(['managers']);
    expect(roomsForEvent({ type: 'resident.updated', data: { resident: { id: 'r' } } })).toEqual(['wallboard']);
  });
});
