import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor, RepeatCheck, TicketPage, TicketPreview } from '@dispatch/domain';
import type { Response } from 'express';
import { optionalIdempotencyKey } from '../common/idempotency-key';
import { CurrentActor } from '../identity/current-actor.decorator';
import { Can } from '../identity/public.decorator';
import { CreateTicketDto, RepeatCheckDto, TicketPreviewDto } from './dto/create-ticket.dto';
import { ListTicketsQuery, SearchTicketsDto } from './dto/list-tickets.dto';
import { TicketActionDto } from './dto/ticket-action.dto';
import { type ActedTicket, TicketActionsService } from './ticket-actions.service';
import { type CreatedTicket, type TicketWithTimeline, TicketsService } from './tickets.service';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('tickets')
@ApiBearerAuth()
@Controller('tickets')
export class TicketsController {
  constructor(
    private readonly tickets: TicketsService,
    private readonly actions: TicketActionsService,
  ) {}

  @Post()
  @HttpCode(201)
  @Can('ticket.create')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a retried delivery with the same key returns the first ticket (200)' })
  @ApiCreatedResponse({ description: 'the ticket with its clocks, and `seq` of its ticket.created event; `repeatOf` set when it repeats an earlier report' })
  @ApiBadRequestResponse({ description: '`details` lists each field and reason' })
  async create(
    @Body() body: CreateTicketDto,
    @CurrentActor() actor: Actor,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CreatedTicket> {
    const { ticket, replayed } = await this.tickets.create(body, actor, optionalIdempotencyKey(idempotencyKey));
    if (replayed) response.status(200);
    return ticket;
  }

  @Post('repeat-check')
  @HttpCode(200)
  @Can('ticket.repeat_check')
  @ApiOkResponse({ description: 'the earlier report this one would repeat (it would become a complaint), or null; nothing is written' })
  repeatCheck(@Body() body: RepeatCheckDto): Promise<RepeatCheck> {
    return this.tickets.repeatCheck(body);
  }

  @Post('search')
  @HttpCode(200)
  @Can('ticket.search')
  @ApiOkResponse({ description: 'tickets in the caller\'s scope, open or closed, newest first: by phone (exact), number, unit code or words' })
  search(@Body() body: SearchTicketsDto, @CurrentActor() actor: Actor): Promise<TicketPage> {
    return this.tickets.search(body, actor);
  }

  @Post('preview')
  @HttpCode(200)
  @Can('ticket.create')
  @ApiOkResponse({
    description:
      'what logging this report now would give: {kind, department, alsoDepartments, warranty: {covered, until, years, handoverDate, inWarranty, source} | null, clocks: [{clock, durationSeconds, businessHours, dueAt}], repeat}; nothing is written',
  })
  preview(@Body() body: TicketPreviewDto): Promise<TicketPreview> {
    return this.tickets.preview(body);
  }

  @Get()
  @ApiOkResponse({ description: 'tickets visible to the caller, newest first; pass nextCursor back as cursor' })
  list(@Query() query: ListTicketsQuery, @CurrentActor() actor: Actor): Promise<TicketPage> {
    return this.tickets.list(query, actor);
  }

  @Get(':id')
  @ApiOkResponse({ description: 'the ticket and its timeline from the event log' })
  get(@Param('id', uuid) id: string, @CurrentActor() actor: Actor): Promise<TicketWithTimeline> {
    return this.tickets.get(id, actor);
  }

  @Post(':id/reveal')
  @HttpCode(200)
  @Can('ticket.reveal_reporter')
  @ApiOkResponse({
    description:
      'the reporter\'s name and phone in full (or, with no reporter, the unit owner\'s on file: source owner); the desk, or the field worker assigned to the open ticket; each reveal is recorded in the event log',
  })
  reveal(@Param('id', uuid) id: string, @CurrentActor() actor: Actor): Promise<{ name: string | null; phone: string | null; source: 'reporter' | 'owner' | null }> {
    return this.tickets.revealReporter(id, actor);
  }

  @Post(':id/actions')
  @HttpCode(200)
  @ApiOkResponse({ description: 'the ticket after the step, and `seq` of its (last) event' })
  @ApiBadRequestResponse({ description: 'a field the action needs is missing, or one it does not take is present' })
  @ApiForbiddenResponse({ description: 'the caller\'s role may not take this step' })
  @ApiConflictResponse({ description: 'stale version, illegal transition or missing documents; `current` is the ticket now' })
  act(@Param('id', uuid) id: string, @Body() body: TicketActionDto, @CurrentActor() actor: Actor): Promise<ActedTicket> {
    return this.actions.act(id, body, actor);
  }
}
