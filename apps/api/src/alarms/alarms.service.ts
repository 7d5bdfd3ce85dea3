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
  type Category,
  CLOCKS_AT_INTAKE,
  priorityOfSeverity,
  type Severity,
  STORM_WINDOW_MS,
  type TicketView,
} from '@dispatch/domain';
import { DataSource, type EntityManager } from 'typeorm';
import { tokenMatches } from '../common/token-hash';
import { EstateEntity, PublicAreaEntity, UnitEntity } from '../estate/estate.entity';
import { EventBus } from '../events/event-bus';
import { EventLogService } from '../events/event-log.service';
import { ClockKeeper } from '../sla/clock-keeper';
import { TicketEntity } from '../tickets/ticket.entity';
import { TicketActionsService } from '../tickets/ticket-actions.service';
import { newTicket } from '../tickets/new-ticket';
import { nextTicketNumber } from '../tickets/ticket-number';
import { loadTicketView, toAlarmView } from '../tickets/ticket-views';
import type { AlarmIntakeDto } from './dto/alarm-intake.dto';
import { AlarmDeliveryEntity, AlarmEntity, AlarmProcedureEntity, DeviceEntity } from './alarm.entity';

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
    const now = new Date();
    const result = await this.dataSource.transaction(async (db) => {
      // The device row lock serialises one device's deliveries: a storm folds, never forks.
      const device = await db.findOne(DeviceEntity, { where: { id: body.deviceId }, lock: { mode: 'pessimistic_write' } });
      admit(device);
      if (!device) throw new UnauthorizedException('Unknown device');
      const delivered = await db.findOne(AlarmDeliveryEntity, { where: { deviceId: device.id, eventId: body.eventId } });
      if (delivered) {
        const ticket = await db.findOneByOrFail(TicketEntity, { id: delivered.ticketId });
        return { ticket: await loadTicketView(db, ticket), event: null, outcome: 'duplicate' as const };
      }
      // A storm is one kind repeating: a fire after a burglary on the same panel is an alarm of its own.
      const open = await this.openAlarm(db, device.id, { since: new Date(now.getTime() - STORM_WINDOW_MS), kind: body.kind });
      if (open) return this.fold(db, open, body, now);
      return this.open(db, device, body, now, severity);
    });
    if (result.event) this.bus.published([result.event]);
    return { ticket: { ...result.ticket, seq: result.event?.seq ?? null }, outcome: result.outcome };
  }

  /**
   * A panel's restore (the zone back to normal): recorded on the device's open alarm, if any,
   * as `alarm.restored`; a restore with no open alarm changes nothing. Returns whether one was recorded.
   */
  async restore(deviceId: string, detail: { eventId: string; code: string }, kind?: AlarmKind): Promise<boolean> {
    const now = new Date();
    const events = await this.dataSource.transaction(async (db) => {
      await db.findOne(DeviceEntity, { where: { id: deviceId }, lock: { mode: 'pessimistic_write' } });
      const open = await this.openAlarm(db, deviceId, { kind });
      if (!open) return [];
      const ticket = await db.findOneOrFail(TicketEntity, { where: { id: open.ticketId }, lock: { mode: 'pessimistic_write' } });
      open.restoredAt ??= now;
      await db.update(AlarmEntity, { ticketId: open.ticketId }, { restoredAt: open.restoredAt });
      const view = await loadTicketView(db, ticket);
      const restored = await this.log.append(db, { type: 'alarm.restored', ticketId: ticket.id, alarmId: ticket.id, data: { ticket: view, code: detail.code, eventId: detail.eventId } }, now);
      // Back to normal before anyone picked it up, and its procedure says that ends it: a nuisance
      // alarm completes itself as `restored` (logged as an automatic clear, counted as such).
      const procedure = open.procedure ?? DEFAULT_ALARM_PROCEDURES[open.alarmKind];
      if (ticket.status !== 'received' || open.acknowledgedAt || !procedure.restoreCompletes) return [restored];
      const cleared = await this.actions.automatic(db, ticket, 'clear', 'done', { outcome: 'restored', reason: `复位 ${detail.code}（确认前）` }, now);
      return [restored, ...cleared];
    });
    if (events.length) this.bus.published(events);
    return events.length > 0;
  }

  /** The procedure an alarm of this kind opens under at this estate: the admin's edit, else the default. */
  async procedureFor(db: EntityManager, estateId: string, kind: AlarmKind): Promise<AlarmProcedure> {
    const edited = await db.findOne(AlarmProcedureEntity, { where: { estateId, alarmKind: kind } });
    return edited?.procedure ?? DEFAULT_ALARM_PROCEDURES[kind];
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
    const estate = await db.findOneByOrFail(EstateEntity, { id: device.estateId });
    const unit = device.unitId ? await db.findOneByOrFail(UnitEntity, { id: device.unitId }) : null;
    const area = device.areaId ? await db.findOneByOrFail(PublicAreaEntity, { id: device.areaId }) : null;
    const [department, ...alsoDepartments] = route.departments;
    const ticket = await db.save(
      TicketEntity,
      newTicket(db, {
        number: await nextTicketNumber(db, now, estate.timezone),
        estateId: estate.id,
        kind: 'alarm',
        category: CATEGORY_OF[body.kind],
        channel: 'device',
        priority: priorityOfSeverity(severity),
        department,
        alsoDepartments,
        unitId: unit?.id ?? null,
        areaId: area?.id ?? null,
        locationCode: unit?.code ?? area?.code ?? device.id,
        locationLabel: unit?.code ?? area?.nameZh ?? device.name,
        description: body.note ? `${ALARM_KIND_LABELS[body.kind].zh}: ${body.note}` : `${ALARM_KIND_LABELS[body.kind].zh} (${device.name})`,
        receivedAt: now,
      }),
    );
    await db.insert(AlarmEntity, {
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
      procedure: freshProcedure(await this.procedureFor(db, estate.id, body.kind)),
      restoredAt: null,
    });
    await db.insert(AlarmDeliveryEntity, { deviceId: device.id, eventId: body.eventId, ticketId: ticket.id, receivedAt: now });
    await this.clocks.start(db, ticket, CLOCKS_AT_INTAKE.alarm, now);
    const view = await loadTicketView(db, ticket);
    const event: AnyDomainEvent = await this.log.append(db, { type: 'alarm.received', ticketId: ticket.id, alarmId: ticket.id, data: { ticket: view, actor: null } }, now);
    return { ticket: view, event, outcome: 'created' as const };
  }
}
