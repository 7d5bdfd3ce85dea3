import { randomBytes } from 'node:crypto';
import { Body, Controller, Headers, HttpCode, NotFoundException, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Actor, TicketView } from '@dispatch/domain';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { deviceKeyHash } from '../estate/demo-seed';
import { EventBus } from '../events/event-bus';
import { EventLogService } from '../events/event-log.service';
import { CurrentActor } from '../identity/current-actor.decorator';
import { Public, Roles } from '../identity/public.decorator';
import { eventActor } from '../tickets/tickets.service';
import { DeviceEntity } from './alarm.entity';
import { type AlarmIntakeOutcome, AlarmsService } from './alarms.service';
import { AlarmIntakeDto } from './dto/alarm-intake.dto';

@ApiTags('alarms')
@Controller()
export class AlarmsController {
  constructor(
    private readonly alarms: AlarmsService,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: EventLogService,
    private readonly bus: EventBus,
  ) {}

  /** Devices authenticate with their own key, not a staff token. */
  @Public()
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
    if (outcome !== 'created') response.status(200);
    return { ...ticket, outcome };
  }

  /** A new key for a device; the old one stops working at once. The key is shown only here. */
  @Post('devices/:id/rotate-key')
  @Roles('admin')
  @ApiBearerAuth()
  @HttpCode(200)
  async rotateKey(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<{ deviceId: string; key: string }> {
    const key = randomBytes(32).toString('base64url');
    const now = new Date();
    const event = await this.dataSource.transaction(async (db) => {
      const updated = await db.update(DeviceEntity, { id }, { keyHash: deviceKeyHash(key), keyRotatedAt: now });
      if (!updated.affected) throw new NotFoundException(`No device ${id}`);
      return this.log.append(db, { type: 'device.key_rotated', actor: actor.id, data: { deviceId: id, actor: eventActor(actor) } }, now);
    });
    this.bus.published([event]);
    return { deviceId: id, key };
  }
}
