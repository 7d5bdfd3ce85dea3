import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor, HandoverDraft, HandoverView, RosterDay } from '@dispatch/domain';
import { CurrentActor } from '../identity/current-actor.decorator';
import { Can } from '../identity/public.decorator';
import { HandoverListQuery, RosterDayDto, RosterDayParams, RosterQuery, ShiftDto, SignHandoverDto, SubmitHandoverDto } from './dto/handover.dto';
import { HandoverService } from './handover.service';
import { RosterService } from './roster.service';

/** Shifts (on duty or not) and the desk's handover (交接班). */
@ApiTags('shift')
@ApiBearerAuth()
@Controller()
export class ShiftController {
  constructor(
    private readonly handovers: HandoverService,
    private readonly rosters: RosterService,
  ) {}

  @Get('rosters')
  @Can('roster.read')
  @ApiOkResponse({ description: '排班: every department\'s shifts of the day (the estate\'s day; today by default), each with its times as instants' })
  roster(@Query() query: RosterQuery): Promise<RosterDay> {
    return this.rosters.day(query.date);
  }

  @Put('rosters/:date/:department')
  @Can('roster.edit')
  @ApiOkResponse({ description: 'the department\'s shifts of the day, replaced as a whole (a supervisor: their own department); logged as roster.changed' })
  setRoster(@Param() params: RosterDayParams, @Body() body: RosterDayDto, @CurrentActor() actor: Actor): Promise<RosterDay> {
    return this.rosters.setDay(params.date, params.department, body.shifts, actor);
  }

  @Get('shift')
  @Can('shift.own')
  @ApiOkResponse({ description: 'whether my shift is on' })
  current(@CurrentActor() actor: Actor): Promise<{ onDuty: boolean }> {
    return this.handovers.onDuty(actor);
  }

  @Post('shift')
  @Can('shift.own')
  @HttpCode(200)
  @ApiOkResponse({ description: 'my shift started (onDuty: true) or ended; dispatch offers those on duty' })
  shift(@Body() body: ShiftDto, @CurrentActor() actor: Actor): Promise<{ onDuty: boolean }> {
    return this.handovers.setOnDuty(actor, body.onDuty);
  }

  @Get('handovers/draft')
  @Can('handover.read')
  @ApiOkResponse({ description: 'the handover as the record stands now: open tickets, promises in the next 12 h, muted alarms, devices offline' })
  draft(): Promise<HandoverDraft> {
    return this.handovers.draft();
  }

  @Post('handovers')
  @Can('handover.write')
  @ApiCreatedResponse({ description: 'the submitted handover, with the draft as it stood' })
  submit(@Body() body: SubmitHandoverDto, @CurrentActor() actor: Actor): Promise<HandoverView> {
    return this.handovers.submit(body.draftedAt, body.notes, actor);
  }

  @Get('handovers')
  @Can('handover.read')
  @ApiOkResponse({ description: 'handovers, newest first; q searches the notes' })
  list(@Query() query: HandoverListQuery): Promise<HandoverView[]> {
    return this.handovers.list(query.q);
  }

  @Post('handovers/:id/sign')
  @Can('handover.write')
  @HttpCode(200)
  @ApiOkResponse({ description: 'signed by the incoming shift; 409 if already signed or signed by its writer' })
  sign(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: SignHandoverDto, @CurrentActor() actor: Actor): Promise<HandoverView> {
    return this.handovers.sign(id, body.note, actor);
  }
}
