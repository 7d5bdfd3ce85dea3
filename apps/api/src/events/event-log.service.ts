import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AnyDomainEvent, EventPayloads, EventType } from '@dispatch/domain';
import { DataSource, type EntityManager, MoreThan } from 'typeorm';
import { EventLogEntity } from './event-log.entity';

/** Any fixed number: serialises appends so commit order is seq order (see append). */
const EVENT_LOG_APPEND_LOCK = 727_002;

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
    });
    return toDomainEvent(await db.save(EventLogEntity, row));
  }

  async lastSeq(): Promise<number> {
    const [row] = await this.dataSource.query<Array<{ last: string }>>('SELECT coalesce(max(seq), 0) AS last FROM event_log');
    return Number(row.last);
  }

  async after(afterSeq: number, limit: number): Promise<AnyDomainEvent[]> {
    const rows = await this.dataSource.getRepository(EventLogEntity).find({
      where: { seq: MoreThan(String(afterSeq)) },
      order: { seq: 'ASC' },
      take: limit,
    });
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
