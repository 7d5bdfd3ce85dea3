import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type AnyDomainEvent,
  defaultDepartment,
  dispatchDeadline,
  OPEN_STATUSES,
  type TicketPage,
  type TicketStatus,
  type TicketView,
} from '@dispatch/domain';
import { DataSource, type EntityManager, In } from 'typeorm';
import { invalidField } from '../common/errors';
import { EstateService, type ResolvedLocation } from '../estate/estate.service';
import { EventBus } from '../events/event-bus';
import { EventLogService } from '../events/event-log.service';
import type { CreateTicketDto } from './dto/create-ticket.dto';
import type { ListTicketsQuery } from './dto/list-tickets.dto';
import { TicketClockEntity, TicketEntity } from './ticket.entity';
import { toTicketView } from './ticket.mapper';

export type CreatedTicket = TicketView & { seq: number };

export interface TicketWithTimeline {
  ticket: TicketView;
  timeline: AnyDomainEvent[];
}

@Injectable()
export class TicketsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly estates: EstateService,
    private readonly log: EventLogService,
    private readonly bus: EventBus,
  ) {}

  /**
   * 受理: writes the ticket, its dispatch clock and `ticket.created` in one transaction,
   * then hands the committed event to the push. A retried delivery with the same
   * idempotency key gets the first ticket back and changes nothing.
   */
  async create(input: CreateTicketDto, idempotencyKey?: string): Promise<{ ticket: CreatedTicket; replayed: boolean }> {
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
        const [{ number }] = await db.query<Array<{ number: string }>>(
          `SELECT to_char($1::timestamptz AT TIME ZONE $2, 'YYMMDD') || '-' || lpad(nextval('ticket_number_seq')::text, 4, '0') AS number`,
          [receivedAt, estate.timezone],
        );
        const ticket = await db.save(
          TicketEntity,
          db.create(TicketEntity, {
            number,
            estateId: estate.id,
            kind: input.kind,
            category: input.category,
            channel: input.channel,
            priority: input.priority ?? 'normal',
            status: 'received',
            department: defaultDepartment(input.kind, input.category),
            unitId: location.kind === 'unit' ? location.unit.id : null,
            areaId: location.kind === 'area' ? location.area.id : null,
            locationCode: location.code,
            locationLabel: location.label,
            description: input.description,
            reporterName: input.reporter?.name ?? null,
            reporterPhone: input.reporter?.phone ?? null,
            repair,
            idempotencyKey: idempotencyKey ?? null,
            version: 1,
            receivedAt,
            updatedAt: receivedAt,
          }),
        );
        const dispatchClock = await db.save(
          TicketClockEntity,
          db.create(TicketClockEntity, {
            ticketId: ticket.id,
            clock: 'dispatch',
            startedAt: receivedAt,
            dueAt: dispatchDeadline(receivedAt),
            warnedAt: null,
            breachedAt: null,
            metAt: null,
            cancelledAt: null,
          }),
        );
        // Appended last: the log's lock is held from here to the commit.
        return this.log.append(
          db,
          { type: 'ticket.created', ticketId: ticket.id, data: { ticket: toTicketView(ticket, [dispatchClock]) } },
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

  async list(query: ListTicketsQuery): Promise<TicketPage> {
    const limit = query.limit ?? 100;
    const builder = this.dataSource
      .getRepository(TicketEntity)
      .createQueryBuilder('t')
      .orderBy('t.received_at', 'DESC')
      .addOrderBy('t.id', 'DESC')
      .take(limit + 1);
    const statuses = statusFilter(query.status);
    if (statuses) builder.andWhere('t.status IN (:...statuses)', { statuses });
    if (query.department) builder.andWhere('t.department = :department', { department: query.department });
    if (query.kind) builder.andWhere('t.kind = :kind', { kind: query.kind });
    if (query.cursor) {
      const { receivedAt, id } = decodeCursor(query.cursor);
      builder.andWhere('(t.received_at, t.id) < (:receivedAt, :id)', { receivedAt, id });
    }
    const rows = await builder.getMany();
    const page = rows.slice(0, limit);
    const clocks = await this.clocksOf(this.dataSource.manager, page.map((t) => t.id));
    const last = page.at(-1);
    return {
      items: page.map((ticket) => toTicketView(ticket, clocks.get(ticket.id) ?? [])),
      nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
    };
  }

  async get(id: string): Promise<TicketWithTimeline> {
    const ticket = await this.dataSource.getRepository(TicketEntity).findOne({ where: { id } });
    if (!ticket) throw new NotFoundException(`No ticket ${id}`);
    const clocks = await this.clocksOf(this.dataSource.manager, [id]);
    return { ticket: toTicketView(ticket, clocks.get(id) ?? []), timeline: await this.log.forTicket(id) };
  }

  private async findByIdempotencyKey(key: string): Promise<CreatedTicket | null> {
    const ticket = await this.dataSource.getRepository(TicketEntity).findOne({ where: { idempotencyKey: key } });
    if (!ticket) return null;
    const [created] = await this.log.forTicket(ticket.id);
    const clocks = await this.clocksOf(this.dataSource.manager, [ticket.id]);
    return { ...toTicketView(ticket, clocks.get(ticket.id) ?? []), seq: created.seq };
  }

  private async clocksOf(db: EntityManager, ticketIds: string[]): Promise<Map<string, TicketClockEntity[]>> {
    const byTicket = new Map<string, TicketClockEntity[]>();
    if (ticketIds.length === 0) return byTicket;
    const clocks = await db.find(TicketClockEntity, { where: { ticketId: In(ticketIds) }, order: { startedAt: 'ASC' } });
    for (const clock of clocks) byTicket.set(clock.ticketId, [...(byTicket.get(clock.ticketId) ?? []), clock]);
    return byTicket;
  }
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
