import { Injectable } from '@nestjs/common';
import {
  type BusinessCalendar,
  type ClockKind,
  type ClockPlan,
  DEFAULT_CALENDAR,
  resolvePolicy,
  scheduleClock,
  type SlaEventType,
  WARNING_SHARE,
} from '@dispatch/domain';
import type { EntityManager } from 'typeorm';
import { EstateEntity } from '../estate/estate.entity';
import type { TicketEntity } from '../tickets/ticket.entity';
import { SlaPolicyEntity } from './sla-policy.entity';

/** Marks fired later than this after their moment are flagged `late` (e.g. every process was down). */
export const LATE_AFTER_MS = 2_000;
/** A ticket that must wait runs against the agreed time; escalation after it as for any clock. */
const AGREED_ESCALATION_MS = 10 * 60_000;
/** The channel every api process listens on to re-arm its timer when a clock starts. */
export const SLA_CHANNEL = 'sla_clock';

/** A mark that a step of the loop produced (met in time, or found already past due). */
export interface SlaMark {
  type: Extract<SlaEventType, 'sla.met' | 'sla.breached'>;
  clock: ClockKind;
  round: number;
  dueAt: Date;
  scheduledAt: Date;
  firedAt: Date;
}

/**
 * Starts, meets and cancels a ticket's clocks inside the transaction of the step that
 * causes it, so a clock and the state it measures never disagree.
 */
@Injectable()
export class ClockKeeper {
  async apply(db: EntityManager, ticket: TicketEntity, plan: ClockPlan, now: Date, agreedAt?: Date | null): Promise<SlaMark[]> {
    const marks: SlaMark[] = [];
    for (const clock of plan.meet) marks.push(...(await this.meet(db, ticket.id, clock, now)));
    // The clocks the step stops are cancelled with those it starts again, in one statement.
    if (plan.start.length > 0) await this.start(db, ticket, plan.start, now, agreedAt ?? null, { cancel: plan.cancel });
    else await this.cancel(db, ticket.id, plan.cancel, now);
    return marks;
  }

  async start(
    db: EntityManager,
    ticket: TicketEntity,
    clocks: readonly ClockKind[],
    now: Date,
    agreedAt: Date | null = null,
    /**
     * What the caller already read: the estate's calendar; `fresh`, a ticket just written (no
     * clock to cancel); `cancel`, clocks the step stops besides those it starts again.
     */
    known: { calendar?: BusinessCalendar | null; fresh?: boolean; cancel?: ClockPlan['cancel'] } = {},
  ): Promise<void> {
    const policies = await db.find(SlaPolicyEntity);
    const calendar: BusinessCalendar =
      (known.calendar !== undefined ? known.calendar : (await db.findOne(EstateEntity, { where: { id: ticket.estateId }, select: { id: true, calendar: true } }))?.calendar) ?? DEFAULT_CALENDAR;
    const schedules = clocks.flatMap((clock) => {
      const schedule = clock === 'agreed' ? agreedSchedule(now, agreedAt) : this.policySchedule(policies, clock, ticket, now, calendar);
      return schedule ? [{ clock, ...schedule }] : [];
    });
    // A clock started again is a new round: the running one cancelled, the round counted on,
    // all clocks of the step in one statement (a new alarm starts three at once), with the
    // notice delivered at commit: every process re-arms its timer if this clock is due sooner.
    const stopped = known.cancel ?? [];
    const restarted = known.fresh ? [] : schedules.map((one) => one.clock);
    await this.cancel(db, ticket.id, stopped === 'all' ? 'all' : [...new Set([...stopped, ...restarted])], now);
    if (schedules.length === 0) return;
    await db.query(
      `WITH started AS (
         INSERT INTO ticket_clock (ticket_id, clock, round, started_at, warn_at, due_at, escalate_at, business_hours, next_fire_at)
         SELECT $1, c.clock, coalesce((SELECT max(t.round) FROM ticket_clock t WHERE t.ticket_id = $1 AND t.clock = c.clock), 0) + 1,
                c.started_at, c.warn_at, c.due_at, c.escalate_at, c.business_hours, c.warn_at
           FROM jsonb_to_recordset($2::jsonb) AS c(clock text, started_at timestamptz, warn_at timestamptz, due_at timestamptz, escalate_at timestamptz, business_hours boolean)
         RETURNING 1)
       SELECT pg_notify($3, $1::text)`,
      [
        ticket.id,
        JSON.stringify(
          schedules.map((one) => ({
            clock: one.clock,
            started_at: one.startedAt.toISOString(),
            warn_at: one.warnAt.toISOString(),
            due_at: one.dueAt.toISOString(),
            escalate_at: one.escalateAt.toISOString(),
            business_hours: one.businessHours,
          })),
        ),
        SLA_CHANNEL,
      ],
    );
  }

