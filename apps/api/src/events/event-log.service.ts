import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, type AnyDomainEvent, type EventPayloads, type EventType, hasPermission, roomsForActor, roomsForEvent } from '@dispatch/domain';
import { DataSource, type EntityManager, type EntitySubscriberInterface, type QueryRunner, type TransactionCommitEvent, type TransactionRollbackEvent } from 'typeorm';
import { EventLogEntity } from './event-log.entity';

/** Any fixed number: serialises appends so commit order is seq order (see append). */
const EVENT_LOG_APPEND_LOCK = 727_002;
/** Notified at each commit that appended: the elected publisher wakes up and pushes. */
export const EVENT_LOG_CHANNEL = 'event_log';

export interface NewEvent<T extends EventType> {
  type: T;
  data: EventPayloads[T];
  ticketId?: string;
  alarmId?: string;
  actor?: string;
}

/** The columns of a log row an event is made of. */
export type EventLogRow = Pick<EventLogEntity, 'seq' | 'type' | 'ticketId' | 'alarmId' | 'at' | 'data'>;

export function toDomainEvent(row: EventLogRow): AnyDomainEvent {
  return {
    seq: Number(row.seq),
    type: row.type,
    at: row.at.toISOString(),
    ...(row.ticketId ? { ticketId: row.ticketId } : {}),
    ...(row.alarmId ? { alarmId: row.alarmId } : {}),
    data: row.data,
  } as AnyDomainEvent;
}

/**
 * One statement: the ordering lock, a transaction's rows (seqs given in the order they were
 * appended), their notifications (delivered at commit).
 */
const APPEND_SQL = `WITH locked AS MATERIALIZED (SELECT pg_advisory_xact_lock($1))
  , appended AS (INSERT INTO event_log (type, data, ticket_id, alarm_id, actor, at, rooms)
                 SELECT e.type, e.data, e.ticket_id, e.alarm_id, e.actor, e.at, e.rooms
                   FROM locked, ROWS FROM (jsonb_to_recordset($2::jsonb) AS (type text, data jsonb, ticket_id uuid, alarm_id uuid, actor text, at timestamptz, rooms text[]))
                        WITH ORDINALITY AS e(type, data, ticket_id, alarm_id, actor, at, rooms, ordinality)
                  ORDER BY e.ordinality
                 RETURNING seq)
  SELECT seq, pg_notify($3, seq::text) FROM appended ORDER BY seq`;

/** How deep in savepoints the runner's transaction is (1: the transaction itself); TypeORM keeps it but does not type it. */
const depthOf = (runner: QueryRunner): number => (runner as QueryRunner & { transactionDepth: number }).transactionDepth;

/** An event appended in a transaction that has not reached its commit yet. */
interface Pending {
  event: NewEvent<EventType>;
  at: Date;
  /** The domain event handed back to the caller; its seq is set when the row is written. */
  appended: { seq: number };
  /** The transaction depth it was appended at: a savepoint rolled back takes its events with it. */
  depth: number;
}

/**
 * The log, and the one place that writes to it. Appends commit in seq order: a
 * transaction-scoped advisory lock is taken before a row gets its seq and held to the
 * commit, so a reader that saw seq N has seen every seq below N, and replay by
 * `seq > lastSeen` can never skip a row that committed late. So that the lock is held for as
 * short a time as possible (one statement and the commit, not the rest of the caller's
 * work), an append inside a transaction is written just before that transaction commits;
 * the event handed back gets its seq then, and callers read it only after the commit.
 */
