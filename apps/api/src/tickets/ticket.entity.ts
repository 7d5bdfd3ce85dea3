import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type {
  Category,
  Channel,
  ClockKind,
  Department,
  DocumentKind,
  Priority,
  RepairFacts,
  TicketKind,
  TicketStatus,
} from '@dispatch/domain';

export type RepairFlags = RepairFacts;

@Entity('ticket')
@Index('ticket_status_received_idx', ['status', 'receivedAt'])
export class TicketEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** What people read out on the phone: local date and a running number, e.g. 261123-0042. */
  @Column({ type: 'text', unique: true })
  number!: string;

  @Column({ name: 'estate_id', type: 'uuid' })
  estateId!: string;

  @Column({ type: 'text' })
  kind!: TicketKind;

  @Column({ type: 'text' })
  category!: Category;

  @Column({ type: 'text' })
  channel!: Channel;

  @Column({ type: 'text' })
  priority!: Priority;

  @Column({ type: 'text' })
  status!: TicketStatus;

  @Column({ type: 'text' })
  department!: Department;

  @Column({ name: 'unit_id', type: 'uuid', nullable: true })
  unitId!: string | null;

  @Column({ name: 'area_id', type: 'uuid', nullable: true })
  areaId!: string | null;

  /** The unit code (`4-2-301`) or the area code, as the caller gave it. */
  @Column({ name: 'location_code', type: 'text' })
  locationCode!: string;

  /** Denormalised label of the location (unit code or area name) for lists and boards. */
  @Column({ name: 'location_label', type: 'text' })
  locationLabel!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ name: 'reporter_name', type: 'text', nullable: true })
  reporterName!: string | null;

  @Column({ name: 'reporter_phone', type: 'text', nullable: true })
  reporterPhone!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  repair!: RepairFlags | null;

  @Column({ name: 'idempotency_key', type: 'text', nullable: true, unique: true })
  idempotencyKey!: string | null;

  @Column({ type: 'int', default: 1 })
  version!: number;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'assignee_id', type: 'uuid', nullable: true })
  assigneeId!: string | null;

  /** Where `resume` returns a waiting ticket to. */
  @Column({ name: 'resume_status', type: 'text', nullable: true })
  resumeStatus!: TicketStatus | null;

  /** The time agreed with the owner when the work had to wait. */
  @Column({ name: 'agreed_at', type: 'timestamptz', nullable: true })
  agreedAt!: Date | null;

  /** The earlier report this one repeats (which made it a complaint). */
  @Column({ name: 'repeat_of', type: 'uuid', nullable: true })
  repeatOf!: string | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ name: 'reopen_count', type: 'int', default: 0 })
  reopenCount!: number;

  /** Departments besides `department` an alarm is routed to (fire: security and engineering). */
  @Column({ name: 'also_departments', type: 'text', array: true, default: () => "'{}'" })
  alsoDepartments!: Department[];

  /** The alarm this repair was raised from, when a real alarm needed fixing. */
  @Column({ name: 'source_alarm_id', type: 'uuid', nullable: true })
  sourceAlarmId!: string | null;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  /** The first dispatch, completion and callback, written with the step (what the reports read). */
  @Column({ name: 'first_dispatched_at', type: 'timestamptz', nullable: true })
  firstDispatchedAt!: Date | null;

  @Column({ name: 'first_completed_at', type: 'timestamptz', nullable: true })
  firstCompletedAt!: Date | null;

  @Column({ name: 'first_callback_at', type: 'timestamptz', nullable: true })
  firstCallbackAt!: Date | null;

  @Column({ name: 'callback_reached', type: 'boolean', nullable: true })
  callbackReached!: boolean | null;

  @Column({ name: 'callback_satisfaction', type: 'text', nullable: true })
  callbackSatisfaction!: string | null;

  /** When the desk began taking the call (null: not recorded, as for alarms and older tickets). */
  @Column({ name: 'intake_started_at', type: 'timestamptz', nullable: true })
  intakeStartedAt!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity('ticket_clock')
export class TicketClockEntity {
  @PrimaryColumn({ name: 'ticket_id', type: 'uuid' })
  ticketId!: string;

  @PrimaryColumn({ type: 'text' })
  clock!: ClockKind;

  /** 1 for the first run of this clock on the ticket; restarts count up. */
  @PrimaryColumn({ type: 'int' })
  round!: number;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'warn_at', type: 'timestamptz' })
  warnAt!: Date;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ name: 'escalate_at', type: 'timestamptz' })
  escalateAt!: Date;

  @Column({ name: 'business_hours', type: 'boolean', default: false })
  businessHours!: boolean;

  @Column({ name: 'warned_at', type: 'timestamptz', nullable: true })
  warnedAt!: Date | null;

  @Column({ name: 'breached_at', type: 'timestamptz', nullable: true })
  breachedAt!: Date | null;

  @Column({ name: 'escalated_at', type: 'timestamptz', nullable: true })
  escalatedAt!: Date | null;

  @Column({ name: 'met_at', type: 'timestamptz', nullable: true })
  metAt!: Date | null;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;

  /** The next mark (warning, due, escalation) still to fire; null once met, cancelled or fully fired. */
  @Column({ name: 'next_fire_at', type: 'timestamptz', nullable: true })
  nextFireAt!: Date | null;
}

@Entity('ticket_document')
export class TicketDocumentEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'ticket_id', type: 'uuid' })
  ticketId!: string;

  @Column({ type: 'text' })
  kind!: DocumentKind;

  @Column({ type: 'jsonb' })
  data!: Record<string, unknown>;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
