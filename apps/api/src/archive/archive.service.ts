import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type Actor,
  changedResidentFields,
  maskResident,
  type OwnerCard,
  phoneDigits,
  RESIDENT_FIELDS,
  type ResidentField,
  type ResidentRecord,
  type ResidentView,
} from '@dispatch/domain';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { invalidField } from '../common/errors';
import { UnitEntity } from '../estate/estate.entity';
import { EstateService } from '../estate/estate.service';
import { EventBus } from '../events/event-bus';
import { EventLogService } from '../events/event-log.service';
import { eventActor } from '../events/event-actor';
import type { ResidentDto, ResidentEditDto } from './dto/resident.dto';
import { ResidentEntity } from './resident.entity';

/** Statuses a ticket is no longer open in. */
const FINISHED = ['closed', 'cancelled'];

/**
 * The owner archive. Every change is an event naming who and which fields, never the values;
 * every full read is a reveal with a reason, logged. The unit's owner columns (read by the
 * lookup, callbacks and search) mirror its first current owner, written in the same transaction.
 */
@Injectable()
export class ArchiveService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly estates: EstateService,
    private readonly log: EventLogService,
    private readonly bus: EventBus,
  ) {}

  async list(unitCode: string, withMovedOut: boolean): Promise<ResidentView[]> {
    const unit = await this.unit(this.dataSource.manager, unitCode);
    const rows = await this.dataSource.getRepository(ResidentEntity).find({ where: { unitId: unit.id, ...(withMovedOut ? {} : { movedOutAt: IsNull() }) }, order: { createdAt: 'ASC' } });
    return rows.map((row) => maskResident(viewOf(row, unit.code)));
  }

  async create(unitCode: string, body: ResidentDto, actor: Actor): Promise<ResidentView> {
    const record = recordOf(body);
    checkKeyOwner(record);
    const now = new Date();
    return this.commit(async (db) => {
      const unit = await this.unit(db, unitCode, true);
      const row = await db.save(ResidentEntity, db.create(ResidentEntity, { ...columnsOf(record), unitId: unit.id, verifiedAt: now, movedOutAt: null, version: 1, createdAt: now, updatedAt: now }));
      const fields = RESIDENT_FIELDS.filter((field) => present(record[field]));
      return { row, unit, event: { type: 'resident.created' as const, fields } };
    }, actor, now);
  }

  async edit(id: string, body: ResidentEditDto, actor: Actor): Promise<ResidentView> {
    const now = new Date();
    return this.commit(async (db) => {
      const row = await this.resident(db, id);
      if (row.version !== body.version) throw new ConflictException(`Stale version: you saw ${body.version}, the record is at ${row.version}`);
      if (row.movedOutAt) throw new ConflictException('This resident has moved out');
      const before = recordOfRow(row);
      const after = { ...before, ...definedOf(body) };
      if (!after.name) throw invalidField('name', 'a resident has a name');
      checkKeyOwner(after);
      const fields = changedResidentFields(before, after);
      Object.assign(row, columnsOf(after), { version: row.version + 1, updatedAt: now });
      await db.save(ResidentEntity, row);
      return { row, unit: await db.findOneByOrFail(UnitEntity, { id: row.unitId }), event: { type: 'resident.updated' as const, fields } };
    }, actor, now);
  }

  async moveOut(id: string, reason: string | undefined, actor: Actor): Promise<ResidentView> {
    const now = new Date();
    return this.commit(async (db) => {
      const row = await this.resident(db, id);
      if (row.movedOutAt) throw new ConflictException('This resident has already moved out');
      Object.assign(row, { movedOutAt: now, version: row.version + 1, updatedAt: now });
      await db.save(ResidentEntity, row);
      return { row, unit: await db.findOneByOrFail(UnitEntity, { id: row.unitId }), event: { type: 'resident.moved_out' as const, fields: [], reason } };
    }, actor, now);
  }

  /** 核对: someone confirmed the record with the resident today (档案信息准确率). */
  async verify(id: string, actor: Actor): Promise<ResidentView> {
    const now = new Date();
    return this.commit(async (db) => {
      const row = await this.resident(db, id);
      Object.assign(row, { verifiedAt: now, version: row.version + 1, updatedAt: now });
      await db.save(ResidentEntity, row);
      return { row, unit: await db.findOneByOrFail(UnitEntity, { id: row.unitId }), event: { type: 'resident.verified' as const, fields: [] } };
    }, actor, now);
  }

  /** The record in full, for a reason that is logged with who read it. */
  async reveal(id: string, reason: string, actor: Actor): Promise<ResidentView> {
    const now = new Date();
    const { view, event } = await this.dataSource.transaction(async (db) => {
      const row = await this.resident(db, id, false);
      const unit = await db.findOneByOrFail(UnitEntity, { id: row.unitId });
      const appended = await this.log.append(db, { type: 'resident.revealed', actor: actor.id, data: { resident: { id: row.id, unit: unit.code, role: row.role }, reason, actor: eventActor(actor) } }, now);
      return { view: { ...viewOf(row, unit.code), masked: false }, event: appended };
    });
    this.bus.published([event]);
    return view;
  }

  /** A caller recognised: current residents whose phone is exactly this one, or whose plates include this one. */
  async search(query: { phone?: string; plate?: string }): Promise<ResidentView[]> {
    if (!query.phone === !query.plate) throw invalidField('phone', 'give exactly one of phone or plate');
    const rows = await this.dataSource
      .getRepository(ResidentEntity)
      .createQueryBuilder('r')
      .where('r.moved_out_at IS NULL')
      .andWhere(query.phone ? 'r.phone_digits = :digits' : ':plate = ANY(r.vehicles)', query.phone ? { digits: phoneDigits(query.phone) } : { plate: query.plate })
      .orderBy('r.created_at', 'ASC')
      .limit(20)
      .getMany();
    const units = new Map((await this.dataSource.getRepository(UnitEntity).findBy(rows.map((row) => ({ id: row.unitId })))).map((unit) => [unit.id, unit.code]));
    return rows.map((row) => maskResident(viewOf(row, units.get(row.unitId) ?? '')));
  }

  /** The card of the unit with this code (GET /api/units/:code/card). */
  async cardOf(code: string): Promise<OwnerCard> {
    return this.cardOfUnit(this.dataSource.manager, await this.unit(this.dataSource.manager, code));
  }

  /** The unit's card: its current people (masked) and its tickets still open, with promises. */
  async card(db: EntityManager, unitId: string): Promise<OwnerCard> {
    return this.cardOfUnit(db, await db.findOneByOrFail(UnitEntity, { id: unitId }));
  }

  private async cardOfUnit(db: EntityManager, unit: UnitEntity): Promise<OwnerCard> {
    const unitId = unit.id;
    const residents = await db.find(ResidentEntity, { where: { unitId, movedOutAt: IsNull() }, order: { createdAt: 'ASC' } });
    const open = await db.query<Array<{ id: string; number: string; status: string; category: string; agreed_at: Date | null }>>(
      `SELECT id, number, status, category, agreed_at FROM ticket WHERE unit_id = $1 AND status <> ALL($2) ORDER BY received_at DESC LIMIT 20`,
      [unitId, FINISHED],
    );
    return {
      unit: unit.code,
      residents: residents.map((row) => maskResident(viewOf(row, unit.code))),
      open: open.map((row) => ({ id: row.id, number: row.number, status: row.status, category: row.category, agreedAt: row.agreed_at ? new Date(row.agreed_at).toISOString() : null })),
    };
  }

  /** One change: the row, the unit's mirror and the event, together. */
  private async commit(
    change: (db: EntityManager) => Promise<{ row: ResidentEntity; unit: UnitEntity; event: { type: 'resident.created' | 'resident.updated' | 'resident.moved_out' | 'resident.verified'; fields: ResidentField[]; reason?: string } }>,
    actor: Actor,
    now: Date,
  ): Promise<ResidentView> {
    const { view, event } = await this.dataSource.transaction(async (db) => {
      const { row, unit, event: what } = await change(db);
      await mirrorOwners(db, [unit.id]);
      const data = { resident: { id: row.id, unit: unit.code, role: row.role }, fields: what.fields, actor: eventActor(actor), ...(what.reason ? { reason: what.reason } : {}) };
      const appended = await this.log.append(db, { type: what.type, actor: actor.id, data }, now);
      return { view: maskResident(viewOf(row, unit.code)), event: appended };
    });
    this.bus.published([event]);
    return view;
  }

  private async unit(db: EntityManager, code: string, lock = false): Promise<UnitEntity> {
    const estate = await this.estates.current();
    const unit = await db.findOne(UnitEntity, { where: { estateId: estate.id, code }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!unit) throw new NotFoundException(`No unit ${code}`);
    return unit;
  }

  private async resident(db: EntityManager, id: string, lock = true): Promise<ResidentEntity> {
    const row = await db.findOne(ResidentEntity, { where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!row) throw new NotFoundException(`No resident ${id}`);
    return row;
  }
}

/** The units' owner columns follow each one's first current owner (read by the lookup, callbacks and search). */
export async function mirrorOwners(db: EntityManager, unitIds: readonly string[]): Promise<void> {
  if (unitIds.length === 0) return;
  await db.query(
    `UPDATE unit u SET owner_name = o.name, owner_phone = o.phone, key_owner = coalesce(o.key_owner, false)
       FROM unnest($1::uuid[]) AS x(unit_id)
       LEFT JOIN LATERAL (SELECT name, phone, key_owner FROM resident
                           WHERE unit_id = x.unit_id AND role = 'owner' AND moved_out_at IS NULL ORDER BY created_at LIMIT 1) o ON true
      WHERE u.id = x.unit_id`,
    [unitIds],
  );
}

/** A field that says something (what a created record's event names). */
export const present = (value: unknown) => value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0) && value !== false;

