import { Body, Controller, Get, Param, ParseEnumPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { ALARM_KINDS, type Actor, type AlarmKind, type AlarmProcedure, DEFAULT_ALARM_PROCEDURES, procedureProblem } from '@dispatch/domain';
import { DataSource } from 'typeorm';
import { invalidField } from '../common/errors';
import { EstateService } from '../estate/estate.service';
import { EventBus } from '../events/event-bus';
import { EventLogService } from '../events/event-log.service';
import { CurrentActor } from '../identity/current-actor.decorator';
import { Can } from '../identity/public.decorator';
import { eventActor } from '../tickets/tickets.service';
import { AlarmProcedureEntity } from './alarm.entity';
import { AlarmProcedureDto } from './dto/alarm-procedure.dto';

type ProcedureListing = Record<AlarmKind, AlarmProcedure & { edited: boolean }>;

/**
 * The procedures (SOP) per alarm kind of this estate: the defaults of libs/domain unless an
 * admin replaced one. A change applies to alarms opened after it; each open alarm keeps the
 * procedure it was opened under.
 */
@ApiTags('alarms')
@ApiBearerAuth()
@Controller('alarm-procedures')
export class AlarmProceduresController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly estates: EstateService,
    private readonly log: EventLogService,
    private readonly bus: EventBus,
  ) {}

  @Get()
  @Can('alarm.procedures.read')
  @ApiOkResponse({ description: 'every alarm kind with its procedure; `edited` when the estate has its own' })
  async list(): Promise<ProcedureListing> {
    const estate = await this.estates.current();
    const edited = await this.dataSource.getRepository(AlarmProcedureEntity).find({ where: { estateId: estate.id } });
    const own = new Map(edited.map((row) => [row.alarmKind, row.procedure]));
    return Object.fromEntries(ALARM_KINDS.map((kind) => [kind, { ...(own.get(kind) ?? DEFAULT_ALARM_PROCEDURES[kind]), edited: own.has(kind) }])) as ProcedureListing;
  }

  @Put(':kind')
  @Can('alarm.procedures.edit')
  @ApiOkResponse({ description: 'the procedure now in force for alarms of this kind opened from now on' })
  async replace(@Param('kind', new ParseEnumPipe(ALARM_KINDS)) kind: AlarmKind, @Body() body: AlarmProcedureDto, @CurrentActor() actor: Actor): Promise<AlarmProcedure> {
    const procedure: AlarmProcedure = {
      restoreCompletes: body.restoreCompletes,
      steps: body.steps.map(({ key, zh, en, kind: stepKind, required }) => ({ key, zh, en, kind: stepKind, required })),
    };
    const problem = procedureProblem(procedure);
    if (problem) throw invalidField(problem.field, problem.reason);
    const estate = await this.estates.current();
    const now = new Date();
    const event = await this.dataSource.transaction(async (db) => {
      const before = await db.findOne(AlarmProcedureEntity, { where: { estateId: estate.id, alarmKind: kind }, lock: { mode: 'pessimistic_write' } });
      await db.upsert(AlarmProcedureEntity, { estateId: estate.id, alarmKind: kind, procedure, updatedAt: now, updatedBy: actor.id }, ['estateId', 'alarmKind']);
      const previous = before?.procedure ?? DEFAULT_ALARM_PROCEDURES[kind];
      return this.log.append(db, { type: 'alarm.procedure_changed', actor: actor.id, data: { alarmKind: kind, procedure, previous, actor: eventActor(actor) } }, now);
    });
    this.bus.published([event]);
    return procedure;
  }
}
