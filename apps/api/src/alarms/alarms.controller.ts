import { randomBytes } from 'node:crypto';
import { Body, ConflictException, Controller, Get, Headers, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, canSeeTicket, type DeviceStatus, type TicketView } from '@dispatch/domain';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { hashToken } from '../common/token-hash';
import { EventBus } from '../events/event-bus';
import { EventLogService } from '../events/event-log.service';
import { CurrentActor } from '../identity/current-actor.decorator';
import { Can, Public } from '../identity/public.decorator';
import { TicketEntity } from '../tickets/ticket.entity';
import { type CreatedTicket, eventActor, TicketsService } from '../tickets/tickets.service';
import { AlarmEntity, DeviceEntity } from './alarm.entity';
import { DeviceKeyGuard } from './device-key.guard';
import { RepairFromAlarmDto } from './dto/repair-from-alarm.dto';
import { admitDevice, type AlarmIntakeOutcome, AlarmsService } from './alarms.service';
import { AlarmIntakeDto, DeviceHeartbeatDto } from './dto/alarm-intake.dto';
import { DeviceSupervision } from './device-supervision';

@ApiTags('alarms')
@Controller()
export class AlarmsController {
  constructor(
    private readonly alarms: AlarmsService,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: EventLogService,
    private readonly bus: EventBus,
    private readonly tickets: TicketsService,
    private readonly supervision: DeviceSupervision,
  ) {}

  /** Devices authenticate with their own key, not a staff token. */
  @Public()
  @UseGuards(DeviceKeyGuard)
  @Post('alarms')
  @HttpCode(201)
  @ApiHeader({ name: 'X-Device-Key', required: true })
  @ApiCreatedResponse({ description: 'a new alarm (its ticket, with `alarm` and `seq`)' })
  @ApiOkResponse({ description: 'a retried delivery (`outcome: duplicate`) or a repeat folded into the open alarm (`outcome: folded`)' })
  @ApiUnauthorizedResponse({ description: 'unknown device or wrong key; nothing stored' })
  async intake(
    @Body() body: AlarmIntakeDto,
    @Headers('x-device-key') deviceKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TicketView & { seq: number | null; outcome: AlarmIntakeOutcome }> {
    const { ticket, outcome } = await this.alarms.intake(body, deviceKey);
    // Any message is a sign of life: a device that was silent is back.
    await this.supervision.heard(body.deviceId);
    if (outcome !== 'created') response.status(200);
    return { ...ticket, outcome };
  }

  /**
   * An alarm that turned out real (cleared as `real`) raises a repair at its location, linked
   * to it. Asking again returns the first repair (200) unless `force` asks for another.
   */
  @Post('alarms/:id/repair')
  @Can('alarm.raise_repair')
  @ApiBearerAuth()
  @ApiCreatedResponse({ description: 'the repair ticket, with sourceAlarmId; 200 with the first one when it exists and force is not set' })
  async repair(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: RepairFromAlarmDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CreatedTicket> {
    const alarm = await this.dataSource.getRepository(AlarmEntity).findOne({ where: { ticketId: id } });
    const ticket = alarm ? await this.dataSource.getRepository(TicketEntity).findOne({ where: { id } }) : null;
    if (!alarm || !ticket || !canSeeTicket(actor, ticket)) throw new NotFoundException(`No alarm ${id}`);
    if (alarm.outcome !== 'real') throw new ConflictException('Only an alarm cleared as real raises a repair');
    const location = ticket.unitId ? { unit: ticket.locationCode } : { area: ticket.locationCode };
    const { ticket: repair, replayed } = await this.tickets.create(
      {
        kind: 'repair',
        channel: 'device',
        category: body.category,
        description: body.description,
        priority: ticket.priority,
        location,
        repair: { inUnit: Boolean(ticket.unitId), inWarranty: body.inWarranty, warrantyReason: body.warrantyReason, paid: body.paid ?? false },
      },
      actor,
      // One repair per alarm, however often the desk clicks: the intake's own idempotency.
      body.force ? undefined : `alarm-repair:${id}`,
      { sourceAlarmId: id },
    );
    if (replayed) response.status(200);
    return repair;
  }

  /**
   * A device's sign of life between alarms: with `testIntervalSeconds` set on the device, a
   * silence longer than that (and half again) raises a fault and `device.offline`.
   */
  @Public()
  @UseGuards(DeviceKeyGuard)
  @Post('devices/heartbeat')
  @HttpCode(200)
  @ApiHeader({ name: 'X-Device-Key', required: true })
  @ApiOkResponse({ description: 'heard; `wasOffline` when this ended a silence' })
  @ApiUnauthorizedResponse({ description: 'unknown device or wrong key' })
  async heartbeat(@Body() body: DeviceHeartbeatDto, @Headers('x-device-key') deviceKey: string | undefined): Promise<{ deviceId: string; wasOffline: boolean; serverTime: string }> {
    const device = await this.dataSource.getRepository(DeviceEntity).findOne({ where: { id: body.deviceId } });
    admitDevice(device, deviceKey);
    const now = new Date();
    return { deviceId: device.id, wasOffline: await this.supervision.heard(device.id, now), serverTime: now.toISOString() };
  }

  /** Devices and their supervision: the silent ones first (the wallboard's 设备失联). */
  @Get('devices')
  @Can('device.read')
  @ApiBearerAuth()
  async devices(): Promise<DeviceStatus[]> {
    return this.supervision.list();
  }

  /** A new key for a device; the old one stops working at once. The key is shown only here. */
  @Post('devices/:id/rotate-key')
  @Can('device.rotate_key')
  @ApiBearerAuth()
  @HttpCode(200)
  async rotateKey(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<{ deviceId: string; key: string }> {
    const key = randomBytes(32).toString('base64url');
    const now = new Date();
    const event = await this.dataSource.transaction(async (db) => {
      const updated = await db.update(DeviceEntity, { id }, { keyHash: hashToken(key), keyRotatedAt: now });
      if (!updated.affected) throw new NotFoundException(`No device ${id}`);
      return this.log.append(db, { type: 'device.key_rotated', actor: actor.id, data: { deviceId: id, actor: eventActor(actor) } }, now);
    });
    this.bus.published([event]);
    return { deviceId: id, key };
  }
}
