import { ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type Actor,
  ARCHIVE_COLUMNS,
  ARCHIVE_IMPORT_MAX_ROWS,
  type ArchiveColumn,
  archiveCells,
  archiveHeader,
  type ArchiveImportReport,
  archiveRow,
  changedResidentFields,
  type EventPayloads,
  RESIDENT_FIELDS,
  type ResidentField,
  type ResidentRecord,
  type SheetProblem,
} from '@dispatch/domain';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DataSource, type EntityManager } from 'typeorm';
import { flattenValidationErrors, InvalidInputException } from '../common/errors';
import { UnitEntity } from '../estate/estate.entity';
import { EstateService } from '../estate/estate.service';
import { eventActor } from '../events/event-actor';
import { EventBus } from '../events/event-bus';
import { EventLogService } from '../events/event-log.service';
import { columnsOf, mirrorOwners, present, recordOfRow } from './archive.service';
import { ResidentDto } from './dto/resident.dto';
import { ResidentEntity } from './resident.entity';
import { readSheet, type SheetFormat, sheetFormatOf, writeSheet } from '../common/sheet-file';

/** Imports take turns: two at once would each find a resident missing and add it twice. */
const IMPORT_LOCK = 'archive.import';

/** What the import will do with one good row. */
type Planned =
  | { action: 'create'; line: number; unitId: string; unit: string; record: ResidentRecord; verifiedOn: string | null }
  | { action: 'update'; line: number; unitId: string; unit: string; record: ResidentRecord; id: string; version: number; fields: ResidentField[] }
  | { action: 'keep'; line: number };

/**
 * The owner archive in and out as a spreadsheet (CSV or XLSX). An import reads every row first,
 * refuses the rows that are wrong (each with its line, the column and why), and writes all the
 * others in one transaction with one logged event, or nothing. A resident is the same person
 * as one on file when the unit and the name match; an import of the same file again changes
 * nothing. Columns the file has set the value (an empty cell clears it); columns it lacks are
 * left as they are.
 */
