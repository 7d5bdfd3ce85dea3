import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AnyDomainEvent, SlaEventType } from '@dispatch/domain';
import { DataSource, type EntityManager, In } from 'typeorm';
import { DATABASE_CONNECTION, type DatabaseConnection } from '../database/database.module';
import { PgListener } from '../database/pg-listener';
import { EventBus } from '../events/event-bus';
import { EventLogService } from '../events/event-log.service';
import { TicketClockEntity, TicketEntity } from '../tickets/ticket.entity';
import { loadTicketViews } from '../tickets/ticket-views';
import { LATE_AFTER_MS, SLA_CHANNEL } from './clock-keeper';

/** Clocks claimed per transaction. */
const BATCH = 200;
/** Re-check at least this often, should a notification be lost while the listener reconnects. */
const SAFETY_RECHECK_MS = 30_000;

interface Firing {
  type: Exclude<SlaEventType, 'sla.met'>;
  clock: TicketClockEntity;
  scheduledAt: Date;
}

/**
 * Fires warnings, breaches and escalations exactly once across every api process.
 * PostgreSQL is the truth: each process arms one in-process timer for the earliest
 * `next_fire_at`, claims due rows with FOR UPDATE SKIP LOCKED, records what fired on the row
 * and in the event log in one transaction, and pushes after commit. A row another process
 * holds is skipped, and once committed it no longer matches; marks that fell due while every
 * process was down fire at the next start, flagged late.
 */
@Injectable()
export class SlaScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SlaScheduler');
  private timer?: NodeJS.Timeout;
  private armedFor: number | null = null;
  private running = false;
  private again = false;
  private stopped = false;
  private listener?: PgListener;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DATABASE_CONNECTION) private readonly connection: DatabaseConnection,
    private readonly log: EventLogService,
    private readonly bus: EventBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.listener = new PgListener(this.connection.url, SLA_CHANNEL, this.rearmSoon, this.logger);
    await this.listener.start();
    // Not awaited: a backlog of marks that fell due while every process was down (thousands
    // after a long outage) fires in the background, oldest first, in batches, while the
    // port is already open; start-up does not wait for it.
    void this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.listener?.stop();
  }

  /** Runs every due mark now, then arms the timer for the next one. */
  async tick(): Promise<void> {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        while ((await this.fireDue()) === BATCH && !this.stopped);
      } while (this.again && !this.stopped);
      await this.arm();
    } catch (error) {
      this.logger.error(`firing failed: ${(error as Error).message}`);
      this.armIn(1_000);
    } finally {
      this.running = false;
    }
  }

  private async fireDue(): Promise<number> {
    const now = new Date();
    const events = await this.dataSource.transaction(async (db) => {
      const due = await db
        .getRepository(TicketClockEntity)
        .createQueryBuilder('c')
        .where('c.next_fire_at <= :now', { now })
        .orderBy('c.next_fire_at', 'ASC')
        .take(BATCH)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      if (due.length === 0) return { fired: 0, events: [] as AnyDomainEvent[] };
      const firings = due.flatMap((clock) => this.fire(clock, now));
      for (const clock of due) {
        await db.update(
          TicketClockEntity,
          { ticketId: clock.ticketId, clock: clock.clock, round: clock.round },
          { warnedAt: clock.warnedAt, breachedAt: clock.breachedAt, escalatedAt: clock.escalatedAt, nextFireAt: clock.nextFireAt },
        );
      }
      return { fired: due.length, events: await this.record(db, firings, now) };
    });
    this.bus.published(events.events);
    return events.fired;
  }

  /** Every mark of this clock whose moment has come, in order; the row is updated in place. */
  private fire(clock: TicketClockEntity, now: Date): Firing[] {
    const firings: Firing[] = [];
    const reached = (at: Date) => at.getTime() <= now.getTime();
    if (!clock.warnedAt && reached(clock.warnAt)) {
      clock.warnedAt = now;
      firings.push({ type: 'sla.warning', clock, scheduledAt: clock.warnAt });
    }
    if (!clock.breachedAt && reached(clock.dueAt)) {
      clock.breachedAt = now;
      firings.push({ type: 'sla.breached', clock, scheduledAt: clock.dueAt });
    }
    if (!clock.escalatedAt && clock.breachedAt && reached(clock.escalateAt)) {
      clock.escalatedAt = now;
      firings.push({ type: 'sla.escalated', clock, scheduledAt: clock.escalateAt });
    }
    clock.nextFireAt = !clock.warnedAt ? clock.warnAt : !clock.breachedAt ? clock.dueAt : !clock.escalatedAt ? clock.escalateAt : null;
    return firings;
  }

  private async record(db: EntityManager, firings: Firing[], now: Date): Promise<AnyDomainEvent[]> {
    if (firings.length === 0) return [];
    const ticketIds = [...new Set(firings.map((firing) => firing.clock.ticketId))];
    const tickets = await db.find(TicketEntity, { where: { id: In(ticketIds) } });
    const views = new Map((await loadTicketViews(db, tickets)).map((view) => [view.id, view]));
    const events: AnyDomainEvent[] = [];
    for (const firing of firings.sort((a, b) => a.scheduledAt.getTime() - b.scheduledAt.getTime())) {
      const view = views.get(firing.clock.ticketId);
      if (!view) continue;
      const lagMs = now.getTime() - firing.scheduledAt.getTime();
      events.push(
        await this.log.append(
          db,
          {
            type: firing.type,
            ticketId: firing.clock.ticketId,
            data: {
              clock: firing.clock.clock,
              round: firing.clock.round,
              dueAt: firing.clock.dueAt.toISOString(),
              scheduledAt: firing.scheduledAt.toISOString(),
              firedAt: now.toISOString(),
              lagMs,
              late: lagMs > LATE_AFTER_MS,
              ticket: view,
            },
          },
          now,
        ),
      );
    }
    return events;
  }

  /** Sets the timer for the earliest mark still to fire, across all processes' clocks. */
  private async arm(): Promise<void> {
    const [row] = await this.dataSource.query<Array<{ next: Date | null }>>(
      'SELECT min(next_fire_at) AS next FROM ticket_clock WHERE next_fire_at IS NOT NULL',
    );
    const next = row?.next ? new Date(row.next).getTime() : null;
    this.armIn(next === null ? SAFETY_RECHECK_MS : Math.min(Math.max(0, next - Date.now()), SAFETY_RECHECK_MS), next);
  }

  private armIn(delayMs: number, target: number | null = null): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.armedFor = target;
    this.timer = setTimeout(() => void this.tick(), delayMs);
  }

  /** A clock started anywhere (any process) may be due before the one armed for: look again. */
  private rearmSoon = (): void => {
    if (this.running) {
      this.again = true;
      return;
    }
    void this.arm().catch((error: unknown) => this.logger.warn(`re-arm failed: ${(error as Error).message}`));
  };

  /** For diagnostics and tests: the moment the timer is armed for (null: the safety re-check). */
  get nextArmedAt(): number | null {
    return this.armedFor;
  }
}
