import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ResidentRole } from '@dispatch/domain';

/** A person of a unit in the owner archive. Personal data: never logged, masked on screens. */
@Entity('resident')
export class ResidentEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'unit_id', type: 'uuid' })
  unitId!: string;

  @Column({ type: 'text' })
  role!: ResidentRole;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', nullable: true })
  phone!: string | null;

  /** The phone's digits: what an exact search by a caller's number compares. */
  @Column({ name: 'phone_digits', type: 'text', nullable: true })
  phoneDigits!: string | null;

  @Column({ type: 'text', nullable: true })
  wechat!: string | null;

  @Column({ name: 'preferred_contact_time', type: 'text', nullable: true })
  preferredContactTime!: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  vehicles!: string[];

  @Column({ type: 'text', nullable: true })
  pets!: string | null;

  @Column({ name: 'household_notes', type: 'text', nullable: true })
  householdNotes!: string | null;

  @Column({ name: 'emergency_contact', type: 'text', nullable: true })
  emergencyContact!: string | null;

  @Column({ name: 'key_owner', type: 'boolean', default: false })
  keyOwner!: boolean;

  @Column({ name: 'key_owner_reason', type: 'text', nullable: true })
  keyOwnerReason!: string | null;

  @Column({ type: 'text', nullable: true })
  greeting!: string | null;

  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true })
  verifiedAt!: Date | null;

  @Column({ name: 'moved_out_at', type: 'timestamptz', nullable: true })
  movedOutAt!: Date | null;

  @Column({ type: 'int', default: 1 })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
