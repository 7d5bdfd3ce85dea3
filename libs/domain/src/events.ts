import type { TicketView } from './views';

/**
 * Every event type and its payload, once. The api writes these to the log and the
 * socket forwards them; both sides type-check against this map.
 */
export interface EventPayloads {
  'ticket.created': { ticket: TicketView };
}

export type EventType = keyof EventPayloads;

export interface DomainEvent<T extends EventType = EventType> {
  /** System-wide, strictly increasing position in the event log. */
  seq: number;
  type: T;
  at: string;
  ticketId?: string;
  alarmId?: string;
  data: EventPayloads[T];
}

/** Any event, discriminated on `type` so a switch narrows `data`. */
export type AnyDomainEvent = { [T in EventType]: DomainEvent<T> }[EventType];

export interface HelloMessage {
  /** Server clock in ms since the epoch, for skew correction. */
  serverTime: number;
  /** Highest seq in the log when the socket connected. */
  lastSeq: number;
}

export interface SocketErrorMessage {
  code: string;
  message: string;
}

export interface ResumeRequest {
  afterSeq: number;
}

export interface ServerToClientEvents {
  hello: (message: HelloMessage) => void;
  event: (event: AnyDomainEvent) => void;
  error: (error: SocketErrorMessage) => void;
}

export interface ClientToServerEvents {
  resume: (request: ResumeRequest) => void;
  /** Round-trip clock probe: the ack carries the server time. */
  time: (ack: (serverTime: number) => void) => void;
}

/** Socket rooms, named after what scopes a listener. */
export const ROOMS = {
  wallboard: 'wallboard',
  department: (department: string) => `dept:${department}`,
  user: (userId: string) => `user:${userId}`,
} as const;
