import type { ClockKind } from './deadlines';
import type { Category, Channel, Department, Priority, TicketKind, TicketStatus } from './ticket';
import type { DocumentKind, RepairFacts } from './ticket-actions';

/** One deadline of a ticket, as stored and as shown. Times are ISO-8601 UTC. */
export interface ClockView {
  clock: ClockKind;
  startedAt: string;
  dueAt: string;
  metAt: string | null;
  breachedAt: string | null;
}

export interface TicketLocationView {
  unit?: string;
  area?: string;
  /** Human label: the unit code or the area's name. */
  label: string;
}

/** A ticket as the api returns it and as the boards show it. Personal data is not part of it. */
export interface TicketView {
  id: string;
  number: string;
  kind: TicketKind;
  category: Category;
  channel: Channel;
  priority: Priority;
  status: TicketStatus;
  department: Department;
  location: TicketLocationView;
  description: string;
  receivedAt: string;
  version: number;
  clocks: ClockView[];
  repair: RepairFacts | null;
  assignee: { id: string; name: string } | null;
  /** The earlier report this one repeats: it was created as a complaint because of it. */
  repeatOf: { id: string; number: string; status: TicketStatus } | null;
  /** When waiting: the time agreed with the owner. */
  agreedAt: string | null;
  reopenCount: number;
  documents: DocumentKind[];
  closedAt: string | null;
}

export interface TicketPage {
  items: TicketView[];
  nextCursor: string | null;
}
