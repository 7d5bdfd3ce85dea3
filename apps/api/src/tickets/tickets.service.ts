import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type Actor,
  type AnyDomainEvent,
  canSeeTicket,
  hasPermission,
  type OwnerCard,
  assistingDepartments,
  CLOCKS_AT_INTAKE,
  defaultDepartment,
  type EstateRules,
  mayCallOwner,
  statusesOf,
  previewClocks,
  settleWarranty,
  type TicketPreview,
  warrantyOf,
  type RepeatCheck,
  type ReporterView,
  reporterFor,
  type TicketPage,
  type TicketStatus,
  type TicketView,
} from '@dispatch/domain';
import { DataSource } from 'typeorm';
import { ArchiveService } from '../archive/archive.service';
import { invalidField } from '../common/errors';
import type { AppConfig } from '../config/env';
import { UnitEntity } from '../estate/estate.entity';
import { EstateService, type ResolvedLocation } from '../estate/estate.service';
import { eventActor } from '../events/event-actor';
import { EventBus } from '../events/event-bus';
import { EventLogService } from '../events/event-log.service';
import { whereTicketVisible } from '../identity/scope-sql';
import type { CreateTicketDto, RepeatCheckDto, TicketPreviewDto } from './dto/create-ticket.dto';
import { SlaPolicyEntity } from '../sla/sla-policy.entity';
import type { ListTicketsQuery, SearchTicketsDto } from './dto/list-tickets.dto';
import { findRepeatedReport, type RepeatQuery } from './repeat-detector';
import { ClockKeeper } from '../sla/clock-keeper';
import { TicketEntity } from './ticket.entity';
import { newTicket } from './new-ticket';
import { nextTicketNumber } from './ticket-number';
import { loadTicketView, loadTicketViews } from './ticket-views';

export type CreatedTicket = TicketView & { seq: number };

export interface TicketWithTimeline {
  ticket: TicketView;
  /** Masked for the caller's role (see reporterFor); never part of the ticket view or of events. */
  reporter: ReporterView | null;
  timeline: AnyDomainEvent[];
  /** Repairs raised from this alarm. */
  linkedRepairs: Array<{ id: string; number: string; status: TicketStatus }>;
  /** The unit's people (masked) and open tickets, for those who read the archive; null elsewhere. */
  ownerCard: OwnerCard | null;
}

