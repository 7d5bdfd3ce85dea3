import { Body, Controller, Delete, Get, HttpCode, Param, ParseEnumPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type Actor,
  CONTACT_ID_CODES,
  PANEL_CODE_PATTERN,
  PANEL_PROTOCOLS,
  type PanelEventMeaning,
  type PanelProtocol,
  SIA_CODES,
} from '@dispatch/domain';
import { DataSource } from 'typeorm';
import { invalidField } from '../common/errors';
import { EventBus } from '../events/event-bus';
import { EventLogService } from '../events/event-log.service';
import { CurrentActor } from '../identity/current-actor.decorator';
import { Can } from '../identity/public.decorator';
import { eventActor } from '../tickets/tickets.service';
import { AlarmCodeEntity } from './alarm.entity';
import { AlarmCodeDto } from './dto/alarm-code.dto';

interface CodeTable {
  builtIn: { 'ADM-CID': typeof CONTACT_ID_CODES; 'SIA-DCS': typeof SIA_CODES };
  own: Array<{ protocol: PanelProtocol; code: string; meaning: PanelEventMeaning; updatedAt: string }>;
}

/**
 * The estate's own meanings for panel event codes, over the built-in table of libs/domain:
 * a detector wired to a code the installer chose, a trouble code that should open an
 * intrusion, a code to ignore. The receiver reads an entry for every event it takes.
 */
@ApiTags('alarms')
@ApiBearerAuth()
@Controller('alarm-codes')
export class AlarmCodesController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: EventLogService,
    private readonly bus: EventBus,
  ) {}

  @Get()
  @Can('alarm.codes.read')
  @ApiOkResponse({ description: 'the built-in table and the estate\'s own entries over it' })
  async list(): Promise<CodeTable> {
    const own = await this.dataSource.getRepository(AlarmCodeEntity).find({ order: { protocol: 'ASC', code: 'ASC' } });
    return {
      builtIn: { 'ADM-CID': CONTACT_ID_CODES, 'SIA-DCS': SIA_CODES },
      own: own.map((row) => ({ protocol: row.protocol, code: row.code, meaning: row.meaning, updatedAt: row.updatedAt.toISOString() })),
    };
  }

  @Put(':protocol/:code')
  @Can('alarm.codes.edit')
  @ApiOkResponse({ description: 'the meaning now in force for this code' })
  async set(
    @Param('protocol', new ParseEnumPipe(PANEL_PROTOCOLS)) protocol: PanelProtocol,
    @Param('code') code: string,
    @Body() body: AlarmCodeDto,
    @CurrentActor() actor: Actor,
  ): Promise<{ protocol: PanelProtocol; code: string; meaning: PanelEventMeaning }> {
    if (!PANEL_CODE_PATTERN[protocol].test(code)) throw invalidField('code', protocol === 'ADM-CID' ? 'three digits (the event code, no qualifier)' : 'two capital letters');
    if (body.action === 'alarm' && !body.kind) throw invalidField('kind', 'an alarm code names the kind it opens');
    if (body.action !== 'alarm' && (body.kind !== undefined || body.severity !== undefined)) throw invalidField(body.kind !== undefined ? 'kind' : 'severity', `only an alarm code takes it, not ${body.action}`);
    const meaning: PanelEventMeaning =
      body.action === 'alarm' && body.kind ? { alarm: body.kind, ...(body.severity !== undefined ? { severity: body.severity } : {}) } : ({ [body.action]: true } as PanelEventMeaning);
    await this.change(protocol, code, meaning, actor);
    return { protocol, code, meaning };
  }

  @Delete(':protocol/:code')
  @Can('alarm.codes.edit')
  @HttpCode(204)
  async remove(@Param('protocol', new ParseEnumPipe(PANEL_PROTOCOLS)) protocol: PanelProtocol, @Param('code') code: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.change(protocol, code, null, actor);
  }

  /** Sets or removes one entry, logged with what it was before. */
  private async change(protocol: PanelProtocol, code: string, meaning: PanelEventMeaning | null, actor: Actor): Promise<void> {
    const now = new Date();
    const event = await this.dataSource.transaction(async (db) => {
      const before = await db.findOne(AlarmCodeEntity, { where: { protocol, code }, lock: { mode: 'pessimistic_write' } });
      if (!meaning && !before) return null;
      if (meaning) await db.upsert(AlarmCodeEntity, { protocol, code, meaning, updatedAt: now, updatedBy: actor.id }, ['protocol', 'code']);
      else await db.delete(AlarmCodeEntity, { protocol, code });
      return this.log.append(db, { type: 'alarm.code_changed', actor: actor.id, data: { protocol, code, meaning, previous: before?.meaning ?? null, actor: eventActor(actor) } }, now);
    });
    if (event) this.bus.published([event]);
  }
}
