import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import { type AnyDomainEvent, type ClientToServerEvents, ROOMS, type ServerToClientEvents } from '@dispatch/domain';
import type { Subscription } from 'rxjs';
import type { Server, Socket } from 'socket.io';
import { EventBus } from '../events/event-bus';
import { EventLogService } from '../events/event-log.service';

type DispatchServer = Server<ClientToServerEvents, ServerToClientEvents>;
type DispatchSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

const REPLAY_PAGE = 500;

/**
 * Forwards what the event log committed; it never invents events. Rooms are named after
 * what scopes a listener. Until identity lands every socket is a wallboard.
 */
@WebSocketGateway({ cors: { origin: true } })
export class RealtimeGateway implements OnGatewayConnection, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('RealtimeGateway');
  private subscription?: Subscription;

  @WebSocketServer()
  server!: DispatchServer;

  constructor(
    private readonly bus: EventBus,
    private readonly log: EventLogService,
  ) {}

  onModuleInit(): void {
    this.subscription = this.bus.events.subscribe((event) => this.push(event));
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  async handleConnection(socket: DispatchSocket): Promise<void> {
    // Join before reading lastSeq: anything committed after the read arrives live.
    await socket.join(ROOMS.wallboard);
    try {
      socket.emit('hello', { serverTime: Date.now(), lastSeq: await this.log.lastSeq() });
    } catch (error) {
      this.logger.warn(`hello failed: ${(error as Error).message}`);
      socket.emit('error', { code: 'unavailable', message: 'event log unavailable, retry' });
    }
  }

  /** Replays from PostgreSQL everything after `afterSeq`; the ack carries the last seq sent. */
  @SubscribeMessage('resume')
  async resume(@ConnectedSocket() socket: DispatchSocket, @MessageBody() body: unknown): Promise<{ throughSeq: number } | { error: string }> {
    const afterSeq = (body as { afterSeq?: unknown } | null)?.afterSeq;
    if (typeof afterSeq !== 'number' || !Number.isSafeInteger(afterSeq) || afterSeq < 0) {
      socket.emit('error', { code: 'bad_request', message: 'resume needs { afterSeq: a non-negative integer }' });
      return { error: 'bad_request' };
    }
    let through = afterSeq;
    for (;;) {
      const page = await this.log.after(through, REPLAY_PAGE);
      for (const event of page) socket.emit('event', event);
      if (page.length > 0) through = page[page.length - 1].seq;
      if (page.length < REPLAY_PAGE) return { throughSeq: through };
    }
  }

  @SubscribeMessage('time')
  time(): number {
    return Date.now();
  }

  private push(event: AnyDomainEvent): void {
    this.server.to(ROOMS.wallboard).emit('event', event);
  }
}
