import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, type AnyDomainEvent, type EventPayloads, type EventType, hasPermission, roomsForActor, roomsForEvent } from '@dispatch/domain';
import { DataSource, type EntityManager } from 'typeorm';
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

export function toDomainEvent(row: EventLogEntity): AnyDomainEvent {
  return {
    seq: Number(row.seq),
    type: row.type,
    at: row.at.toISOString(),
    ...(row.ticketId ? { ticketId: row.ticketId } : {}),
    ...(row.alarmId ? { alarmId: row.alarmId } : {}),
    data: row.data,
  } as AnyDomainEvent;
}

@Injectable()
export class EventLogService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Appends inside the caller's transaction. The transaction-scoped advisory lock makes
   * appends commit in seq order, so a reader that saw seq N has seen every seq below N:
   * replay by `seq > lastSeen` can never skip a row that committed late. The lock is held
   * only from the append to the commit, so callers append last.
   */
  async append<T extends EventType>(db: EntityManager, event: NewEvent<T>, at: Date): Promise<AnyDomainEvent> {
    await db.query('SELECT pg_advisory_xact_lock($1)', [EVENT_LOG_APPEND_LOCK]);
    const row = db.create(EventLogEntity, {
      type: event.type,
      data: event.data,
      ticketId: event.ticketId ?? null,
      alarmId: event.alarmId ?? null,
      actor: event.actor ?? null,
      at,
      rooms: roomsForEvent(event),
    });
    const saved = toDomainEvent(await db.save(EventLogEntity, row));
    // Delivered at commit, once per transaction however many events it appended.
    await db.query('SELECT pg_notify($1, $2)', [EVENT_LOG_CHANNEL, String(saved.seq)]);
    return saved;
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
