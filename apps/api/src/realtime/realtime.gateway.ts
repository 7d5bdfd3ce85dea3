import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import {
  type Actor,
  type AnyDomainEvent,
  type ClientToServerEvents,
  MAX_REPLAY_SPAN,
  type ResumeResult,
  roomsForActor,
  roomsForEvent,
  type ServerToClientEvents,
} from '@dispatch/domain';
import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';
import type { Server, Socket } from 'socket.io';
import { EventLogService } from '../events/event-log.service';
import { IdentityService } from '../identity/identity.service';
import { SessionEvents } from '../identity/session-events';
import { RedisFanout } from './redis-fanout';

interface SocketData {
  actor: Actor;
  sessionId: string;
  /** The highest seq this socket was sent live: nothing at or below it is sent again. */
  lastSentSeq: number;
  /** A resume is being answered: one at a time per socket. */
  resuming: boolean;
}

/** Rooms by sign-in and by account, so logout and disabling reach a person's sockets on every process. */
const sessionRoom = (sessionId: string) => `session:${sessionId}`;
const staffRoom = (staffId: string) => `staff:${staffId}`;
type DispatchServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type DispatchSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const REPLAY_PAGE = 500;
/** Resumes per socket per minute: a reconnecting console needs a few pages, not thousands. */
const RESUMES_PER_MINUTE = 60;
/** The event each process hands to its own sockets; sent by the publisher to every process. */
const LOG_EVENT = 'log-event';

/**
 * Forwards what the event log committed; it never invents events. A socket signs in at the
 * handshake and joins the rooms its user may see; each event goes to the rooms of its ticket
 * (LogPublisher calls `broadcast` in seq order). Missed events come back through `resume`,
 * in pages carried by its acknowledgement, so a client can tell replay from live.
 */
// Which origins may open a socket is the adapter's rule (FanoutIoAdapter, from CORS_ORIGINS).
@WebSocketGateway()
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('RealtimeGateway');
  private endings?: Subscription;
  private readonly resumeLimit = new RateLimiterMemory({ keyPrefix: 'resume', points: RESUMES_PER_MINUTE, duration: 60 });

  @WebSocketServer()
  server!: DispatchServer;

  constructor(
    private readonly log: EventLogService,
    private readonly identity: IdentityService,
    private readonly sessions: SessionEvents,
    private readonly fanout: RedisFanout,
  ) {}

  onModuleInit(): void {
    // Through the adapter, so sockets held by other api processes are disconnected too.
    this.endings = this.sessions.ends.subscribe((end) => {
      this.server.in('sessionId' in end ? sessionRoom(end.sessionId) : staffRoom(end.staffId)).disconnectSockets(true);
    });
  }

  onModuleDestroy(): void {
    this.endings?.unsubscribe();
  }

  afterInit(server: DispatchServer): void {
    // The publisher's events, from whichever process publishes (through the adapter).
    server.on(LOG_EVENT as never, (event: AnyDomainEvent) => this.sendToLocalSockets(event));
    server.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      if (typeof token !== 'string' || token.length === 0) return next(new Error('unauthorized: no token'));
      this.identity
        .authenticate(token)
        .then(({ actor, sessionId }) => {
          socket.data.actor = actor;
          socket.data.sessionId = sessionId;
          socket.data.lastSentSeq = 0;
          socket.data.resuming = false;
          next();
        })
        .catch(() => next(new Error('unauthorized: invalid token')));
    });
  }

  async handleConnection(socket: DispatchSocket): Promise<void> {
    // Join before reading lastSeq: anything committed after the read arrives live.
    await socket.join([...roomsForActor(socket.data.actor), sessionRoom(socket.data.sessionId), staffRoom(socket.data.actor.id)]);
    try {
      socket.emit('hello', { serverTime: Date.now(), lastSeq: await this.log.lastSeq() });
    } catch (error) {
      this.logger.warn(`hello failed: ${(error as Error).message}`);
      socket.emit('error', { code: 'unavailable', message: 'event log unavailable, retry' });
    }
  }

  /**
   * One page of what the socket missed, from PostgreSQL, in its scope: `{events, throughSeq,
   * hasMore}`. The client asks again from `throughSeq` while `hasMore`, holding back live
   * events meanwhile, then goes on live from where the replay ended. A replay is bounded:
   * one at a time per socket, RESUMES_PER_MINUTE, and at most MAX_REPLAY_SPAN events back
   * (further behind, the client reloads a snapshot).
   */
  @SubscribeMessage('resume')
  async resume(@ConnectedSocket() socket: DispatchSocket, @MessageBody() body: unknown): Promise<ResumeResult> {
    const afterSeq = (body as { afterSeq?: unknown } | null)?.afterSeq;
    if (typeof afterSeq !== 'number' || !Number.isSafeInteger(afterSeq) || afterSeq < 0) {
      socket.emit('error', { code: 'bad_request', message: 'resume needs { afterSeq: a non-negative integer }' });
      return { error: 'bad_request' };
    }
    if (socket.data.resuming) return { error: 'busy' };
    try {
      await this.resumeLimit.consume(socket.id);
    } catch (refusal) {
      return { error: 'rate_limited', retryAfterMs: (refusal as RateLimiterRes).msBeforeNext };
    }
    socket.data.resuming = true;
    try {
      const lastSeq = await this.log.lastSeq();
      if (lastSeq - afterSeq > MAX_REPLAY_SPAN) return { error: 'too_far_behind', lastSeq };
      const events = await this.log.after(afterSeq, REPLAY_PAGE, socket.data.actor, lastSeq);
      const hasMore = events.length === REPLAY_PAGE;
      // A short page means everything up to lastSeq was read (in scope or not).
      return { events, throughSeq: hasMore ? events[events.length - 1].seq : Math.max(lastSeq, afterSeq), hasMore };
    } catch (error) {
      this.logger.warn(`resume failed: ${(error as Error).message}`);
      return { error: 'unavailable', retryAfterMs: 1_000 };
    } finally {
      socket.data.resuming = false;
    }
  }

  @SubscribeMessage('time')
  time(): number {
    return Date.now();
  }

  /** To every socket whose rooms the event concerns, on every process (the publisher calls it in seq order). */
  broadcast(event: AnyDomainEvent): void {
    // The other processes' sockets (the in-process default has none).
    if (this.fanout.open) this.server.serverSideEmit(LOG_EVENT as never, event as never);
    this.sendToLocalSockets(event);
  }

  /**
   * Each socket of this process in the event's rooms gets it once: a seq at or below what the
   * socket was already sent (a new publisher going on from the saved cursor) is not sent again,
   * so every socket's stream is strictly increasing, as API.md promises.
   */
  private sendToLocalSockets(event: AnyDomainEvent): void {
    const namespace = this.server.sockets;
    const ids = new Set<string>();
    for (const room of roomsForEvent(event)) for (const id of namespace.adapter.rooms.get(room) ?? []) ids.add(id);
    const due: string[] = [];
    for (const id of ids) {
      const socket = namespace.sockets.get(id);
      if (!socket || event.seq <= socket.data.lastSentSeq) continue;
      socket.data.lastSentSeq = event.seq;
      due.push(id);
    }
    // Each socket is in a room of its own id: one broadcast encodes the packet once for all of them.
    if (due.length > 0) this.server.local.to(due).emit('event', event);
  }
}
