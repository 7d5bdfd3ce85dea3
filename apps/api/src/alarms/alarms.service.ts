import { Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ALARM_KIND_LABELS,
  ALARM_ROUTES,
  type AlarmKind,
  type AlarmProcedure,
  DEFAULT_ALARM_PROCEDURES,
  freshProcedure,
  type AnyDomainEvent,
  type BusinessCalendar,
  type Category,
  CLOCKS_AT_INTAKE,
  priorityOfSeverity,
  type Severity,
  STORM_WINDOW_MS,
  type TicketView,
} from '@dispatch/domain';
import { DataSource, type EntityManager } from 'typeorm';
import { tokenMatches } from '../common/token-hash';
import { EventBus } from '../events/event-bus';
import { EventLogService } from '../events/event-log.service';
import { ClockKeeper } from '../sla/clock-keeper';
import { TicketEntity } from '../tickets/ticket.entity';
import { TicketActionsService } from '../tickets/ticket-actions.service';
import { newTicket } from '../tickets/new-ticket';
import { ticketNumberSql } from '../tickets/ticket-number';
import { loadTicketView, toAlarmView } from '../tickets/ticket-views';
import type { AlarmIntakeDto } from './dto/alarm-intake.dto';
import { AlarmDeliveryEntity, AlarmEntity, DeviceEntity } from './alarm.entity';

/** The category an alarm kind files under (for reports and repeat checks). */
const CATEGORY_OF: Record<AlarmKind, Category> = {
  intrusion: 'security',
  door_forced: 'security',
  panic: 'security',
  smoke_fire: 'security',
  water_leak: 'water_leak',
  lift_entrapment: 'lift',
  fault: 'other',
};

/** A device that may speak: known, active, and the key its own (401 otherwise, saying no more). */
export function admitDevice(device: DeviceEntity | null, deviceKey: string | undefined): asserts device is DeviceEntity {
  if (!device || !device.active || !tokenMatches(deviceKey, device.keyHash)) throw new UnauthorizedException('Unknown device or wrong X-Device-Key');
}

/** What a new alarm reads before it opens (see `open`). */
interface OpeningContext {
  estate_id: string;
  calendar: BusinessCalendar | null;
  unit_id: string | null;
  unit_code: string | null;
  area_id: string | null;
  area_code: string | null;
  area_name: string | null;
  procedure: AlarmProcedure | null;
  number: string;
}

/** Statuses in which an alarm still absorbs repeats from its device. */
const FINISHED = ['done', 'callback_done', 'closed', 'cancelled'] as const;

export type AlarmIntakeOutcome = 'created' | 'folded' | 'duplicate';

