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
  type ResumeResult,
  roomsForActor,
  roomsForEvent,
  type ServerToClientEvents,
} from '@dispatch/domain';
import type { Server, Socket } from 'socket.io';
import { EventLogService } from '../events/event-log.service';
import { IdentityService } from '../identity/identity.service';
import { SessionEvents } from '../identity/session-events';

interface SocketData {
  actor: Actor;
  sessionId: string;
}

/** Rooms by sign-in and by account, so logout and disabling reach a person's sockets on every process. */
const sessionRoom = (sessionId: string) => `session:${sessionId}`;
const staffRoom = (staffId: string) => `staff:${staffId}`;
type DispatchServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type DispatchSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const REPLAY_PAGE = 500;

/**
 * Forwards what the event log committed; it never invents events. A socket signs in at the
 * handshake and joins the rooms its user may see; each event goes to the rooms of its ticket
 * (LogPublisher calls `broadcast` in seq order). Missed events come back through `resume`,
 * in pages carried by its acknowledgement, so a client can tell replay from live.
 */
@WebSocketGateway({ cors: { origin: true } })
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('RealtimeGateway');
  private endings?: Subscription;

  @WebSocketServer()
  server!: DispatchServer;

  constructor(
    private readonly log: EventLogService,
    private readonly identity: IdentityService,
    private readonly sessions: SessionEvents,
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
    server.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      if (typeof token !== 'string' || token.length === 0) return next(new Error('unauthorized: no token'));
      this.identity
        .authenticate(token)
        .then(({ actor, sessionId }) => {
          socket.data.actor = actor;
          socket.data.sessionId = sessionId;
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
   * events meanwhile, then goes on live from where the replay ended.
   */
  @SubscribeMessage('resume')
  async resume(@ConnectedSocket() socket: DispatchSocket, @MessageBody() body: unknown): Promise<ResumeResult> {
    const afterSeq = (body as { afterSeq?: unknown } | null)?.afterSeq;
    if (typeof afterSeq !== 'number' || !Number.isSafeInteger(afterSeq) || afterSeq < 0) {
      socket.emit('error', { code: 'bad_request', message: 'resume needs { afterSeq: a non-negative integer }' });
      return { error: 'bad_request' };
    }
    const lastSeq = await this.log.lastSeq();
    const events = await this.log.after(afterSeq, REPLAY_PAGE, socket.data.actor);
    const hasMore = events.length === REPLAY_PAGE;
    // A short page means everything up to lastSeq was read (in scope or not).
    return { events, throughSeq: hasMore ? events[events.length - 1].seq : Math.max(lastSeq, events.at(-1)?.seq ?? afterSeq), hasMore };
  }

  @SubscribeMessage('time')
  time(): number {
    return Date.now();
  }

  /** To every socket whose rooms the event concerns, on every process; once per socket. */
  broadcast(event: AnyDomainEvent): void {
    this.server.to(roomsForEvent(event)).emit('event', event);
  }
}
