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
  /**
   * The feed was too far behind to replay (more than MAX_REPLAY_SPAN events): the caller
   * reloads its snapshot; the feed goes on live from the server's position.
   */
  onResync?: () => void;
}

export interface FeedOptions {
  /** Where a feed restored from elsewhere starts; unset: from the first hello's lastSeq. */
  afterSeq?: number;
  /** How long to wait before asking again after a failed resume (tests pass their own). */
  wait?: (ms: number) => Promise<void>;
  resumeTimeoutMs?: number;
}

// Both browsers and Node have it; this lib is built without DOM or Node types.
declare const setTimeout: (callback: () => void, ms: number) => unknown;

const RESUME_TIMEOUT_MS = 10_000;
const RETRY_MS = [250, 500, 1_000, 2_000, 5_000];

/**
 * The typed client side of the push: delivers every event in the socket's scope once and in
 * seq order, across any pattern of disconnections, failed or slow resumes and overlapping
 * `hello`s.
 *
 * - From `connect` until caught up, live events are held, never delivered: the server joins
 *   the socket to its rooms before it sends `hello`, so live events can come first.
 * - On the first `hello` the feed starts from the server's lastSeq (the caller loads a
 *   snapshot then); on every later one it asks for everything after the last seq it
 *   delivered, page by page, then delivers what it held and goes on live.
 * - A failed or timed-out resume is asked again (with a growing pause) while the socket is
 *   up; the feed never goes live over a gap.
 * - Each `connect`, `disconnect` and `hello` starts a new generation: a replay of an older
 *   one stops at its next step and delivers nothing more.
 */
export class LiveFeed {
  private lastSeq: number | null;
  private syncing = true;
  private held: AnyDomainEvent[] = [];
  private generation = 0;
  private readonly wait: (ms: number) => Promise<void>;
  private readonly resumeTimeoutMs: number;

  constructor(
    private readonly socket: FeedSocket,
    private readonly handlers: FeedHandlers,
    options: FeedOptions = {},
  ) {
    this.lastSeq = options.afterSeq ?? null;
    this.wait = options.wait ?? ((ms) => new Promise((done) => setTimeout(done, ms)));
    this.resumeTimeoutMs = options.resumeTimeoutMs ?? RESUME_TIMEOUT_MS;
    socket.on('connect', () => {
      this.restart();
      this.status('connecting');
    });
    socket.on('disconnect', () => {
      this.restart();
      this.status('offline');
    });
    socket.on('connect_error', (error: Error) => this.status(error.message.startsWith('unauthorized') ? 'unauthorized' : 'offline'));
    socket.on('hello', (hello: HelloMessage) => void this.hello(hello));
    socket.on('event', (event: AnyDomainEvent) => this.live(event));
  }

  /** The last seq delivered: where the next resume starts. */
  get position(): number | null {
    return this.lastSeq;
  }

  /** Holds live events until the next hello's catch-up; stops any replay in progress. */
  private restart(): void {
    this.generation += 1;
    this.syncing = true;
    this.held = [];
  }

  private async hello(hello: HelloMessage): Promise<void> {
    // Events held since connect stay held: they may be newer than the gap to replay.
    this.generation += 1;
    this.syncing = true;
    const generation = this.generation;
    this.handlers.onHello?.(hello);
    if (this.lastSeq === null) {
      this.lastSeq = hello.lastSeq;
      this.goLive();
      return;
    }
    this.status('replaying');
    let failures = 0;
    while (generation === this.generation) {
      let page: ResumeResult;
      try {
        page = await this.socket.timeout(this.resumeTimeoutMs).emitWithAck('resume', { afterSeq: this.lastSeq });
      } catch {
        page = { error: 'unavailable' };
      }
      if (generation !== this.generation) return;
      if ('error' in page) {
        if (page.error === 'too_far_behind' && page.lastSeq !== undefined) {
          this.lastSeq = Math.max(this.lastSeq, page.lastSeq);
          this.handlers.onResync?.();
          break;
        }
        await this.wait(page.retryAfterMs ?? RETRY_MS[Math.min(failures, RETRY_MS.length - 1)]);
        failures += 1;
        continue;
      }
      failures = 0;
      for (const event of page.events) this.deliver(event);
      // Everything up to throughSeq was read, in scope or not: go on from there.
      this.lastSeq = Math.max(this.lastSeq, page.throughSeq);
      if (!page.hasMore) break;
    }
    if (generation === this.generation) this.goLive();
  }

  private goLive(): void {
    this.syncing = false;
    const held = this.held.sort((a, b) => a.seq - b.seq);
    this.held = [];
    for (const event of held) this.deliver(event);
    this.status('live');
  }

  private live(event: AnyDomainEvent): void {
    if (this.syncing) this.held.push(event);
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
