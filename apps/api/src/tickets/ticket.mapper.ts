import type { ClockView, TicketView } from '@dispatch/domain';
import type { TicketClockEntity, TicketEntity } from './ticket.entity';

export function toClockView(clock: TicketClockEntity): ClockView {
  return {
    clock: clock.clock,
    startedAt: clock.startedAt.toISOString(),
    dueAt: clock.dueAt.toISOString(),
    metAt: clock.metAt?.toISOString() ?? null,
    breachedAt: clock.breachedAt?.toISOString() ?? null,
  };
}

export type TicketRelations = Pick<TicketView, 'assignee' | 'repeatOf' | 'documents'>;

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
    documents: relations.documents,
    closedAt: ticket.closedAt?.toISOString() ?? null,
  };
}
