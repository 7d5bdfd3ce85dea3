import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { EventsQuery } from '../common/query.dto';
import type { Actor, AnyDomainEvent } from '@dispatch/domain';
import { CurrentActor } from '../identity/current-actor.decorator';
import { EventLogService } from './event-log.service';

@ApiTags('events')
@ApiBearerAuth()
@Controller('events')
export class EventsController {
  constructor(private readonly log: EventLogService) {}

  @Get()
  @ApiOkResponse({ description: '{ items, lastSeq } in seq order, in the caller\'s scope' })
  async page(@Query() query: EventsQuery, @CurrentActor() actor: Actor): Promise<{ items: AnyDomainEvent[]; lastSeq: number }> {
    const items = await this.log.after(query.after ?? 0, query.limit ?? 200, actor);
    return { items, lastSeq: await this.log.lastSeq() };
  }
}