@Injectable()
export class ArchiveSheetService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly estates: EstateService,
    private readonly log: EventLogService,
    private readonly bus: EventBus,
  ) {}

  async import(file: Buffer, dryRun: boolean, actor: Actor): Promise<ArchiveImportReport> {
    const format = sheetFormatOf(file);
    const sheet = (await readSheet(file, format)).filter((cells) => cells.some((cell) => cell.trim() !== ''));
    if (sheet.length === 0) throw new InvalidInputException([{ field: 'file', reason: 'is empty' }]);
    const header = archiveHeader(sheet[0]);
    if (header.problems.length > 0) throw new InvalidInputException(header.problems.map((problem) => ({ field: `header.${problem.field}`, reason: problem.reason })));
    const rows = sheet.slice(1);
    if (rows.length > ARCHIVE_IMPORT_MAX_ROWS) throw new InvalidInputException([{ field: 'file', reason: `has ${rows.length} rows; at most ${ARCHIVE_IMPORT_MAX_ROWS} at a time` }]);

    if (dryRun) return (await this.plan(this.dataSource.manager, header.columns, rows)).report(true);
    const { report, event } = await this.dataSource.transaction(async (db) => {
      await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [IMPORT_LOCK]);
      const plan = await this.plan(db, header.columns, rows);
      const changes = await this.write(db, plan.planned);
      const done = plan.report(false);
      const data: EventPayloads['archive.imported'] = {
        format,
        rows: done.rows,
        created: done.created,
        updated: done.updated,
        unchanged: done.unchanged,
        refused: done.refused.length,
        changes,
        actor: eventActor(actor),
      };
      return { report: done, event: await this.log.append(db, { type: 'archive.imported', actor: actor.id, data }, new Date()) };
    });
    this.bus.published([event]);
    return report;
  }

  /** Every current record in full, as a spreadsheet in the user's language; logged with the reason. */
  async export(format: SheetFormat, locale: 'zh' | 'en', reason: string, actor: Actor): Promise<{ file: Buffer; records: number }> {
    const estate = await this.estates.current();
    const { rows, event } = await this.dataSource.transaction(async (db) => {
      const found = await db
        .createQueryBuilder(ResidentEntity, 'r')
        .innerJoin(UnitEntity, 'u', 'u.id = r.unit_id')
        .addSelect('u.code', 'unit_code')
        .where('u.estate_id = :estate AND r.moved_out_at IS NULL', { estate: estate.id })
        .orderBy('u.code')
        .addOrderBy('r.created_at')
        .getRawAndEntities();
      const cells = found.entities.map((row, index) =>
        archiveCells({ ...recordOfRow(row), unit: (found.raw[index] as { unit_code: string }).unit_code, verifiedAt: row.verifiedAt?.toISOString() ?? null }, locale),
      );
      const appended = await this.log.append(db, { type: 'archive.exported', actor: actor.id, data: { format, records: cells.length, reason, actor: eventActor(actor) } }, new Date());
      return { rows: cells, event: appended };
    });
    this.bus.published([event]);
    const header = ARCHIVE_COLUMNS.map((column) => column.label[locale]);
    return { file: await writeSheet(header, rows, format, locale === 'zh' ? '业主档案' : 'Residents'), records: rows.length };
  }

  /** 档案信息准确率: current records verified within `months`, over all current records. */
  async accuracy(months: number): Promise<{ months: number; verified: number; current: number; rate: number | null }> {
    const estate = await this.estates.current();
    const [row] = await this.dataSource.query<Array<{ verified: string; current: string }>>(
      `SELECT count(*) FILTER (WHERE r.verified_at >= now() - make_interval(months => $2)) AS verified, count(*) AS current
         FROM resident r JOIN unit u ON u.id = r.unit_id
        WHERE u.estate_id = $1 AND r.moved_out_at IS NULL`,
      [estate.id, months],
    );
    const current = Number(row.current);
    const verified = Number(row.verified);
    return { months, verified, current, rate: current === 0 ? null : verified / current };
  }

  /** Reads every row against the archive as it is now: what each good row does, and why the others are refused. */
  private async plan(db: EntityManager, columns: ReadonlyArray<ArchiveColumn | null>, rows: string[][]) {
    const estate = await this.estates.current();
    const units = new Map((await db.find(UnitEntity, { where: { estateId: estate.id }, select: { id: true, code: true } })).map((unit) => [unit.code, unit.id]));
    const onFile = new Map<string, ResidentEntity>();
    const current = await db
      .createQueryBuilder(ResidentEntity, 'r')
      .innerJoin(UnitEntity, 'u', 'u.id = r.unit_id')
      .where('u.estate_id = :estate AND r.moved_out_at IS NULL', { estate: estate.id })
      .orderBy('r.created_at', 'ASC')
      .getMany();
    for (const row of current) if (!onFile.has(personKey(row.unitId, row.name))) onFile.set(personKey(row.unitId, row.name), row);
    // The fields the file speaks for: its columns, less the unit and the verification date.
    const given = RESIDENT_FIELDS.filter((field) => columns.includes(field));

    const planned: Planned[] = [];
    const refused: ArchiveImportReport['refused'] = [];
    const seen = new Map<string, number>();
    for (const [index, cells] of rows.entries()) {
      const line = index + 2;
      const read = archiveRow(columns, cells);
      const problems: SheetProblem[] = [...read.problems];
      const unitId = read.unit ? units.get(read.unit) : undefined;
      if (read.unit && !unitId) problems.push({ field: 'unit', reason: `there is no unit ${read.unit.slice(0, 20)} in this estate` });
      const body = plainToInstance(ResidentDto, read.resident);
      for (const problem of flattenValidationErrors(await validate(body, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: false, value: false } }))) {
        if (!problems.some((known) => known.field === problem.field)) problems.push(problem);
      }
      if (read.resident.keyOwner && !read.resident.keyOwnerReason) problems.push({ field: 'keyOwnerReason', reason: 'a key owner (重点住户) is marked with the reason' });
      const key = unitId && read.resident.name ? personKey(unitId, read.resident.name) : null;
      if (key && seen.has(key)) problems.push({ field: 'name', reason: `the same resident as row ${seen.get(key)}` });
      if (problems.length > 0 || !unitId || !key || !read.unit) {
        refused.push({ row: line, unit: read.unit, problems });
        continue;
      }
      seen.set(key, line);
      const existing = onFile.get(key);
      const fromFile = Object.fromEntries(given.map((field) => [field, read.resident[field] ?? blank(field)])) as Partial<ResidentRecord>;
      if (!existing) {
        planned.push({ action: 'create', line, unitId, unit: read.unit, record: { ...blankRecord(), ...fromFile }, verifiedOn: read.verifiedOn });
        continue;
      }
      const before = recordOfRow(existing);
      const after = { ...before, ...fromFile };
      const fields = changedResidentFields(before, after);
      planned.push(fields.length === 0 ? { action: 'keep', line } : { action: 'update', line, unitId, unit: read.unit, record: after, id: existing.id, version: existing.version, fields });
    }
    const count = (action: Planned['action']) => planned.filter((one) => one.action === action).length;
    return {
      planned,
      report: (dryRun: boolean): ArchiveImportReport => ({ dryRun, rows: rows.length, created: count('create'), updated: count('update'), unchanged: count('keep'), refused }),
    };
  }

  /** The planned rows written in two statements, the units' owners mirrored; what changed, for the log. */
  private async write(db: EntityManager, planned: Planned[]): Promise<EventPayloads['archive.imported']['changes']> {
    const now = new Date();
    const creates = planned.filter((one) => one.action === 'create');
    const updates = planned.filter((one) => one.action === 'update');
    const changes: EventPayloads['archive.imported']['changes'] = [];
    const RECORD_COLUMNS = `role text, name text, phone text, phone_digits text, wechat text, preferred_contact_time text, vehicles text[], pets text,
      household_notes text, emergency_contact text, key_owner boolean, key_owner_reason text, greeting text`;
    if (creates.length > 0) {
      const created = await db.query<Array<{ id: string }>>(
        `INSERT INTO resident (unit_id, role, name, phone, phone_digits, wechat, preferred_contact_time, vehicles, pets, household_notes, emergency_contact,
                               key_owner, key_owner_reason, greeting, verified_at, moved_out_at, version, created_at, updated_at)
         SELECT x.unit_id, x.role, x.name, x.phone, x.phone_digits, x.wechat, x.preferred_contact_time, x.vehicles, x.pets, x.household_notes, x.emergency_contact,
                x.key_owner, x.key_owner_reason, x.greeting, x.verified_at, NULL, 1, $2::timestamptz + (x.ord * interval '1 microsecond'), $2::timestamptz
           FROM jsonb_to_recordset($1::jsonb) AS x(ord int, unit_id uuid, verified_at timestamptz, ${RECORD_COLUMNS})
          ORDER BY x.ord
         RETURNING id`,
        // Created in file order (created_at a microsecond apart): a unit's first owner stays the first row.
        [JSON.stringify(creates.map((one, ord) => ({ ord, unit_id: one.unitId, verified_at: one.verifiedOn, ...rowOf(one.record) }))), now],
      );
      creates.forEach((one, index) => changes.push({ resident: { id: created[index].id, unit: one.unit, role: one.record.role }, fields: RESIDENT_FIELDS.filter((field) => present(one.record[field])), created: true }));
    }
    if (updates.length > 0) {
      // Only rows still at the version read: an edit made meanwhile fails the whole import (409), never half of it.
      const [, count] = await db.query(
        `UPDATE resident r SET role = x.role, name = x.name, phone = x.phone, phone_digits = x.phone_digits, wechat = x.wechat,
                preferred_contact_time = x.preferred_contact_time, vehicles = x.vehicles, pets = x.pets, household_notes = x.household_notes,
                emergency_contact = x.emergency_contact, key_owner = x.key_owner, key_owner_reason = x.key_owner_reason, greeting = x.greeting,
                version = r.version + 1, updated_at = $2::timestamptz
           FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, version int, ${RECORD_COLUMNS})
          WHERE r.id = x.id AND r.version = x.version AND r.moved_out_at IS NULL`,
        [JSON.stringify(updates.map((one) => ({ id: one.id, version: one.version, ...rowOf(one.record) }))), now],
      );
      if (count !== updates.length) throw new ConflictException('Residents in the file were edited while it was imported; nothing was imported, import it again');
      for (const one of updates) changes.push({ resident: { id: one.id, unit: one.unit, role: one.record.role }, fields: one.fields, created: false });
    }
    await mirrorOwners(db, [...new Set([...creates, ...updates].map((one) => one.unitId))]);
    return changes;
  }
}

const personKey = (unitId: string, name: string) => `${unitId}|${name.trim()}`;

/** What an empty cell means for a field: nothing on file. */
function blank(field: ResidentField): ResidentRecord[ResidentField] {
  if (field === 'vehicles') return [];
  if (field === 'keyOwner') return false;
  if (field === 'role') return 'owner';
  return null;
}

function blankRecord(): ResidentRecord {
  return Object.fromEntries(RESIDENT_FIELDS.map((field) => [field, blank(field)])) as unknown as ResidentRecord;
}

/** A record as the columns of its row (snake_case, the phone's digits beside it). */
function rowOf(record: ResidentRecord): Record<string, unknown> {
  const columns = columnsOf(record);
  return {
    role: columns.role,
    name: columns.name,
    phone: columns.phone,
    phone_digits: columns.phoneDigits,
    wechat: columns.wechat,
    preferred_contact_time: columns.preferredContactTime,
    vehicles: columns.vehicles,
    pets: columns.pets,
    household_notes: columns.householdNotes,
    emergency_contact: columns.emergencyContact,
    key_owner: columns.keyOwner,
    key_owner_reason: columns.keyOwnerReason,
    greeting: columns.greeting,
  };
}
