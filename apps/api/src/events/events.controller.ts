import { Controller, DefaultValuePipe, Get, ParseIntPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { AnyDomainEvent } from '@dispatch/domain';
import { EventLogService } from './event-log.service';

@ApiTags('events')
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
  ): Promise<{ items: AnyDomainEvent[]; lastSeq: number }> {
    const bounded = Math.min(Math.max(limit, 1), 1000);
    const items = await this.log.after(Math.max(after, 0), bounded);
    return { items, lastSeq: await this.log.lastSeq() };
  }
}
