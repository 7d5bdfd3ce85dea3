import { Injectable, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type Actor,
  type AnyDomainEvent,
  canSeeTicket,
  assistingDepartments,
  CLOCKS_AT_INTAKE,
  defaultDepartment,
  OPEN_STATUSES,
  type RepeatCheck,
  type ReporterView,
  reporterFor,
  type TicketPage,
  type TicketStatus,
  type TicketView,
} from '@dispatch/domain';
import { DataSource } from 'typeorm';
import { invalidField } from '../common/errors';
import type { AppConfig } from '../config/env';
import { EstateService, type ResolvedLocation } from '../estate/estate.service';
import { EventBus } from '../events/event-bus';
import { EventLogService } from '../events/event-log.service';
import { whereTicketVisible } from '../identity/scope-sql';
import type { CreateTicketDto, RepeatCheckDto } from './dto/create-ticket.dto';
import type { ListTicketsQuery } from './dto/list-tickets.dto';
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
    const repair = repairFlags(input, location);
    const receivedAt = new Date();

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
          }),
        );
        await this.clocks.start(db, ticket, CLOCKS_AT_INTAKE[ticket.kind], receivedAt);
        const view = await loadTicketView(db, ticket);
        // Appended last: the log's lock is held from here to the commit.
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
    const statuses = statusFilter(query.status);
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
    const location = await this.estates.resolveLocation(estate.id, input.location);
    const repeated = await findRepeatedReport(this.dataSource.manager, this.repeatQuery(estate.id, input, location, input.reporterPhone ?? null, new Date()));
    return {
      repeatOf: repeated ? { ...repeated, receivedAt: repeated.receivedAt.toISOString() } : null,
      kindWillBe: repeated ? 'complaint' : input.kind,
    };
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
    };
  }

  /** The reporter in full, for the desk; the reveal itself (who, when, which fields) goes to the log. */
  async revealReporter(id: string, actor: Actor): Promise<{ name: string | null; phone: string | null }> {
    const { reporter, event } = await this.dataSource.transaction(async (db) => {
      const ticket = await db.findOne(TicketEntity, { where: { id } });
      if (!ticket || !canSeeTicket(actor, ticket)) throw new NotFoundException(`No ticket ${id}`);
      const reporter = { name: ticket.reporterName, phone: ticket.reporterPhone };
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

export function eventActor(actor: Actor): { id: string; name: string; role: Actor['role'] } {
  return { id: actor.id, name: actor.name, role: actor.role };
}

function repairFlags(input: CreateTicketDto, location: ResolvedLocation): TicketEntity['repair'] {
  if (input.kind !== 'repair') {
    if (input.repair) throw invalidField('repair', 'only a repair carries repair flags');
    return null;
  }
  const inUnit = location.kind === 'unit';
  if (input.repair && input.repair.inUnit !== inUnit) {
    throw invalidField('repair.inUnit', inUnit ? 'the location is an owner\'s unit' : 'the location is a public area');
  }
  return { inUnit, inWarranty: input.repair?.inWarranty ?? false, paid: input.repair?.paid ?? false };
}

function statusFilter(status: string | undefined): TicketStatus[] | null {
  if (!status) return null;
  if (status === 'open') return [...OPEN_STATUSES];
  return status.split(',') as TicketStatus[];
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
