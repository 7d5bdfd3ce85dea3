import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ClockKind, Department, Priority, SlaPolicy, TicketKind } from '@dispatch/domain';

/** One row of the policy table (see DEFAULT_SLA_POLICIES for the seeds' values). */
@Entity('sla_policy')
export class SlaPolicyEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  clock!: ClockKind;

  @Column({ type: 'text', nullable: true })
  kind!: TicketKind | null;

  @Column({ type: 'text', nullable: true })
  department!: Department | null;

  @Column({ name: 'in_unit', type: 'boolean', nullable: true })
  inUnit!: boolean | null;

  @Column({ name: 'in_warranty', type: 'boolean', nullable: true })
  inWarranty!: boolean | null;

  @Column({ type: 'text', nullable: true })
  priority!: Priority | null;

  @Column({ name: 'duration_seconds', type: 'int' })
  durationSeconds!: number;

  @Column({ name: 'business_hours', type: 'boolean' })
  businessHours!: boolean;

  // numeric arrives from pg as a string.
  @Column({ name: 'warning_share', type: 'numeric', transformer: { to: (value: number) => value, from: (value: string) => Number(value) } })
  warningShare!: number;

  @Column({ name: 'escalation_seconds', type: 'int' })
  escalationSeconds!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

export function toSlaPolicy(row: SlaPolicyEntity): SlaPolicy {
  return {
    id: row.id,
    clock: row.clock,
    kind: row.kind,
    department: row.department,
    inUnit: row.inUnit,
    inWarranty: row.inWarranty,
    priority: row.priority,
    durationSeconds: row.durationSeconds,
    businessHours: row.businessHours,
    warningShare: row.warningShare,
    escalationSeconds: row.escalationSeconds,
  };
}
