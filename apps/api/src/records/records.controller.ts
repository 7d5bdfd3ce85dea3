import { Body, Controller, Get, Headers, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { requiredIdempotencyKey } from '../common/idempotency-key';
import type { Actor, ChronicleEntryView, TeamDayLine, UnitChronicle, WorkLogEntryView, WorkLogView } from '@dispatch/domain';
import { CurrentActor } from '../identity/current-actor.decorator';
import { Can } from '../identity/public.decorator';
import { ChronicleEntryDto, TeamDayQuery, WorkLogNoteDto, WorkLogQuery } from './dto/records.dto';
import { RecordsService } from './records.service';

/** 工作日志 (each person's day) and 单元大事记 (each unit's history). */
@ApiTags('records')
@ApiBearerAuth()
@Controller()
export class RecordsController {
  constructor(private readonly records: RecordsService) {}

  @Get('worklog')
  @Can('worklog.own')
  @ApiOkResponse({ description: 'a day of my work (or, for a supervisor, a team member\'s): notes and what the record shows, in time order' })
  day(@Query() query: WorkLogQuery, @CurrentActor() actor: Actor): Promise<WorkLogView> {
    return this.records.day(actor, query);
  }

  @Post('worklog')
  @Can('worklog.own')
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'one per note: a retried delivery with the same key is the same note (200)' })
  @ApiCreatedResponse({ description: 'the note, in my work log; logged as worklog.noted (when, not what)' })
  async note(
    @Body() body: WorkLogNoteDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<WorkLogEntryView> {
    const key = requiredIdempotencyKey(idempotencyKey, 'a note is sent with a key of 1-100 printable ASCII characters, the same on a retry');
    const { entry, replayed } = await this.records.note(actor, body, key);
    if (replayed) res.status(200);
    return entry;
  }

  @Get('worklog/team')
  @Can('worklog.team')
  @ApiOkResponse({ description: 'the team\'s day, one line per person: tickets touched, steps, notes, on duty' })
  team(@Query() query: TeamDayQuery, @CurrentActor() actor: Actor): Promise<TeamDayLine[]> {
    return this.records.team(actor, query);
  }

  @Get('units/:code/chronicle')
  @Can('chronicle.read')
  @ApiOkResponse({ description: '单元大事记: the desk\'s entries with the handover date, owners moving in and out, tickets and alarms, newest first' })
  chronicle(@Param('code') code: string): Promise<UnitChronicle> {
    return this.records.chronicle(code);
  }

  @Post('units/:code/chronicle')
  @Can('chronicle.write')
  @ApiCreatedResponse({ description: 'the entry; logged as unit.chronicled' })
  chronicleAdd(@Param('code') code: string, @Body() body: ChronicleEntryDto, @CurrentActor() actor: Actor): Promise<ChronicleEntryView> {
    return this.records.chronicleAdd(code, body, actor);
  }
}
