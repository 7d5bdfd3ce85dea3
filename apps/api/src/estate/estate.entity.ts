import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { BusinessCalendar, Department, WarrantyYears } from '@dispatch/domain';

@Entity('estate')
export class EstateEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  /** The estate's calendar: business-hours clocks and local dates are computed in it. */
  @Column({ type: 'text', default: 'Asia/Shanghai' })
  timezone!: string;

  /** Opening hours and holidays: business-hours clocks run on it. */
  @Column({ type: 'jsonb', nullable: true })
  calendar!: BusinessCalendar | null;

  /** Warranty years per category (the estate's contract); null: the national defaults. */
  @Column({ name: 'warranty_years', type: 'jsonb', nullable: true })
  warrantyYears!: WarrantyYears | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

@Entity('unit')
@Index(['estateId', 'code'], { unique: true })
export class UnitEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'estate_id', type: 'uuid' })
  estateId!: string;

  @ManyToOne(() => EstateEntity)
  @JoinColumn({ name: 'estate_id' })
  estate?: EstateEntity;

  @Column({ type: 'text' })
  code!: string;

  @Column({ type: 'int' })
  building!: number;

  @Column({ type: 'int' })
  entrance!: number;

  @Column({ type: 'int' })
  floor!: number;

  @Column({ type: 'text' })
  room!: string;

  /** Personal data: never logged, masked for roles that do not need it. */
  @Column({ name: 'owner_name', type: 'text', nullable: true })
  ownerName!: string | null;

  @Column({ name: 'owner_phone', type: 'text', nullable: true })
  ownerPhone!: string | null;

  /** 交房日期: the developer's warranty runs from this local date; null when not on file. */
  @Column({ name: 'handover_date', type: 'date', nullable: true })
  handoverDate!: string | null;

  /** 重点住户: the front desk greets them by name. */
  @Column({ name: 'key_owner', type: 'boolean', default: false })
  keyOwner!: boolean;
}

@Entity('public_area')
@Index(['estateId', 'code'], { unique: true })
export class PublicAreaEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'estate_id', type: 'uuid' })
  estateId!: string;

  @Column({ type: 'text' })
  code!: string;

  @Column({ name: 'name_zh', type: 'text' })
  nameZh!: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn!: string;
}

export const STAFF_ROLES = ['dispatcher', 'field', 'supervisor', 'manager', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

@Entity('staff')
export class StaffEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'estate_id', type: 'uuid' })
  estateId!: string;

  @Column({ type: 'text', unique: true })
  username!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  role!: StaffRole;

  @Column({ type: 'text', nullable: true })
  department!: Department | null;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ name: 'on_duty', type: 'boolean', default: true })
  onDuty!: boolean;
}
