import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { TicketPage } from '@dispatch/domain';
import type { Response } from 'express';
import { invalidField } from '../common/errors';
import { CreateTicketDto } from './dto/create-ticket.dto';
import { ListTicketsQuery } from './dto/list-tickets.dto';
import { type CreatedTicket, type TicketWithTimeline, TicketsService } from './tickets.service';

@ApiTags('tickets')
@Controller('tickets')
export class TicketsController {
  constructor(private readonly tickets: TicketsService) {}

  @Post()
  @HttpCode(201)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a retried delivery with the same key returns the first ticket (200)' })
  @ApiCreatedResponse({ description: 'the ticket with its clocks, and `seq` of its ticket.created event' })
  @ApiBadRequestResponse({ description: '`details` lists each field and reason' })
  async create(
    @Body() body: CreateTicketDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CreatedTicket> {
    if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,100}$/.test(idempotencyKey)) {
      throw invalidField('Idempotency-Key', 'must be 1-100 printable ASCII characters');
    }
    const { ticket, replayed } = await this.tickets.create(body, idempotencyKey);
    if (replayed) response.status(200);
    return ticket;
  }

  @Get()
  @ApiOkResponse({ description: 'newest first; pass nextCursor back as cursor for the next page' })
  list(@Query() query: ListTicketsQuery): Promise<TicketPage> {
    return this.tickets.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ description: 'the ticket and its timeline from the event log' })
  get(@Param('id', new ParseUUIDPipe({ version: '4' })) id: string): Promise<TicketWithTimeline> {
    return this.tickets.get(id);
  }
}