@Injectable()
export class AlarmsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: EventLogService,
    private readonly bus: EventBus,
    private readonly clocks: ClockKeeper,
    private readonly actions: TicketActionsService,
  ) {}

  /**
   * 报警 from a device: a retried delivery (same device, same event id) answers with its alarm
   * and changes nothing; a repeat within the storm window folds into the device's open alarm;
   * anything else opens a new alarm, routed by kind, on the closed loop.
   */
  async intake(body: AlarmIntakeDto, deviceKey: string | undefined): Promise<{ ticket: TicketView & { seq: number | null }; outcome: AlarmIntakeOutcome }> {
    return this.receive(body, (device) => admitDevice(device, deviceKey));
  }

  /**
   * The one path of every alarm after its transport: HTTP devices (checked by key) and alarm
   * panels over DC-09 (checked by account, `admit` leaves them through) alike.
   */
  async receive(
    body: AlarmIntakeDto,
    admit: (device: DeviceEntity | null) => void,
    /** The estate's own severity for this code (a panel code table entry), in place of the kind's. */
    severity?: Severity,
  ): Promise<{ ticket: TicketView & { seq: number | null }; outcome: AlarmIntakeOutcome }> {
    const result = await this.dataSource.transaction((db) => this.receiveIn(db, body, admit, severity, new Date()));
    if (result.event) this.bus.published([result.event]);
    return { ticket: { ...result.ticket, seq: result.event?.seq ?? null }, outcome: result.outcome };
  }

  /**
   * `receive` inside the caller's transaction (the receiver's journal takes a message and
   * opens its alarm in one), at `now`, the time the alarm was received. The event returned is
   * the caller's to publish once it has committed.
   */
  async receiveIn(db: EntityManager, body: AlarmIntakeDto, admit: (device: DeviceEntity | null) => void, severity: Severity | undefined, now: Date): Promise<{ ticket: TicketView; event: AnyDomainEvent | null; outcome: AlarmIntakeOutcome }> {
    // The device row lock serialises one device's deliveries: a storm folds, never forks.
    const device = await db.findOne(DeviceEntity, { where: { id: body.deviceId }, lock: { mode: 'pessimistic_write' } });
    admit(device);
    if (!device) throw new UnauthorizedException('Unknown device');
    // A statement of its own, after the lock: its snapshot then sees a delivery committed while this one waited.
    const delivered = await db.findOne(AlarmDeliveryEntity, { where: { deviceId: device.id, eventId: body.eventId } });
    if (delivered) {
      const ticket = await db.findOneByOrFail(TicketEntity, { id: delivered.ticketId });
      return { ticket: await loadTicketView(db, ticket), event: null, outcome: 'duplicate' as const };
    }
    // A storm is one kind repeating: a fire after a burglary on the same panel is an alarm of its own.
    const open = await this.openAlarm(db, device.id, { since: new Date(now.getTime() - STORM_WINDOW_MS), kind: body.kind });
    if (open) return this.fold(db, open, body, now);
    return this.open(db, device, body, now, severity);
  }

  /**
   * A panel's restore (the zone back to normal): recorded on the device's open alarm, if any,
   * as `alarm.restored`; a restore with no open alarm changes nothing. Returns whether one was recorded.
   */
  async restore(deviceId: string, detail: { eventId: string; code: string }, kind?: AlarmKind): Promise<boolean> {
    const events = await this.dataSource.transaction((db) => this.restoreIn(db, deviceId, detail, kind, new Date()));
    if (events.length) this.bus.published(events);
    return events.length > 0;
  }

  /** `restore` inside the caller's transaction, at `now`; the events are the caller's to publish after its commit. */
  async restoreIn(db: EntityManager, deviceId: string, detail: { eventId: string; code: string }, kind: AlarmKind | undefined, now: Date): Promise<AnyDomainEvent[]> {
    await db.findOne(DeviceEntity, { where: { id: deviceId }, lock: { mode: 'pessimistic_write' } });
    const open = await this.openAlarm(db, deviceId, { kind });
    if (!open) return [];
    const ticket = await db.findOneOrFail(TicketEntity, { where: { id: open.ticketId }, lock: { mode: 'pessimistic_write' } });
    open.restoredAt ??= now;
    await db.update(AlarmEntity, { ticketId: open.ticketId }, { restoredAt: open.restoredAt });
    const view = await loadTicketView(db, ticket, { alarm: toAlarmView(open) });
    const restored = await this.log.append(db, { type: 'alarm.restored', ticketId: ticket.id, alarmId: ticket.id, data: { ticket: view, code: detail.code, eventId: detail.eventId } }, now);
    // Back to normal before anyone picked it up, and its procedure says that ends it: a nuisance
    // alarm completes itself as `restored` (logged as an automatic clear, counted as such).
    const procedure = open.procedure ?? DEFAULT_ALARM_PROCEDURES[open.alarmKind];
    if (ticket.status !== 'received' || open.acknowledgedAt || !procedure.restoreCompletes) return [restored];
    const cleared = await this.actions.automatic(db, ticket, 'clear', 'done', { outcome: 'restored', reason: `复位 ${detail.code}（确认前）` }, now);
    return [restored, ...cleared];
  }

  /**
   * The device's latest alarm still open (seen since `since`, of `kind`, when given), with
   * its ticket's state in the same query: the storm fold and a restore both look it up.
   */
  private async openAlarm(db: EntityManager, deviceId: string, only: { since?: Date; kind?: AlarmKind } = {}): Promise<AlarmEntity | null> {
    const query = db
      .getRepository(AlarmEntity)
      .createQueryBuilder('a')
      .innerJoin(TicketEntity, 't', 't.id = a.ticket_id')
      .where('a.device_id = :deviceId', { deviceId })
      .andWhere('t.status NOT IN (:...finished)', { finished: [...FINISHED] });
    if (only.since) query.andWhere('a.last_seen_at >= :since', { since: only.since });
    if (only.kind) query.andWhere('a.alarm_kind = :kind', { kind: only.kind });
    return query.orderBy('a.last_seen_at', 'DESC').getOne();
  }

  private async fold(db: EntityManager, alarm: AlarmEntity, body: AlarmIntakeDto, now: Date) {
    // The device row lock is held: no other delivery of this device changes the count meanwhile.
    alarm.count += 1;
    alarm.lastSeenAt = now;
    await db.update(AlarmEntity, { ticketId: alarm.ticketId }, { count: alarm.count, lastSeenAt: now });
    await db.insert(AlarmDeliveryEntity, { deviceId: alarm.deviceId, eventId: body.eventId, ticketId: alarm.ticketId, receivedAt: now });
    const ticket = await db.findOneByOrFail(TicketEntity, { id: alarm.ticketId });
    const view = await loadTicketView(db, ticket);
    const event = await this.log.append(
      db,
      { type: 'alarm.repeated', ticketId: ticket.id, alarmId: ticket.id, data: { ticket: view, alarm: toAlarmView(alarm), eventId: body.eventId } },
      now,
    );
    return { ticket: view, event, outcome: 'folded' as const };
  }

  private async open(db: EntityManager, device: DeviceEntity, body: AlarmIntakeDto, now: Date, ownSeverity?: Severity) {
    const route = ALARM_ROUTES[body.kind];
    const severity = ownSeverity ?? route.severity;
    // The estate, the place, the procedure the alarm opens under (the admin's edit, else the
    // default) and the ticket's number, in one query: an alarm storm opens many at once.
    const [context] = await db.query<OpeningContext[]>(
      `SELECT e.id AS estate_id, e.calendar, u.id AS unit_id, u.code AS unit_code, a.id AS area_id, a.code AS area_code, a.name_zh AS area_name,
              (SELECT p.procedure FROM alarm_procedure p WHERE p.estate_id = e.id AND p.alarm_kind = $4) AS procedure,
              ${ticketNumberSql('$5', 'e.timezone')} AS number
         FROM estate e LEFT JOIN unit u ON u.id = $2 LEFT JOIN public_area a ON a.id = $3
        WHERE e.id = $1`,
      [device.estateId, device.unitId, device.areaId, body.kind, now],
    );
    const [department, ...alsoDepartments] = route.departments;
    const ticket = await db.save(
      TicketEntity,
      newTicket(db, {
        number: context.number,
        estateId: context.estate_id,
        kind: 'alarm',
        category: CATEGORY_OF[body.kind],
        channel: 'device',
        priority: priorityOfSeverity(severity),
        department,
        alsoDepartments,
        unitId: context.unit_id,
        areaId: context.area_id,
        locationCode: context.unit_code ?? context.area_code ?? device.id,
        locationLabel: context.unit_code ?? context.area_name ?? device.name,
        description: body.note ? `${ALARM_KIND_LABELS[body.kind].zh}: ${body.note}` : `${ALARM_KIND_LABELS[body.kind].zh} (${device.name})`,
        receivedAt: now,
      }),
    );
    const alarm = db.create(AlarmEntity, {
      ticketId: ticket.id,
      deviceId: device.id,
      alarmKind: body.kind,
      severity,
      departments: [...route.departments],
      count: 1,
      firstSeenAt: now,
      lastSeenAt: now,
      occurredAt: body.occurredAt ? new Date(body.occurredAt) : null,
      outcome: null,
      outcomeReason: null,
      acknowledgedAt: null,
      acknowledgedBy: null,
      mutedUntil: null,
      mutedBy: null,
      procedure: freshProcedure(context.procedure ?? DEFAULT_ALARM_PROCEDURES[body.kind]),
      restoredAt: null,
    });
    await db.insert(AlarmEntity, alarm);
    await db.insert(AlarmDeliveryEntity, { deviceId: device.id, eventId: body.eventId, ticketId: ticket.id, receivedAt: now });
    await this.clocks.start(db, ticket, CLOCKS_AT_INTAKE.alarm, now, null, { calendar: context.calendar, fresh: true });
    // A new alarm has no documents yet, and its alarm row is the one just written.
    const view = await loadTicketView(db, ticket, { documents: [], alarm: toAlarmView(alarm) });
    const event: AnyDomainEvent = await this.log.append(db, { type: 'alarm.received', ticketId: ticket.id, alarmId: ticket.id, data: { ticket: view, actor: null } }, now);
    return { ticket: view, event, outcome: 'created' as const };
  }
}