  /**
   * Met: in time gives `sla.met`; a clock already past due that the engine has not fired yet
   * is breached here, so a late completion never slips through unrecorded. The row lock makes
   * this and the engine's firing exclusive: whichever comes second sees the first's work.
   */
  private async meet(db: EntityManager, ticketId: string, clock: ClockKind, now: Date): Promise<SlaMark[]> {
    type MetRow = { round: number; due_at: Date; was_breached: Date | null };
    // For an UPDATE, TypeORM answers [rows, affected count] rather than the rows.
    const [rows] = await db.query<[MetRow[], number]>(
      `WITH running AS (
         SELECT round, breached_at FROM ticket_clock
          WHERE ticket_id = $1 AND clock = $2 AND met_at IS NULL AND cancelled_at IS NULL
          FOR UPDATE)
       UPDATE ticket_clock c
          SET met_at = $3, next_fire_at = NULL,
              breached_at = coalesce(c.breached_at, CASE WHEN c.due_at < $3 THEN $3::timestamptz END)
         FROM running r
        WHERE c.ticket_id = $1 AND c.clock = $2 AND c.round = r.round
       RETURNING c.round, c.due_at, r.breached_at AS was_breached`,
      [ticketId, clock, now],
    );
    return rows
      .filter((row) => row.was_breached === null)
      .map((row) => {
        const dueAt = new Date(row.due_at);
        const inTime = now.getTime() <= dueAt.getTime();
        return { type: inTime ? 'sla.met' : 'sla.breached', clock, round: row.round, dueAt, scheduledAt: inTime ? now : dueAt, firedAt: now };
      });
  }

  private async cancel(db: EntityManager, ticketId: string, clocks: readonly ClockKind[] | 'all', now: Date): Promise<void> {
    if (clocks !== 'all' && clocks.length === 0) return;
    await db.query(
      `UPDATE ticket_clock SET cancelled_at = $2, next_fire_at = NULL
        WHERE ticket_id = $1 AND met_at IS NULL AND cancelled_at IS NULL ${clocks === 'all' ? '' : 'AND clock = ANY($3)'}`,
      clocks === 'all' ? [ticketId, now] : [ticketId, now, clocks],
    );
  }

  private policySchedule(policies: SlaPolicyEntity[], clock: ClockKind, ticket: TicketEntity, now: Date, calendar: BusinessCalendar) {
    const policy = resolvePolicy(policies, clock, ticket);
    if (!policy) return null;
    return { ...scheduleClock(policy, now, calendar), businessHours: policy.businessHours };
  }
}

function agreedSchedule(now: Date, agreedAt: Date | null) {
  if (!agreedAt) return null;
  const allowed = agreedAt.getTime() - now.getTime();
  return {
    startedAt: now,
    warnAt: new Date(now.getTime() + Math.round(allowed * WARNING_SHARE)),
    dueAt: agreedAt,
    escalateAt: new Date(agreedAt.getTime() + AGREED_ESCALATION_MS),
    businessHours: false,
  };
}
