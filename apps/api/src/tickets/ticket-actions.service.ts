import { ConflictException, ForbiddenException, type HttpException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type ActionInput,
  type Actor,
  type AlarmOutcome,
  type AnyDomainEvent,
  actionEventType,
  canSeeTicket,
  clockPlan,
  decide,
  type Decision,
  type Department,
  isRepairWork,
  type DocumentKind,
  priorityOfSeverity,
  reopensAfterCallback,
  type Satisfaction,
  type StepAnswer,
  type Severity,
  type TicketAction,
  type TicketStatus,
  type TicketView,
} from '@dispatch/domain';
import { DataSource, type EntityManager } from 'typeorm';
import { AlarmEntity } from '../alarms/alarm.entity';
import { type ErrorBody, invalidField } from '../common/errors';
import { StaffEntity } from '../estate/estate.entity';
import { EventBus } from '../events/event-bus';
import { EventLogService } from '../events/event-log.service';
import type { TicketActionDto } from './dto/ticket-action.dto';
import { ClockKeeper, LATE_AFTER_MS, type SlaMark } from '../sla/clock-keeper';
import { TicketDocumentEntity, TicketEntity } from './ticket.entity';
import { hasReporter } from './ticket.mapper';
import { loadTicketView } from './ticket-views';
import { eventActor } from './tickets.service';

export type ActedTicket = TicketView & { seq: number };

/** A 409 that carries the ticket as it is now, so the caller can refresh and decide again. */
export class TicketConflictException extends ConflictException {
  constructor(message: string, current: TicketView) {
    super({ statusCode: 409, error: 'Conflict', message, details: [], current } satisfies ErrorBody & { current: TicketView });
  }
}

interface Transition {
  action: TicketAction;
  from: TicketStatus;
  to: TicketStatus;
  input: ActionInput;
  automatic?: boolean;
}

