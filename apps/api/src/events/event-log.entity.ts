import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * 事事有记录: the append-only log every state change writes in its own transaction.
 * A database trigger refuses UPDATE and DELETE on it.
 */
@Entity('event_log')
export class EventLogEntity {
  // bigint arrives from pg as a string; the service converts it at the edge.
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  seq!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ name: 'ticket_id', type: 'uuid', nullable: true })
  ticketId!: string | null;

  @Column({ name: 'alarm_id', type: 'uuid', nullable: true })
  alarmId!: string | null;

  @Column({ type: 'text', nullable: true })
  actor!: string | null;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'jsonb' })
  data!: unknown;

  /** Who it is for: `roomsForEvent` at append, the rooms its push goes to and its replay is read by. */
  @Column({ type: 'text', array: true })
  rooms!: string[];
}