@Injectable()
export class EventLogService implements EntitySubscriberInterface, OnModuleInit {
  private readonly pending = new WeakMap<QueryRunner, Pending[]>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    this.dataSource.subscribers.push(this);
  }

  /** Appends `event` in the caller's transaction (at its commit); outside one, at once. */
  async append<T extends EventType>(db: EntityManager, event: NewEvent<T>, at: Date): Promise<AnyDomainEvent> {
    const appended = {
      seq: 0,
      type: event.type,
      at: at.toISOString(),
      ...(event.ticketId ? { ticketId: event.ticketId } : {}),
      ...(event.alarmId ? { alarmId: event.alarmId } : {}),
      data: event.data,
    } as AnyDomainEvent;
    const runner = db.queryRunner;
    if (runner?.isTransactionActive) {
      const list = this.pending.get(runner) ?? [];
      list.push({ event, at, appended, depth: depthOf(runner) });
      this.pending.set(runner, list);
    } else {
      [appended.seq] = await this.write(db, [{ event, at }]);
    }
    return appended;
  }

  /** Before the commit: the transaction's events, in the order they were appended. */
  async beforeTransactionCommit(commit: TransactionCommitEvent): Promise<void> {
    const runner = commit.queryRunner;
    const depth = depthOf(runner);
    const list = this.pending.get(runner);
    if (!list?.length) return;
    if (depth > 1) {
      // A savepoint released: its events belong to the transaction around it.
      for (const one of list) one.depth = Math.min(one.depth, depth - 1);
      return;
    }
    this.pending.delete(runner);
    const seqs = await this.write(commit.manager, list);
    list.forEach((one, index) => (one.appended.seq = seqs[index]));
  }

  beforeTransactionRollback(rollback: TransactionRollbackEvent): void {
    const runner = rollback.queryRunner;
    const depth = depthOf(runner);
    const list = this.pending.get(runner);
    if (!list) return;
    const kept = list.filter((one) => one.depth < depth);
    if (kept.length) this.pending.set(runner, kept);
    else this.pending.delete(runner);
  }

  /** Writes events in order; their seqs, in the same order. */
  private async write(db: EntityManager, events: ReadonlyArray<{ event: NewEvent<EventType>; at: Date }>): Promise<number[]> {
    const rows = events.map(({ event, at }) => ({
      type: event.type,
      data: event.data,
      ticket_id: event.ticketId ?? null,
      alarm_id: event.alarmId ?? null,
      actor: event.actor ?? null,
      at: at.toISOString(),
      rooms: roomsForEvent(event),
    }));
    const written = await db.query<Array<{ seq: string }>>(APPEND_SQL, [EVENT_LOG_APPEND_LOCK, JSON.stringify(rows), EVENT_LOG_CHANNEL]);
    return written.map((row) => Number(row.seq));
  }

  async lastSeq(): Promise<number> {
    const [row] = await this.dataSource.query<Array<{ last: string }>>('SELECT coalesce(max(seq), 0) AS last FROM event_log');
    return Number(row.last);
  }

  /**
   * The log after `afterSeq` (up to `throughSeq` when given) in seq order, limited to what
   * `actor` may see (the scope rule). The upper bound keeps a scoped read from scanning past
   * the span a replay may cover.
   */
  async after(afterSeq: number, limit: number, actor: Actor, throughSeq?: number): Promise<AnyDomainEvent[]> {
    const query = this.dataSource.getRepository(EventLogEntity).createQueryBuilder('e');
    // Access records (sign-ins, revocations) only for managers and admins.
    if (!hasPermission(actor.role, 'access.read')) query.andWhere(`e.type NOT LIKE 'access.%'`);
    // The rooms the event was pushed to at the time, and the reader's rooms: a replay is exactly
    // what the reader's sockets were (or would have been) sent live, for a ticket moved since too.
    query.andWhere('e.rooms && (:rooms)::text[]', { rooms: roomsForActor(actor) });
    query.andWhere('e.seq > :afterSeq', { afterSeq });
    if (throughSeq !== undefined) query.andWhere('e.seq <= :throughSeq', { throughSeq });
    const rows = await query.orderBy('e.seq', 'ASC').take(limit).getMany();
    return rows.map(toDomainEvent);
  }

  async forTicket(ticketId: string): Promise<AnyDomainEvent[]> {
    const rows = await this.dataSource.getRepository(EventLogEntity).find({
      where: { ticketId },
      order: { seq: 'ASC' },
    });
    return rows.map(toDomainEvent);
  }
}
