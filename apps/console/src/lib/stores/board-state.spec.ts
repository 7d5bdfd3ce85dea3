import type { AnyDomainEvent, TicketView } from '@dispatch/domain';
import { describe, expect, it } from 'vitest';
import { BoardState } from './board-state';

const ticket = (id: string, version: number, description = 'leak'): TicketView => ({
  id,
  number: `261123-000${id}`,
  kind: 'repair',
  category: 'water_leak',
  channel: 'phone',
  priority: 'normal',
  status: 'received',
  department: 'engineering',
  location: { unit: '4-2-301', label: '4-2-301' },
  description,
  receivedAt: '2026-11-23T12:00:00.000Z',
  version,
  clocks: [],
  repair: { inUnit: true, inWarranty: true, paid: false },
  assignee: null,
  repeatOf: null,
  agreedAt: null,
  reopenCount: 0,
  documents: [],
  closedAt: null,
  escalation: 0,
  alarm: null,
  sourceAlarmId: null,
  alsoDepartments: [],
  hasReporter: true,
});

const created = (seq: number, view: TicketView): AnyDomainEvent => ({
  seq,
  type: 'ticket.created',
  at: view.receivedAt,
  ticketId: view.id,
  data: { ticket: view, actor: null },
});

describe('BoardState', () => {
  it('adds a created ticket and remembers the highest seq', () => {
    const board = new BoardState();
    expect(board.apply(created(7, ticket('1', 1)))).toBe(true);
    expect(board.tickets.get('1')?.description).toBe('leak');
    expect(board.lastSeq).toBe(7);
  });

  it('absorbs the same event twice', () => {
    const board = new BoardState();
    board.apply(created(7, ticket('1', 1)));
    expect(board.apply(created(7, ticket('1', 1)))).toBe(false);
    expect(board.tickets.size).toBe(1);
  });

  it('never lets an older version replace a newer one', () => {
    const board = new BoardState();
    board.load([ticket('1', 3, 'newer')]);
    expect(board.apply(created(2, ticket('1', 1, 'older')))).toBe(false);
    expect(board.tickets.get('1')?.description).toBe('newer');
    expect(board.lastSeq).toBe(2);
  });
});

describe('BoardState with closed-loop steps', () => {
  it('moves a ticket on when a later step arrives, and ignores the older created event after it', () => {
    const board = new BoardState();
    const dispatched: AnyDomainEvent = {
      seq: 9,
      type: 'ticket.dispatch',
      at: '2026-11-23T12:00:30.000Z',
      ticketId: '1',
      data: {
        action: 'dispatch',
        from: 'received',
        to: 'dispatched',
        actor: { id: 'd1', name: '王敏', role: 'dispatcher' },
        input: {},
        ticket: { ...ticket('1', 2), status: 'dispatched' },
      },
    };
    expect(board.apply(dispatched)).toBe(true);
    expect(board.apply(created(8, ticket('1', 1)))).toBe(false);
    expect(board.tickets.get('1')?.status).toBe('dispatched');
    expect(board.lastSeq).toBe(9);
  });
});

describe('BoardState with alarm storms', () => {
  it('takes a repeat folded into an alarm (same version, higher count), and not an older one', () => {
    const board = new BoardState();
    const alarm = (count: number): TicketView => ({
      ...ticket('a', 1),
      kind: 'alarm',
      alarm: {
        deviceId: 'ir-3-201',
        alarmKind: 'intrusion',
        severity: 2,
        departments: ['security'],
        count,
        firstSeenAt: '2026-11-23T12:00:00.000Z',
        lastSeenAt: '2026-11-23T12:00:00.000Z',
        occurredAt: null,
        outcome: null,
        outcomeReason: null,
        acknowledgedAt: null,
        mutedUntil: null,
        restoredAt: null,
        procedure: null,
      },
    });
    board.load([alarm(3)]);
    const repeated = (seq: number, count: number): AnyDomainEvent => ({
      seq,
      type: 'alarm.repeated',
      at: '2026-11-23T12:00:05.000Z',
      ticketId: 'a',
      alarmId: 'a',
      data: { ticket: alarm(count), alarm: alarm(count).alarm!, eventId: `e${count}` },
    });
    expect(board.apply(repeated(20, 4))).toBe(true);
    expect(board.apply(repeated(19, 2))).toBe(false);
    expect(board.tickets.get('a')?.alarm?.count).toBe(4);
  });
});

describe('BoardState in a viewer\'s scope', () => {
  const technician = { id: 't1', name: '张伟', role: 'field' as const, department: 'engineering' as const };
  const reassigned = (seq: number, view: TicketView): AnyDomainEvent => ({
    seq,
    type: 'ticket.reassign',
    at: '2026-11-23T12:01:00.000Z',
    ticketId: view.id,
    data: {
      action: 'reassign',
      from: 'received',
      to: 'received',
      actor: { id: 'd1', name: '王敏', role: 'dispatcher' },
      input: { department: view.department },
      ticket: view,
      previous: { department: 'engineering', assigneeId: null },
    },
  });

  it('drops a ticket moved to another department from an engineering tablet, and takes it back when it returns', () => {
    const board = new BoardState(() => technician);
    board.load([ticket('1', 1)]);
    expect(board.apply(reassigned(10, { ...ticket('1', 2), department: 'security' }))).toBe(true);
    expect(board.tickets.has('1')).toBe(false);
    expect(board.apply(reassigned(11, { ...ticket('1', 3), department: 'engineering' }))).toBe(true);
    expect(board.tickets.get('1')?.version).toBe(3);
  });

  it('keeps a security ticket an engineering technician is also routed to, and one assigned to him by name', () => {
    const board = new BoardState(() => technician);
    board.load([
      { ...ticket('fire', 1), department: 'security', alsoDepartments: ['engineering'] },
      { ...ticket('named', 1), department: 'cleaning', assignee: { id: 't1', name: '张伟' } },
      { ...ticket('other', 1), department: 'cleaning' },
    ]);
    expect([...board.tickets.keys()].sort()).toEqual(['fire', 'named']);
  });

  it('keeps everything for an estate-wide viewer (the wallboard\'s dispatcher)', () => {
    const board = new BoardState(() => ({ id: 'd1', name: '王敏', role: 'dispatcher', department: 'customer_service' }));
    board.load([ticket('1', 1)]);
    board.apply(reassigned(10, { ...ticket('1', 2), department: 'security' }));
    expect(board.tickets.get('1')?.department).toBe('security');
  });
});
