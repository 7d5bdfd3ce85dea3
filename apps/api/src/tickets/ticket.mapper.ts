import type { ClockState, ClockView, TicketView } from '@dispatch/domain';
import type { TicketClockEntity, TicketEntity } from './ticket.entity';

export function toClockView(clock: TicketClockEntity): ClockView {
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  const due = clock.dueAt.getTime();
  const ended = clock.metAt ?? clock.cancelledAt;
  const state: ClockState = clock.cancelledAt
    ? 'cancelled'
    : clock.metAt
      ? clock.breachedAt ? 'met_late' : 'met'
      : clock.breachedAt ? 'breached' : 'running';
  return {
    clock: clock.clock,
    round: clock.round,
    startedAt: clock.startedAt.toISOString(),
    warnAt: clock.warnAt.toISOString(),
    dueAt: clock.dueAt.toISOString(),
    businessHours: clock.businessHours,
    warnedAt: iso(clock.warnedAt),
    breachedAt: iso(clock.breachedAt),
    escalatedAt: iso(clock.escalatedAt),
    metAt: iso(clock.metAt),
    cancelledAt: iso(clock.cancelledAt),
    state,
    // By how much it ran over: until it was met or cancelled; still counting while it runs (null then).
    overdueMs: clock.breachedAt && ended ? Math.max(0, ended.getTime() - due) : null,
  };
}

/** While a breached clock is still unmet: 2 if it escalated to the manager, else 1; 0 otherwise. */
export function escalationOf(clocks: TicketClockEntity[]): 0 | 1 | 2 {
  const overdue = clocks.filter((clock) => clock.breachedAt && !clock.metAt && !clock.cancelledAt);
  if (overdue.some((clock) => clock.escalatedAt)) return 2;
  return overdue.length > 0 ? 1 : 0;
}

export type TicketRelations = Pick<TicketView, 'assignee' | 'repeatOf' | 'documents' | 'alarm'>;

/** The shared view of a ticket. Reporter name and phone stay out: they are personal data. */
export function toTicketView(ticket: TicketEntity, clocks: TicketClockEntity[], relations: TicketRelations): TicketView {
  const location = ticket.unitId ? { unit: ticket.locationCode } : { area: ticket.locationCode };
  return {
    id: ticket.id,
    number: ticket.number,
    kind: ticket.kind,
    category: ticket.category,
    channel: ticket.channel,
    priority: ticket.priority,
    status: ticket.status,
    department: ticket.department,
    alsoDepartments: ticket.alsoDepartments,
    location: { ...location, label: ticket.locationLabel },
    description: ticket.description,
    receivedAt: ticket.receivedAt.toISOString(),
    version: ticket.version,
    clocks: clocks.map(toClockView),
    repair: ticket.repair,
    assignee: relations.assignee,
    repeatOf: relations.repeatOf,
    agreedAt: ticket.agreedAt?.toISOString() ?? null,
    reopenCount: ticket.reopenCount,
    hasReporter: hasReporter(ticket),
    documents: relations.documents,
    closedAt: ticket.closedAt?.toISOString() ?? null,
    escalation: escalationOf(clocks),
    alarm: relations.alarm,
    sourceAlarmId: ticket.sourceAlarmId,
  };
}

/** A callback needs someone to call: the reporter, or the owner of the unit it came from. */
export function hasReporter(ticket: Pick<TicketEntity, 'reporterPhone' | 'unitId'>): boolean {
  return ticket.reporterPhone !== null || ticket.unitId !== null;
}
