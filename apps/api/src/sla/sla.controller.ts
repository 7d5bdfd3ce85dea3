import { Body, Controller, Get, NotFoundException, Param, ParseUUIDPipe, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Actor, SlaBoard, SlaPolicy } from '@dispatch/domain';
import { DataSource } from 'typeorm';
import { invalidField } from '../common/errors';
import { SlaBoardQuery } from '../common/query.dto';
import { EventBus } from '../events/event-bus';
import { EventLogService } from '../events/event-log.service';
import { CurrentActor } from '../identity/current-actor.decorator';
import { Can } from '../identity/public.decorator';
import { eventActor } from '../tickets/tickets.service';
import { UpdatePolicyDto } from './dto/update-policy.dto';
import { SlaBoardService } from './sla-board.service';
import { SlaPolicyEntity, toSlaPolicy } from './sla-policy.entity';

@ApiTags('sla')
@ApiBearerAuth()
@Controller('sla')
export class SlaController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: EventLogService,
    private readonly bus: EventBus,
    private readonly board: SlaBoardService,
  ) {}

  @Get('board')
  @Can('sla.board')
  @ApiOkResponse({ description: 'live KPIs: on-time rate per clock, breaches and escalations now, response time, first-time fix, satisfaction, open by age, per department and person, 24-hour trend' })
  snapshot(@CurrentActor() actor: Actor, @Query() query: SlaBoardQuery): Promise<SlaBoard> {
    return this.board.snapshot(actor, query.hours ?? 24);
  }

  @Get('policies')
  @Can('sla.policy.read')
  @ApiOkResponse({ description: 'the policy table: which tickets get which clock, and for how long' })
  async policies(): Promise<SlaPolicy[]> {
    const rows = await this.dataSource.getRepository(SlaPolicyEntity).find({ order: { clock: 'ASC', durationSeconds: 'ASC' } });
    return rows.map(toSlaPolicy);
  }

  /** Changes apply to clocks started from now on; each change is recorded in the event log. */
  @Patch('policies/:id')
  @Can('sla.policy.edit')
  @ApiOkResponse({ description: 'the policy after the change' })
  async update(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: UpdatePolicyDto, @CurrentActor() actor: Actor): Promise<SlaPolicy> {
    if (Object.values(body).every((value) => value === undefined)) throw invalidField('body', 'change at least one field');
    const now = new Date();
    const { policy, event } = await this.dataSource.transaction(async (db) => {
      const row = await db.findOne(SlaPolicyEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw new NotFoundException(`No policy ${id}`);
      const previous = toSlaPolicy(row);
      Object.assign(row, Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)), { updatedAt: now });
      await db.save(SlaPolicyEntity, row);
      const policy = toSlaPolicy(row);
      const event = await this.log.append(db, { type: 'sla.policy_changed', actor: actor.id, data: { policy, previous, actor: eventActor(actor) } }, now);
      return { policy, event };
    });
    this.bus.published([event]);
    return policy;
  }
}
