import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AnyDomainEvent } from '@dispatch/domain';
import { Client } from 'pg';
import type { Subscription } from 'rxjs';
import { DataSource } from 'typeorm';
import { DATABASE_CONNECTION, type DatabaseConnection } from '../database/database.module';
import { PgListener } from '../database/pg-listener';
import { EventBus } from '../events/event-bus';
import { EVENT_LOG_CHANNEL, type EventLogRow, toDomainEvent } from '../events/event-log.service';
import { RealtimeGateway } from './realtime.gateway';

/** Any fixed number: the session lock that makes one api process the publisher. */
const PUBLISHER_LOCK = 727_003;
const PAGE = 500;
const CURSOR_SAVE_MS = 500;
const CANDIDATE_RETRY_MS = 1_000;
const SAFETY_DRAIN_MS = 1_000;

/**
 * Pushes the event log to sockets in seq order, from one process at a time.
 * Appends commit in seq order (see EventLogService.append), so reading `seq > cursor`
 * never skips a row. Exactly one process, the holder of a PostgreSQL session lock, reads
 * and broadcasts; through the Redis adapter its broadcasts reach every process's sockets in
 * the order it sent them, so every client sees its events in seq order whichever process
 * wrote them. If the publisher dies its session ends, the lock passes to another process,
 * which goes on from the saved cursor (a few events may be sent twice; clients drop seqs
 * they have seen).
 */
@Injectable()
export class LogPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('LogPublisher');
  private lockHolder?: Client;
  private listener?: PgListener;
  private leader = false;
  private cursor = 0;
  private savedCursor = 0;
  private draining = false;
  private again = false;
  private stopped = false;
  private timers: NodeJS.Timeout[] = [];
  private nudges?: Subscription;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DATABASE_CONNECTION) private readonly connection: DatabaseConnection,
    private readonly gateway: RealtimeGateway,
    private readonly bus: EventBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Our own commits need not wait for the notification's round trip.
    this.nudges = this.bus.events.subscribe(() => this.drainSoon());
    this.listener = new PgListener(this.connection.url, EVENT_LOG_CHANNEL, this.drainSoon, this.logger);
    await this.listener.start();
    await this.campaign();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.nudges?.unsubscribe();
    for (const timer of this.timers) clearInterval(timer);
    if (this.leader) await this.saveCursor().catch(() => undefined);
    await this.listener?.stop();
    await this.lockHolder?.end().catch(() => undefined);
  }

  get isLeader(): boolean {
    return this.leader;
  }

  /** Tries for the publisher lock now and every second until it is ours. */
  private async campaign(): Promise<void> {
    if (this.stopped || this.leader) return;
    try {
      const holder = this.lockHolder ?? (await this.connect());
      if (!this.lockHolder) holder.once('end', () => this.abdicate());
      this.lockHolder = holder;
      const { rows } = await holder.query<{ won: boolean }>('SELECT pg_try_advisory_lock($1) AS won', [PUBLISHER_LOCK]);
      if (rows[0]?.won) {
        await this.becomeLeader();
        return;
      }
    } catch (error) {
      this.logger.warn(`publisher election: ${(error as Error).message}`);
      await this.lockHolder?.end().catch(() => undefined);
      this.lockHolder = undefined;
    }
    const retry = setTimeout(() => void this.campaign(), CANDIDATE_RETRY_MS);
    retry.unref();
  }

  /** The lock's session ended (database restart, network): stop publishing and stand again. */
  private abdicate(): void {
    this.leader = false;
    this.lockHolder = undefined;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    if (!this.stopped) setTimeout(() => void this.campaign(), CANDIDATE_RETRY_MS).unref();
  }

  private async becomeLeader(): Promise<void> {
    const [row] = await this.dataSource.query<Array<{ seq: string }>>('SELECT seq FROM push_cursor WHERE id = 1');
    this.cursor = Number(row?.seq ?? 0);
    this.savedCursor = this.cursor;
    this.leader = true;
    this.logger.log(`publishing the event log from seq ${this.cursor}`);
    this.timers.push(setInterval(() => void this.saveCursor().catch(() => undefined), CURSOR_SAVE_MS));
    this.timers.push(setInterval(() => this.drainSoon(), SAFETY_DRAIN_MS));
    this.drainSoon();
  }

  private drainSoon = (): void => {
    if (!this.leader || this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    void this.drain();
  };

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      do {
        this.again = false;
        for (;;) {
          // On the publisher's own session (the one holding its lock), not the pool: pushes do
          // not queue behind the requests and alarms that fill the pool under load.
          const holder = this.lockHolder;
          if (!holder) return;
          const { rows } = await holder.query<EventLogRow>(
            'SELECT seq, type, ticket_id AS "ticketId", alarm_id AS "alarmId", at, data FROM event_log WHERE seq > $1 ORDER BY seq LIMIT $2',
            [this.cursor, PAGE],
          );
          for (const row of rows) {
            // Shutting down: the cursor stays where it is, for the next publisher.
            if (this.stopped) return;
            const event: AnyDomainEvent = toDomainEvent(row);
            this.gateway.broadcast(event);
            this.cursor = event.seq;
          }
          if (rows.length < PAGE) break;
        }
      } while (this.again && !this.stopped);
    } catch (error) {
      this.logger.warn(`push failed, retrying: ${(error as Error).message}`);
    } finally {
      this.draining = false;
    }
  }

  private async saveCursor(): Promise<void> {
    if (!this.leader || this.cursor === this.savedCursor) return;
    const cursor = this.cursor;
    await this.dataSource.query('UPDATE push_cursor SET seq = greatest(seq, $1), updated_at = now() WHERE id = 1', [cursor]);
    this.savedCursor = cursor;
  }

  private async connect(): Promise<Client> {
    const client = new Client({ connectionString: this.connection.url });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }
}
