import type { AnyDomainEvent, TicketView } from '@dispatch/domain';

/**
 * The wallboard's picture of live tickets, folded from the snapshot and the event stream.
 * Events may arrive twice (snapshot + live, replay + live): a ticket is replaced only by a
 * newer version, so applying the same event again changes nothing.
 */
export class BoardState {
  readonly tickets = new Map<string, TicketView>();
  lastSeq = 0;

  load(tickets: readonly TicketView[]): void {
    for (const ticket of tickets) this.upsert(ticket);
  }

  apply(event: AnyDomainEvent): boolean {
    if (event.seq > this.lastSeq) this.lastSeq = event.seq;
    switch (event.type) {
      case 'ticket.created':
        return this.upsert(event.data.ticket);
      default:
        return false;
    }
  }

  private upsert(ticket: TicketView): boolean {
    const known = this.tickets.get(ticket.id);
    if (known && known.version >= ticket.version) return false;
    this.tickets.set(ticket.id, ticket);
    return true;
  }
}