@Injectable()
export class TicketsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly estates: EstateService,
    private readonly log: EventLogService,
    private readonly bus: EventBus,
    private readonly config: ConfigService<AppConfig, true>,
    private readonly clocks: ClockKeeper,
    private readonly archive: ArchiveService,
  ) {}

  /**
   * 受理: writes the ticket, its dispatch clock and `ticket.created` in one transaction,
   * then hands the committed event to the push. A report repeating an earlier one of the
   * same owner becomes a complaint linked to it. A retried delivery with the same
   * idempotency key gets the first ticket back and changes nothing.
   */
  async create(
    input: CreateTicketDto,
    actor: Actor,
    idempotencyKey?: string,
    links: { sourceAlarmId?: string } = {},
  ): Promise<{ ticket: CreatedTicket; replayed: boolean }> {
    if (idempotencyKey) {
      const earlier = await this.findByIdempotencyKey(idempotencyKey);
      if (earlier) return { ticket: earlier, replayed: true };
    }
    const estate = await this.estates.current();
    const location = await this.estates.resolveLocation(estate.id, input.location);
    const receivedAt = new Date();
    const intakeStartedAt = intakeStart(input.intakeStartedAt, receivedAt);
    const repair = repairFlags(input, location, (await this.estates.rules()).rules, receivedAt);

    let event: AnyDomainEvent;
    try {
      event = await this.dataSource.transaction(async (db) => {
        const repeated = await findRepeatedReport(db, this.repeatQuery(estate.id, input, location, input.reporter?.phone ?? null, receivedAt));
        // Seed rule: the same owner reporting the same problem again is a complaint.
        const kind = repeated ? 'complaint' : input.kind;
        const number = await nextTicketNumber(db, receivedAt, estate.timezone);
        const ticket = await db.save(
          TicketEntity,
          newTicket(db, {
            number,
            estateId: estate.id,
            kind,
            category: input.category,
            channel: input.channel,
            priority: input.priority ?? 'normal',
            department: defaultDepartment(kind, input.category),
            // A complaint is owned by customer service, the department at fault assisting.
            alsoDepartments: assistingDepartments(kind, input.category),
            unitId: location.kind === 'unit' ? location.unit.id : null,
            areaId: location.kind === 'area' ? location.area.id : null,
            locationCode: location.code,
            locationLabel: location.label,
            description: input.description,
            reporterName: input.reporter?.name ?? null,
            reporterPhone: input.reporter?.phone ?? null,
            repair,
            idempotencyKey: idempotencyKey ?? null,
            createdBy: actor.id,
            repeatOf: repeated?.id ?? null,
            sourceAlarmId: links.sourceAlarmId ?? null,
            receivedAt,
            intakeStartedAt,
          }),
        );
        await this.clocks.start(db, ticket, CLOCKS_AT_INTAKE[ticket.kind], receivedAt, null, { fresh: true });
        const view = await loadTicketView(db, ticket);
        return this.log.append(
          db,
          { type: 'ticket.created', ticketId: ticket.id, actor: actor.id, data: { ticket: view, actor: eventActor(actor) } },
          receivedAt,
        );
      });
    } catch (error) {
      // Two deliveries with one key raced: the loser answers with the winner's ticket.
      if (idempotencyKey && isUniqueViolation(error)) {
        const earlier = await this.findByIdempotencyKey(idempotencyKey);
        if (earlier) return { ticket: earlier, replayed: true };
      }
      throw error;
    }
    this.bus.published([event]);
    if (event.type !== 'ticket.created') throw new Error('unexpected event type');
    return { ticket: { ...event.data.ticket, seq: event.seq }, replayed: false };
  }

  async list(query: ListTicketsQuery, actor: Actor): Promise<TicketPage> {
    const limit = query.limit ?? 100;
    const builder = this.dataSource
      .getRepository(TicketEntity)
      .createQueryBuilder('t')
      .orderBy('t.received_at', 'DESC')
      .addOrderBy('t.id', 'DESC')
      .take(limit + 1);
    whereTicketVisible(builder, actor, 't');
    const statuses = statusesOf(query.status);
    if (statuses) builder.andWhere('t.status IN (:...statuses)', { statuses });
    if (query.department) builder.andWhere('t.department = :filterDepartment', { filterDepartment: query.department });
    if (query.kind) builder.andWhere('t.kind = :kind', { kind: query.kind });
    if (query.cursor) {
      const { receivedAt, id } = decodeCursor(query.cursor);
      builder.andWhere('(t.received_at, t.id) < (:receivedAt, :id)', { receivedAt, id });
    }
    const rows = await builder.getMany();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: await loadTicketViews(this.dataSource.manager, page),
      nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
    };
  }

  /**
   * Every ticket the caller may see, open or closed, newest first, by what a caller on the
   * phone gives: a phone number (exact: the reporter's, or the owner's of the unit), a ticket
   * number or its tail, a unit code or its start, or words of the description or place.
   */
  async search(input: SearchTicketsDto, actor: Actor): Promise<TicketPage> {
    const q = input.q.trim();
    if (!q) throw invalidField('q', 'must not be blank');
    const builder = this.dataSource.getRepository(TicketEntity).createQueryBuilder('t').orderBy('t.received_at', 'DESC').addOrderBy('t.id', 'DESC').take(input.limit ?? 50);
    whereTicketVisible(builder, actor, 't');
    const digits = q.replace(/[\s-]/g, '');
    // 261124-0042 is a ticket number, not a phone number.
    if (!/^\d{6}-\d+$/.test(q) && /^\+?\d{7,20}$/.test(digits)) {
      builder.andWhere(
        `(regexp_replace(coalesce(t.reporter_phone, ''), '[^0-9]', '', 'g') = :phone
          OR t.unit_id IN (SELECT u.id FROM unit u WHERE regexp_replace(coalesce(u.owner_phone, ''), '[^0-9]', '', 'g') = :phone))`,
        { phone: digits.replace(/^\+/, '') },
      );
    } else {
      const like = q.replace(/[\\%_]/g, (character) => `\\${character}`);
      builder.andWhere('(t.number LIKE :anywhere OR t.location_code LIKE :start OR t.location_label ILIKE :anywhere OR t.description ILIKE :anywhere)', {
        anywhere: `%${like}%`,
        start: `${like}%`,
      });
    }
    return { items: await loadTicketViews(this.dataSource.manager, await builder.getMany()), nextCursor: null };
  }

  /** The same owner (unit or phone) with the same problem (category at this location): intake and the desk's check alike. */
  private repeatQuery(estateId: string, report: Pick<RepeatQuery, 'kind' | 'category'>, location: ResolvedLocation, reporterPhone: string | null, now: Date): RepeatQuery {
    return {
      estateId,
      kind: report.kind,
      category: report.category,
      unitId: location.kind === 'unit' ? location.unit.id : null,
      locationCode: location.code,
      reporterPhone,
      windowDays: this.config.get('REPEAT_WINDOW_DAYS', { infer: true }),
      now,
    };
  }

  /** What intake would make of this report: the earlier one it repeats, if any. Changes nothing. */
  async repeatCheck(input: RepeatCheckDto): Promise<RepeatCheck> {
    const estate = await this.estates.current();
    return this.repeatAt(estate.id, input, await this.estates.resolveLocation(estate.id, input.location), new Date());
  }

  private async repeatAt(estateId: string, input: RepeatCheckDto, location: ResolvedLocation, now: Date): Promise<RepeatCheck> {
    const repeated = await findRepeatedReport(this.dataSource.manager, this.repeatQuery(estateId, input, location, input.reporterPhone ?? null, now));
    return {
      repeatOf: repeated ? { ...repeated, receivedAt: repeated.receivedAt.toISOString() } : null,
      kindWillBe: repeated ? 'complaint' : input.kind,
    };
  }

  /**
   * What the desk will get if it logs this report now: the kind (a repeat becomes a
   * complaint), the owner department, the warranty and the deadlines each clock will run.
   * Reads the same rules, policies and calendar as intake; writes nothing.
   */
  async preview(input: TicketPreviewDto): Promise<TicketPreview> {
    const estate = await this.estates.current();
    const location = await this.estates.resolveLocation(estate.id, input.location);
    const now = new Date();
    const { rules } = await this.estates.rules();
    const repeat = await this.repeatAt(estate.id, input, location, now);
    const kind = repeat.kindWillBe;
    const department = defaultDepartment(kind, input.category);
    let warranty: TicketPreview['warranty'] = null;
    let repairFacts: { inUnit: boolean; inWarranty: boolean } | null = null;
    if (input.kind === 'repair') {
      const inUnit = location.kind === 'unit';
      const settled = warrantyAtIntake(input, location, rules, now);
      warranty = inUnit ? { ...settled.warranty, inWarranty: settled.inWarranty, source: settled.source } : null;
      repairFacts = { inUnit, inWarranty: settled.inWarranty };
    }
    const policies = await this.dataSource.getRepository(SlaPolicyEntity).find();
    const clocks = previewClocks(policies, { kind, department, priority: input.priority ?? 'normal', repair: repairFacts }, now, rules.calendar);
    return { kind, department, alsoDepartments: assistingDepartments(kind, input.category), warranty, clocks, repeat };
  }

  async get(id: string, actor: Actor): Promise<TicketWithTimeline> {
    const ticket = await this.dataSource.getRepository(TicketEntity).findOne({ where: { id } });
    // Out of scope answers like unknown: no hint that the ticket exists.
    if (!ticket || !canSeeTicket(actor, ticket)) throw new NotFoundException(`No ticket ${id}`);
    // Repairs raised from this alarm, as far as the reader may see them (a guard does not learn of engineering's).
    const linkedRepairs = (
      await this.dataSource.getRepository(TicketEntity).find({
        where: { sourceAlarmId: id },
        select: { id: true, number: true, status: true, department: true, assigneeId: true, alsoDepartments: true },
        order: { receivedAt: 'ASC' },
      })
    )
      .filter((repair) => canSeeTicket(actor, repair))
      .map(({ id: repairId, number, status }) => ({ id: repairId, number, status }));
    return {
      ticket: await loadTicketView(this.dataSource.manager, ticket),
      reporter: reporterFor(actor, ticket, { name: ticket.reporterName, phone: ticket.reporterPhone }),
      timeline: await this.log.forTicket(id),
      linkedRepairs,
      ownerCard: ticket.unitId && hasPermission(actor.role, 'archive.read') ? await this.archive.card(this.dataSource.manager, ticket.unitId) : null,
    };
  }

  /** The reporter in full, for the desk; the reveal itself (who, when, which fields) goes to the log. */
  /**
   * The reporter in full, logged (who, which fields; never the values): the desk, or the field
   * worker assigned to the open ticket (to call the owner). With no reporter on the ticket (an
   * alarm, a walk-in without a number) the owner of the unit on file.
   */
  async revealReporter(id: string, actor: Actor): Promise<{ name: string | null; phone: string | null; source: 'reporter' | 'owner' | null }> {
    const { reporter, event } = await this.dataSource.transaction(async (db) => {
      const ticket = await db.findOne(TicketEntity, { where: { id } });
      if (!ticket || !canSeeTicket(actor, ticket)) throw new NotFoundException(`No ticket ${id}`);
      if (actor.role === 'field' && !mayCallOwner(actor, ticket)) throw new ForbiddenException('Only the worker assigned to this open ticket may call the owner');
      let reporter: { name: string | null; phone: string | null; source: 'reporter' | 'owner' | null } = { name: ticket.reporterName, phone: ticket.reporterPhone, source: 'reporter' };
      if (!reporter.name && !reporter.phone) {
        const unit = ticket.unitId ? await db.findOne(UnitEntity, { where: { id: ticket.unitId } }) : null;
        reporter = unit && (unit.ownerName || unit.ownerPhone) ? { name: unit.ownerName, phone: unit.ownerPhone, source: 'owner' } : { name: null, phone: null, source: null };
      }
      const fields = (['name', 'phone'] as const).filter((field) => reporter[field] !== null);
      const event = await this.log.append(db, { type: 'ticket.pii_revealed', ticketId: id, actor: actor.id, data: { actor: eventActor(actor), fields } }, new Date());
      return { reporter, event };
    });
    this.bus.published([event]);
    return reporter;
  }

  private async findByIdempotencyKey(key: string): Promise<CreatedTicket | null> {
    const ticket = await this.dataSource.getRepository(TicketEntity).findOne({ where: { idempotencyKey: key } });
    if (!ticket) return null;
    const [created] = await this.log.forTicket(ticket.id);
    return { ...(await loadTicketView(this.dataSource.manager, ticket)), seq: created.seq };
  }
}