function checkKeyOwner(record: ResidentRecord): void {
  if (record.keyOwner && !record.keyOwnerReason) throw invalidField('keyOwnerReason', 'a key owner (重点住户) is marked with the reason');
}

function recordOf(body: Partial<ResidentDto>): ResidentRecord {
  return {
    role: body.role ?? 'owner',
    name: body.name ?? '',
    phone: body.phone ?? null,
    wechat: body.wechat ?? null,
    preferredContactTime: body.preferredContactTime ?? null,
    vehicles: body.vehicles ?? [],
    pets: body.pets ?? null,
    householdNotes: body.householdNotes ?? null,
    emergencyContact: body.emergencyContact ?? null,
    keyOwner: body.keyOwner ?? false,
    keyOwnerReason: body.keyOwnerReason ?? null,
    greeting: body.greeting ?? null,
  };
}

/** The fields an edit carries: absent ones stay; a null clears (vehicles to none, keyOwner to false). */
function definedOf(body: ResidentEditDto): Partial<ResidentRecord> {
  const changes: Partial<Record<keyof ResidentRecord, unknown>> = {};
  for (const field of RESIDENT_FIELDS) {
    const value = (body as unknown as Record<string, unknown>)[field];
    if (value === undefined) continue;
    changes[field] = value === null ? (field === 'vehicles' ? [] : field === 'keyOwner' ? false : null) : value;
  }
  return changes as Partial<ResidentRecord>;
}

export function recordOfRow(row: ResidentEntity): ResidentRecord {
  return {
    role: row.role,
    name: row.name,
    phone: row.phone,
    wechat: row.wechat,
    preferredContactTime: row.preferredContactTime,
    vehicles: row.vehicles,
    pets: row.pets,
    householdNotes: row.householdNotes,
    emergencyContact: row.emergencyContact,
    keyOwner: row.keyOwner,
    keyOwnerReason: row.keyOwnerReason,
    greeting: row.greeting,
  };
}

export function columnsOf(record: ResidentRecord): Partial<ResidentEntity> {
  return { ...record, phoneDigits: record.phone ? phoneDigits(record.phone) : null };
}

export function viewOf(row: ResidentEntity, unit: string): Omit<ResidentView, 'masked'> {
  return { id: row.id, unit, version: row.version, verifiedAt: row.verifiedAt?.toISOString() ?? null, movedOutAt: row.movedOutAt?.toISOString() ?? null, ...recordOfRow(row) };
}
