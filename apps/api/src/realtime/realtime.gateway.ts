import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
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
import type { Subscription } from 'rxjs';
import type { Server, Socket } from 'socket.io';
import { EventBus } from '../events/event-bus';
import { EventLogService } from '../events/event-log.service';
import { IdentityService } from '../identity/identity.service';

interface SocketData {
  actor: Actor;
}
type DispatchServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type DispatchSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const REPLAY_PAGE = 500;

/**
 * Forwards what the event log committed; it never invents events. A socket signs in at the
 * handshake and joins the rooms its user may see; each event goes to the rooms of its ticket.
 */
@WebSocketGateway({ cors: { origin: true } })
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('RealtimeGateway');
  private subscription?: Subscription;

  @WebSocketServer()
  server!: DispatchServer;

  constructor(
    private readonly bus: EventBus,
    private readonly log: EventLogService,
    private readonly identity: IdentityService,
  ) {}

  afterInit(server: DispatchServer): void {
    server.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      if (typeof token !== 'string' || token.length === 0) return next(new Error('unauthorized: no token'));
      this.identity
        .actorFromToken(token)
        .then((actor) => {
          socket.data.actor = actor;
          next();
        })
        .catch(() => next(new Error('unauthorized: invalid token')));
    });
  }

  onModuleInit(): void {
    this.subscription = this.bus.events.subscribe((event) => this.push(event));
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  async handleConnection(socket: DispatchSocket): Promise<void> {
    // Join before reading lastSeq: anything committed after the read arrives live.
    await socket.join(roomsForActor(socket.data.actor));
    try {
      socket.emit('hello', { serverTime: Date.now(), lastSeq: await this.log.lastSeq() });
    } catch (error) {
      this.logger.warn(`hello failed: ${(error as Error).message}`);
      socket.emit('error', { code: 'unavailable', message: 'event log unavailable, retry' });
    }
  }

  /** Replays from PostgreSQL everything after `afterSeq` in the socket's scope; the ack carries the last seq read. */
  @SubscribeMessage('resume')
  async resume(@ConnectedSocket() socket: DispatchSocket, @MessageBody() body: unknown): Promise<ResumeResult> {
    const afterSeq = (body as { afterSeq?: unknown } | null)?.afterSeq;
    if (typeof afterSeq !== 'number' || !Number.isSafeInteger(afterSeq) || afterSeq < 0) {
      socket.emit('error', { code: 'bad_request', message: 'resume needs { afterSeq: a non-negative integer }' });
      return { error: 'bad_request' };
    }
    const lastSeq = await this.log.lastSeq();
    let through = afterSeq;
    for (;;) {
      const page = await this.log.after(through, REPLAY_PAGE, socket.data.actor);
      for (const event of page) socket.emit('event', event);
      if (page.length < REPLAY_PAGE) return { throughSeq: Math.max(lastSeq, page.at(-1)?.seq ?? through) };
      through = page[page.length - 1].seq;
    }
  }

  @SubscribeMessage('time')
  time(): number {
    return Date.now();
  }

  private push(event: AnyDomainEvent): void {
    // A socket in several of these rooms still gets the event once.
    this.server.to(roomsForEvent(event)).emit('event', event);
  }
}