// Re-exported: the other modules name it from here.
export { eventActor };

function repairFlags(input: Pick<CreateTicketDto, 'kind' | 'category' | 'repair'>, location: ResolvedLocation, rules: EstateRules, at: Date): TicketEntity['repair'] {
  if (input.kind !== 'repair') {
    if (input.repair) throw invalidField('repair', 'only a repair carries repair flags');
    return null;
  }
  const inUnit = location.kind === 'unit';
  if (input.repair && input.repair.inUnit !== inUnit) {
    throw invalidField('repair.inUnit', inUnit ? 'the location is an owner\'s unit' : 'the location is a public area');
  }
  const { warranty, inWarranty, source } = warrantyAtIntake(input, location, rules, at);
  return {
    inUnit,
    inWarranty,
    paid: input.repair?.paid ?? false,
    warranty: { source, until: warranty.until, ...(source === 'override' ? { reason: input.repair?.warrantyReason?.trim() } : {}) },
  };
}

/**
 * A repair's warranty at intake: computed from the unit's handover date and the estate's
 * years for the category; the desk overrides it only with a reason. A public area has no
 * handover date on file: the desk's word.
 */
/** The start of the call as the form reports it: not ahead of the ticket (a minute's grace for skew), at most 2 hours back. */
function intakeStart(given: string | undefined, receivedAt: Date): Date | null {
  if (given === undefined) return null;
  const at = new Date(given);
  if (at.getTime() > receivedAt.getTime() + 60_000) throw invalidField('intakeStartedAt', 'is after the ticket was received');
  if (at.getTime() < receivedAt.getTime() - 2 * 3_600_000) throw invalidField('intakeStartedAt', 'is more than 2 hours before the ticket');
  return at > receivedAt ? receivedAt : at;
}

function warrantyAtIntake(input: Pick<CreateTicketDto, 'category' | 'repair'>, location: ResolvedLocation, rules: EstateRules, at: Date) {
  const warranty = warrantyOf({
    handoverDate: location.kind === 'unit' ? location.unit.handoverDate : null,
    category: input.category,
    at,
    timezone: rules.timezone,
    years: rules.warrantyYears,
  });
  const settled = settleWarranty(warranty, { inWarranty: input.repair?.inWarranty, reason: input.repair?.warrantyReason });
  if (!settled.ok) throw invalidField(settled.field, settled.reason);
  return { warranty, inWarranty: settled.inWarranty, source: settled.source };
}

function encodeCursor(ticket: TicketEntity): string {
  return Buffer.from(`${ticket.receivedAt.toISOString()}|${ticket.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { receivedAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const receivedAt = new Date(at ?? '');
  if (Number.isNaN(receivedAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id ?? '')) {
    throw invalidField('cursor', 'is not a cursor this api returned');
  }
  return { receivedAt, id };
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}
