import { Controller, DefaultValuePipe, Get, ParseIntPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Actor, AnyDomainEvent } from '@dispatch/domain';
import { CurrentActor } from '../identity/current-actor.decorator';
import { EventLogService } from './event-log.service';

@ApiTags('events')
@ApiBearerAuth()
@Controller('events')
export class EventsController {
  constructor(private readonly log: EventLogService) {}

  @Get()
  @ApiQuery({ name: 'after', required: false, description: 'return events with seq greater than this' })
  @ApiQuery({ name: 'limit', required: false, description: '1..1000, default 200' })
  @ApiOkResponse({ description: '{ items, lastSeq } in seq order' })
  async page(
    @Query('after', new DefaultValuePipe(0), new ParseIntPipe({ errorHttpStatusCode: 400 })) after: number,
    @Query('limit', new DefaultValuePipe(200), new ParseIntPipe({ errorHttpStatusCode: 400 })) limit: number,
    @CurrentActor() actor: Actor,
  ): Promise<{ items: AnyDomainEvent[]; lastSeq: number }> {
    const bounded = Math.min(Math.max(limit, 1), 1000);
    const items = await this.log.after(Math.max(after, 0), bounded, actor);
    return { items, lastSeq: await this.log.lastSeq() };
  }
}
