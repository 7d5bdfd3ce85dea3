import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Department, HandoverDraft } from '@dispatch/domain';

/** 交接班: one shift's handover, submitted by the outgoing desk and signed by the incoming one. */
@Entity('handover')
export class HandoverEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  department!: Department;

  /** The record as it stood at submission (open tickets, promises, muted alarms, devices offline). */
  @Column({ type: 'jsonb' })
  draft!: HandoverDraft;

  @Column({ type: 'text', nullable: true })
  notes!: string | null;

  @Column({ name: 'submitted_by', type: 'uuid' })
  submittedBy!: string;

  @Column({ name: 'submitted_at', type: 'timestamptz' })
  submittedAt!: Date;

  @Column({ name: 'signed_by', type: 'uuid', nullable: true })
  signedBy!: string | null;

  @Column({ name: 'signed_at', type: 'timestamptz', nullable: true })
  signedAt!: Date | null;

  @Column({ name: 'sign_note', type: 'text', nullable: true })
  signNote!: string | null;

  @Column({ name: 'alerted_at', type: 'timestamptz', nullable: true })
  alertedAt!: Date | null;
}
