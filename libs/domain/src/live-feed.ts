import type { AnyDomainEvent, ClientToServerEvents, HelloMessage, ResumeResult, ServerToClientEvents } from './events';

/** The part of a Socket.IO client socket the feed uses (socket.io-client's Socket fits). */
export interface FeedSocket {
  on<E extends keyof ServerToClientEvents>(event: E, listener: ServerToClientEvents[E]): unknown;
  on(event: 'connect' | 'disconnect', listener: () => void): unknown;
  on(event: 'connect_error', listener: (error: Error) => void): unknown;
  timeout(ms: number): { emitWithAck(event: 'resume', request: Parameters<ClientToServerEvents['resume']>[0]): Promise<ResumeResult> };
}

export type FeedStatus = 'connecting' | 'replaying' | 'live' | 'offline' | 'unauthorized';

export interface FeedHandlers {
  /** Each event once, in seq order. */
  onEvent: (event: AnyDomainEvent) => void;
  /** Every `hello`: carries the server clock for skew correction. */
  onHello?: (hello: HelloMessage) => void;
  onStatus?: (status: FeedStatus) => void;
}

const RESUME_TIMEOUT_MS = 10_000;

/**
 * The typed client side of the push: delivers every event in the socket's scope once and in
 * seq order, across any number of disconnections. On the first `hello` it starts from the
 * server's lastSeq (the caller loads a snapshot then); on every later one it asks the server
 * for everything after the last seq it delivered, page by page, holding live events back
 * until the replay is done, then goes on live. Socket.IO's own reconnection brings the
 * `hello`s; the feed needs nothing else.
 */
export class LiveFeed {
  private lastSeq: number | null;
  private replaying = false;
  private held: AnyDomainEvent[] = [];

  constructor(
    socket: FeedSocket,
    private readonly handlers: FeedHandlers,
    options: { afterSeq?: number } = {},
  ) {
    this.lastSeq = options.afterSeq ?? null;
    socket.on('connect', () => this.status('connecting'));
    socket.on('disconnect', () => this.status('offline'));
    socket.on('connect_error', (error: Error) => this.status(error.message.startsWith('unauthorized') ? 'unauthorized' : 'offline'));
    socket.on('hello', (hello: HelloMessage) => void this.hello(socket, hello));
    socket.on('event', (event: AnyDomainEvent) => this.live(event));
  }

  /** The last seq delivered: where the next resume starts. */
  get position(): number | null {
    return this.lastSeq;
  }

  private async hello(socket: FeedSocket, hello: HelloMessage): Promise<void> {
    this.handlers.onHello?.(hello);
    if (this.lastSeq === null) {
      this.lastSeq = hello.lastSeq;
      this.status('live');
      return;
    }
    this.replaying = true;
    this.status('replaying');
    try {
      for (;;) {
        const page = await socket.timeout(RESUME_TIMEOUT_MS).emitWithAck('resume', { afterSeq: this.lastSeq });
        if ('error' in page) throw new Error(page.error);
        for (const event of page.events) this.deliver(event);
        // Everything up to throughSeq was read, in scope or not: go on from there.
        this.lastSeq = Math.max(this.lastSeq, page.throughSeq);
        if (!page.hasMore) break;
      }
      this.replaying = false;
      const held = this.held.sort((a, b) => a.seq - b.seq);
      this.held = [];
      for (const event of held) this.deliver(event);
      this.status('live');
    } catch {
      // The socket dropped mid-replay; the next hello starts again from lastSeq.
      this.replaying = false;
      this.held = [];
    }
  }

  private live(event: AnyDomainEvent): void {
    if (this.replaying) this.held.push(event);
    else this.deliver(event);
  }

  private deliver(event: AnyDomainEvent): void {
    if (this.lastSeq !== null && event.seq <= this.lastSeq) return;
    this.lastSeq = event.seq;
    this.handlers.onEvent(event);
  }

  private status(status: FeedStatus): void {
    this.handlers.onStatus?.(status);
  }
}
