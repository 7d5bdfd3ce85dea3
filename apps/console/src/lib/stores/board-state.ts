import { type Actor, type AnyDomainEvent, canSeeTicket, factsOfView, type TicketView } from '@dispatch/domain';

/**
 * The wallboard's picture of live tickets, folded from the snapshot and the event stream.
 * Events may arrive twice (snapshot + live, replay + live): a ticket is replaced only by a
 * newer version, so applying the same event again changes nothing. A ticket whose newest
 * version the viewer may no longer see (moved to another department, handed to someone
 * else) leaves the board: the api sends that last event to the rooms it left.
 */
export class BoardState {
  readonly tickets = new Map<string, TicketView>();
  lastSeq = 0;

  /** `viewer()`: who is looking, read at each event (null: no scope to apply). */
  constructor(private readonly viewer: () => Actor | null = () => null) {}

  /** Returns how many of them changed the picture. */
  load(tickets: readonly TicketView[]): number {
    let changed = 0;
    for (const ticket of tickets) if (this.upsert(ticket)) changed += 1;
    return changed;
  }

  clear(): void {
    this.tickets.clear();
    this.lastSeq = 0;
  }

  /** Every ticket event carries the ticket as it became; the newest version wins. */
  apply(event: AnyDomainEvent): boolean {
    if (event.seq > this.lastSeq) this.lastSeq = event.seq;
    return 'ticket' in event.data ? this.upsert(event.data.ticket) : false;
  }

  private upsert(ticket: TicketView): boolean {
    const known = this.tickets.get(ticket.id);
    if (known && !isNewer(ticket, known)) return false;
    const viewer = this.viewer();
    if (viewer && !canSeeTicket(viewer, factsOfView(ticket))) return this.tickets.delete(ticket.id);
    this.tickets.set(ticket.id, ticket);
    return true;
  }
}

/** A later version; or, for an alarm, the same version with more repeats folded in (storms do not bump versions). */
function isNewer(candidate: TicketView, known: TicketView): boolean {
  if (candidate.version !== known.version) return candidate.version > known.version;
  return (candidate.alarm?.count ?? 0) > (known.alarm?.count ?? 0);
}
