import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AlarmKind, AlarmOutcome, AlarmProcedure, Department, PanelEventMeaning, PanelProtocol, ProcedureView, Severity } from '@dispatch/domain';

/** A device that reports alarms, at a unit or a public area; its key is stored as a SHA-256 hash. */
@Entity('device')
export class DeviceEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'estate_id', type: 'uuid' })
  estateId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'unit_id', type: 'uuid', nullable: true })
  unitId!: string | null;

  @Column({ name: 'area_id', type: 'uuid', nullable: true })
  areaId!: string | null;

  @Column({ name: 'key_hash', type: 'text' })
  keyHash!: string;

  @Column({ name: 'key_rotated_at', type: 'timestamptz' })
  keyRotatedAt!: Date;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /** The last message of any kind (alarm, restore, link test, heartbeat). */
  @Column({ name: 'last_seen_at', type: 'timestamptz', nullable: true })
  lastSeenAt!: Date | null;

  /** How often the device promises a link test or heartbeat (NULL: not supervised). */
  @Column({ name: 'test_interval_seconds', type: 'integer', nullable: true })
  testIntervalSeconds!: number | null;

  /** Set when a missed test raised a fault; cleared by the next message. */
  @Column({ name: 'offline_since', type: 'timestamptz', nullable: true })
  offlineSince!: Date | null;
}

/** The alarm side of a ticket of kind `alarm` (same id). */
@Entity('alarm')
export class AlarmEntity {
  @PrimaryColumn({ name: 'ticket_id', type: 'uuid' })
  ticketId!: string;

  @Column({ name: 'device_id', type: 'text' })
  deviceId!: string;

  @Column({ name: 'alarm_kind', type: 'text' })
  alarmKind!: AlarmKind;

  @Column({ type: 'int' })
  severity!: Severity;

  @Column({ type: 'text', array: true })
  departments!: Department[];

  @Column({ type: 'int', default: 1 })
  count!: number;

  @Column({ name: 'first_seen_at', type: 'timestamptz' })
  firstSeenAt!: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt!: Date;

  /** When the device says it saw the event (its own clock); receipt is firstSeenAt. */
  @Column({ name: 'occurred_at', type: 'timestamptz', nullable: true })
  occurredAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  outcome!: AlarmOutcome | null;

  @Column({ name: 'outcome_reason', type: 'text', nullable: true })
  outcomeReason!: string | null;

  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true })
  acknowledgedAt!: Date | null;

  @Column({ name: 'acknowledged_by', type: 'uuid', nullable: true })
  acknowledgedBy!: string | null;

  /** The tone is muted until then; the mute ends by itself. */
  @Column({ name: 'muted_until', type: 'timestamptz', nullable: true })
  mutedUntil!: Date | null;

  @Column({ name: 'muted_by', type: 'uuid', nullable: true })
  mutedBy!: string | null;

  /** The procedure (SOP) it was opened under, with its steps done (null: opened before procedures). */
  @Column({ type: 'jsonb', nullable: true })
  procedure!: ProcedureView | null;

  /** When the detector reported back to normal while the alarm was open. */
  @Column({ name: 'restored_at', type: 'timestamptz', nullable: true })
  restoredAt!: Date | null;
}

/** An estate's own procedure for an alarm kind (an admin's edit of the default in libs/domain). */
@Entity('alarm_procedure')
export class AlarmProcedureEntity {
  @PrimaryColumn({ name: 'estate_id', type: 'uuid' })
  estateId!: string;

  @PrimaryColumn({ name: 'alarm_kind', type: 'text' })
  alarmKind!: AlarmKind;

  @Column({ type: 'jsonb' })
  procedure!: AlarmProcedure;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy!: string | null;
}

@Entity('alarm_delivery')
export class AlarmDeliveryEntity {
  @PrimaryColumn({ name: 'device_id', type: 'text' })
  deviceId!: string;

  @PrimaryColumn({ name: 'event_id', type: 'text' })
  eventId!: string;

  @Column({ name: 'ticket_id', type: 'uuid' })
  ticketId!: string;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;
}

/** An alarm panel reporting over DC-09 (a receiving account), at a unit or area through its own device row. */
@Entity('alarm_account')
export class AlarmAccountEntity {
  /** The account number the panel sends (`#1234`), upper-case hex. */
  @PrimaryColumn({ type: 'text' })
  account!: string;

  /** The panel itself as a device: zones without a device of their own report through it. */
  @Column({ name: 'device_id', type: 'text' })
  deviceId!: string;

  /** AES key (hex, 16/24/32 bytes) when the panel encrypts; null: plain messages. */
  @Column({ name: 'encryption_key', type: 'text', nullable: true })
  encryptionKey!: string | null;
}

/** A zone of a panel mapped to the device (detector) it is, hence its place. */
@Entity('alarm_zone')
export class AlarmZoneEntity {
  @PrimaryColumn({ type: 'text' })
  account!: string;

  @PrimaryColumn({ type: 'text' })
  zone!: string;

  @Column({ name: 'device_id', type: 'text' })
  deviceId!: string;
}

/** An estate's own meaning for a panel event code (Contact ID `130`, SIA `BA`), set by an admin. */
@Entity('alarm_code')
export class AlarmCodeEntity {
  @PrimaryColumn({ type: 'text' })
  protocol!: PanelProtocol;

  @PrimaryColumn({ type: 'text' })
  code!: string;

  @Column({ type: 'jsonb' })
  meaning!: PanelEventMeaning;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy!: string | null;
}