@Injectable()
export class TicketActionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: EventLogService,
    private readonly bus: EventBus,
    private readonly clocks: ClockKeeper,
  ) {}

  /**
   * One step of the closed loop. The row is locked, the version compared, the domain table
   * consulted; the change, its documents and its event(s) commit together or not at all.
   */
  async act(ticketId: string, body: TicketActionDto, actor: Actor): Promise<ActedTicket> {
    const { action, version, ...fields } = body;
    const input = definedFields(fields);
    const events = await this.dataSource.transaction(async (db) => {
      const ticket = await db.findOne(TicketEntity, { where: { id: ticketId }, lock: { mode: 'pessimistic_write' } });
      if (!ticket || !canSeeTicket(actor, ticket)) throw new NotFoundException(`No ticket ${ticketId}`);
      if (ticket.version !== version) {
        throw new TicketConflictException(
          `Stale version: you saw ${version}, the ticket is at ${ticket.version} (${ticket.status})`,
          await loadTicketView(db, ticket),
        );
      }
      const documents = await this.documentKinds(db, ticket.id);
      const overdue = await this.isOverdue(db, ticket.id);
      const procedure = ticket.kind === 'alarm' ? ((await db.findOne(AlarmEntity, { where: { ticketId: ticket.id }, select: { ticketId: true, procedure: true } }))?.procedure ?? null) : null;
      const decision = decide({ ...ticket, documents, hasReporter: hasReporter(ticket), overdue, procedure }, action, actor, input);
      if (!decision.ok) throw await this.refusal(db, ticket, decision);
      return this.commit(db, ticket, { action, from: ticket.status, to: decision.to, input }, actor, new Date());
    });
    this.bus.published(events);
    const last = events[transitionCount(events) - 1];
    return { ...(last.data as { ticket: TicketView }).ticket, seq: last.seq };
  }

  /**
   * A step the system takes itself inside the caller's transaction (an alarm its own restore
   * ended): no one's permission is asked, but it is logged as any step, flagged `automatic`,
   * with no actor. The ticket must be locked by the caller. Returns the events to push.
   */
  async automatic(db: EntityManager, ticket: TicketEntity, action: TicketAction, to: TicketStatus, input: ActionInput, now: Date): Promise<AnyDomainEvent[]> {
    return this.commit(db, ticket, { action, from: ticket.status, to, input, automatic: true }, null, now);
  }

  /**
   * The change of one decided step, its documents and effects, its clocks and its event(s),
   * all in the caller's transaction (an unsatisfied callback adds the automatic reopen).
   */
  private async commit(db: EntityManager, ticket: TicketEntity, step: Transition, actor: Actor | null, now: Date): Promise<AnyDomainEvent[]> {
    const { action, to, input } = step;
    const before = { department: ticket.department, assigneeId: ticket.assigneeId };
    const transitions: Transition[] = [step];
    await this.applyEffects(db, ticket, action, input, actor, now);
    ticket.status = to;
    if (action === 'callback' && reopensAfterCallback((input.satisfaction as Satisfaction | undefined) ?? 'satisfied')) {
      // 不满意: the ticket goes back to the same department with the owner's words.
      transitions.push({ action: 'reopen', from: to, to: 'dispatched', input: { reason: input.result }, automatic: true });
      ticket.status = 'dispatched';
      this.reopen(ticket);
    }
    ticket.version += transitions.length;
    ticket.updatedAt = now;
    // The row is locked (by act, or by the caller of automatic): written whole, not read again to diff.
    const { id, ...columns } = ticket;
    await db.update(TicketEntity, { id }, columns);
    const marks: SlaMark[] = [];
    for (const transition of transitions) {
      marks.push(...(await this.clocks.apply(db, ticket, clockPlan(transition.action, transition.from, transition.to, transition.input), now, ticket.agreedAt)));
    }

    const appended: AnyDomainEvent[] = [];
    const view = await loadTicketView(db, ticket);
    // Moved away from a department or person: they get this last event too, so their boards drop it.
    const moved = before.department !== ticket.department || before.assigneeId !== ticket.assigneeId;
    for (const transition of transitions) {
      appended.push(
        await this.log.append(
          db,
          {
            type: actionEventType(transition.action),
            ticketId: ticket.id,
            ...(ticket.kind === 'alarm' ? { alarmId: ticket.id } : {}),
            ...(actor ? { actor: actor.id } : {}),
            data: { ...transition, actor: actor ? eventActor(actor) : null, ticket: view, ...(moved ? { previous: before } : {}) },
          },
          now,
        ),
      );
    }
    for (const mark of marks) {
      const lagMs = mark.firedAt.getTime() - mark.scheduledAt.getTime();
      appended.push(
        await this.log.append(
          db,
          {
            type: mark.type,
            ticketId: ticket.id,
            data: {
              clock: mark.clock,
              round: mark.round,
              dueAt: mark.dueAt.toISOString(),
              scheduledAt: mark.scheduledAt.toISOString(),
              firedAt: mark.firedAt.toISOString(),
              lagMs,
              late: lagMs > LATE_AFTER_MS,
              ticket: view,
            },
          },
          now,
        ),
      );
    }
    return appended;
  }

  /** The HTTP answer to a refusal of the domain table. */
  private async refusal(db: EntityManager, ticket: TicketEntity, decision: Extract<Decision, { ok: false }>): Promise<HttpException> {
    switch (decision.refusal) {
      case 'forbidden':
        return new ForbiddenException(decision.reason);
      case 'missing_field':
      case 'unexpected_field':
        return invalidField(decision.field ?? 'body', decision.reason);
      case 'illegal_transition':
      case 'documents_missing':
      case 'steps_open':
        return new TicketConflictException(decision.reason, await loadTicketView(db, ticket));
    }
  }

  private async applyEffects(db: EntityManager, ticket: TicketEntity, action: TicketAction, input: ActionInput, actor: Actor | null, now: Date): Promise<void> {
    switch (action) {
      case 'dispatch':
      case 'reassign': {
        const department = (input.department as Department | undefined) ?? ticket.department;
        const assigneeId = (input.assigneeId as string | undefined) ?? null;
        if (assigneeId) await this.checkAssignee(db, assigneeId, department);
        // 派单/改派/退回: to the named person, or to the department's queue.
        ticket.assigneeId = assigneeId;
        ticket.department = department;
        if (action === 'dispatch') {
          ticket.firstDispatchedAt ??= now;
          if (isRepairWork(ticket)) {
            await this.addDocument(db, ticket, 'dispatch_slip', { department, assigneeId: ticket.assigneeId, dispatchedAt: now.toISOString(), note: input.note ?? null }, actor, now);
          }
        }
        return;
      }
      case 'accept':
        ticket.assigneeId ??= actor?.id ?? null;
        return;
      case 'hand_back':
        ticket.assigneeId = null;
        return;
      case 'complete': {
        ticket.firstCompletedAt ??= now;
        const sheet = input.repairSheet as { labour: string; parts: unknown[]; ownerOpinion?: string } | undefined;
        if (sheet) {
          if (ticket.repair?.paid && !sheet.ownerOpinion) throw invalidField('repairSheet.ownerOpinion', 'paid work records the owner\'s opinion');
          await this.addDocument(db, ticket, 'repair_sheet', { ...sheet }, actor, now);
        }
        return;
      }
      case 'wait':
        ticket.agreedAt = futureAgreedAt(input, now);
        ticket.resumeStatus = ticket.status;
        return;
      case 'resume':
        ticket.resumeStatus = null;
        ticket.agreedAt = null;
        return;
      case 'extend_wait':
        ticket.agreedAt = futureAgreedAt(input, now);
        return;
      case 'explain_delay':
        // The explanation, the new expected date and how the owner was told are the event itself.
        futureAgreedAt(input, now);
        return;
      case 'check':
        await this.addDocument(db, ticket, 'cs_check', { result: input.result }, actor, now);
        return;
      case 'answer':
      case 'close':
        ticket.closedAt = now;
        return;
      case 'reopen': {
        const department = (input.department as Department | undefined) ?? ticket.department;
        const assigneeId = (input.assigneeId as string | undefined) ?? null;
        if (assigneeId) await this.checkAssignee(db, assigneeId, department);
        ticket.department = department;
        ticket.assigneeId = assigneeId ?? ticket.assigneeId;
        this.reopen(ticket);
        return;
      }
      case 'clear': {
        // Only the fields this step changes: a save of the whole row would write back the count
        // and last sighting a storm's fold (under the device lock, not the ticket's) just moved.
        await db.update(AlarmEntity, { ticketId: ticket.id }, { outcome: input.outcome as AlarmOutcome, outcomeReason: input.reason as string });
        return;
      }
      case 'raise_severity': {
        const alarm = await db.findOneByOrFail(AlarmEntity, { ticketId: ticket.id });
        const severity = input.severity as Severity;
        if (severity <= alarm.severity) throw invalidField('severity', `can only be raised (now ${alarm.severity})`);
        ticket.priority = priorityOfSeverity(severity);
        await db.update(AlarmEntity, { ticketId: ticket.id }, { severity });
        return;
      }
      case 'acknowledge': {
        const alarm = await db.findOneByOrFail(AlarmEntity, { ticketId: ticket.id });
        // The first acknowledgement is the one that stopped the tone; a later one is only logged.
        if (!alarm.acknowledgedAt) await db.update(AlarmEntity, { ticketId: ticket.id }, { acknowledgedAt: now, acknowledgedBy: actor?.id ?? null });
        return;
      }
      case 'mute': {
        await db.update(AlarmEntity, { ticketId: ticket.id }, { mutedUntil: new Date(now.getTime() + (input.minutes as number) * 60_000), mutedBy: actor?.id ?? null });
        return;
      }
      case 'step': {
        // The ticket row lock serialises ticks: two guards ticking at once cannot lose one.
        const alarm = await db.findOneByOrFail(AlarmEntity, { ticketId: ticket.id });
        if (!alarm.procedure || !actor) return;
        const done = { at: now.toISOString(), by: { id: actor.id, name: actor.name }, answer: (input.outcome as StepAnswer | undefined) ?? null, note: (input.note as string | undefined) ?? null };
        alarm.procedure = { ...alarm.procedure, steps: alarm.procedure.steps.map((one) => (one.key === input.step ? { ...one, done } : one)) };
        await db.update(AlarmEntity, { ticketId: ticket.id }, { procedure: alarm.procedure });
        return;
      }
      case 'callback':
        // The first callback is what the reports count (回访率, 满意度).
        if (!ticket.firstCallbackAt) {
          ticket.firstCallbackAt = now;
          ticket.callbackReached = input.outcome !== 'no_owner';
          ticket.callbackSatisfaction = (input.satisfaction as string | undefined) ?? null;
        }
        return;
      case 'arrive':
      case 'report':
      case 'contact':
      case 'cancel':
        return;
    }
  }

  private reopen(ticket: TicketEntity): void {
    ticket.reopenCount += 1;
    ticket.closedAt = null;
  }

  private async checkAssignee(db: EntityManager, assigneeId: string, department: Department): Promise<void> {
    const person = await db.findOne(StaffEntity, { where: { id: assigneeId } });
    if (!person || !person.active) throw invalidField('assigneeId', 'no active staff member with this id');
    if (person.role !== 'field' && person.role !== 'supervisor') throw invalidField('assigneeId', 'tasks go to field staff or supervisors');
    if (person.department !== department) throw invalidField('assigneeId', `works in ${person.department}, not ${department}`);
    if (!person.onDuty) throw invalidField('assigneeId', 'is not on duty');
  }

  private async addDocument(db: EntityManager, ticket: TicketEntity, kind: DocumentKind, data: Record<string, unknown>, actor: Actor | null, now: Date): Promise<void> {
    // Documents are signed by a person; the system's own steps (an automatic clear) write none.
    if (!actor) throw new Error(`a ${kind} needs an author`);
    await db.save(TicketDocumentEntity, db.create(TicketDocumentEntity, { ticketId: ticket.id, kind, data, createdBy: actor.id, createdAt: now }));
  }

  /** A clock breached and neither met nor cancelled: the `breached` state the view shows. */
  private async isOverdue(db: EntityManager, ticketId: string): Promise<boolean> {
    const [row] = await db.query<Array<{ overdue: boolean }>>(
      'SELECT EXISTS (SELECT 1 FROM ticket_clock WHERE ticket_id = $1 AND met_at IS NULL AND cancelled_at IS NULL AND breached_at IS NOT NULL) AS overdue',
      [ticketId],
    );
    return row.overdue;
  }

  private async documentKinds(db: EntityManager, ticketId: string): Promise<DocumentKind[]> {
    const rows = await db.find(TicketDocumentEntity, { where: { ticketId }, select: { kind: true } });
    return [...new Set(rows.map((row) => row.kind))];
  }

}

/** A time agreed with the owner lies ahead. */
function futureAgreedAt(input: ActionInput, now: Date): Date {
  const agreedAt = new Date(input.agreedAt as string);
  if (agreedAt.getTime() <= now.getTime()) throw invalidField('agreedAt', 'must be in the future');
  return agreedAt;
}

function definedFields(fields: Record<string, unknown>): ActionInput {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as ActionInput;
}

/** The step's own events come first; clock marks (sla.met, a late sla.breached) follow them. */
function transitionCount(events: AnyDomainEvent[]): number {
  return events.filter((event) => !event.type.startsWith('sla.')).length;
}
