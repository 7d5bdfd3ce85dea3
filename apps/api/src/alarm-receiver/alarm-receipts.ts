import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AnyDomainEvent, Severity } from '@dispatch/domain';
import { DataSource, type EntityManager } from 'typeorm';
import { AlarmsService } from '../alarms/alarms.service';
import type { AlarmIntakeDto } from '../alarms/dto/alarm-intake.dto';
import { every } from '../common/every';
import type { AppConfig } from '../config/env';
import { EventBus } from '../events/event-bus';

/** What a panel's message asks for: an alarm to open (or fold into its storm), or a restore. */
export type ReceiptMessage = { alarm: AlarmIntakeDto; severity?: Severity } | { restore: { eventId: string; code: string } };

interface ReceiptRow {
  id: string;
  device_id: string;
  message: ReceiptMessage;
  received_at: Date;
  attempts: number;
}

/** Receipts taken at once in one process (each its own transaction and connection). */
const LANES = 4;
/**
 * A receipt that failed this many times stops holding back its device's later messages (it is
 * still tried, less and less often): one message the code cannot take must not silence a panel.
 */
const BLOCKING_ATTEMPTS = 3;
const MAX_BACKOFF_SECONDS = 300;

/**
 * The receiver's journal. A panel's message is written here and committed before its ACK (one
 * short statement, so the ACK does not wait for the alarm's thirty), then opened as an alarm, or
 * applied as a restore, through the alarm path in a transaction that also removes the receipt:
 * each receipt acts once, and a process that dies mid-way leaves it for the next. Alarms keep
 * the time they were received, not the time they were opened. One device's messages are taken
 * in the order they came (a restore never overtakes its alarm); different devices in parallel,
 * in every api process (SKIP LOCKED).
 */
@Injectable()
export class AlarmReceipts implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AlarmReceipts');
  private readonly lanes = new Set<Promise<void>>();
  /** A receipt came (or may have) since a lane last found none. */
  private wanted = false;
  private closing = false;
  private stopSweep: () => void = () => undefined;

  constructor(
    private readonly config: ConfigService<AppConfig, true>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly alarms: AlarmsService,
    private readonly bus: EventBus,
  ) {}

  onApplicationBootstrap(): void {
    // Receipts another process left (it stopped, or a retry fell due) are taken on the sweep.
    this.stopSweep = every(this.config.get('WATCH_SWEEP_SECONDS', { infer: true }), async () => this.kick(LANES), this.logger, 'receipt sweep');
    this.kick(LANES);
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    this.stopSweep();
    await this.settled();
  }

  /**
   * Keeps a message: committed when this returns, so the panel may be answered. A retry of a
   * message still waiting is absorbed here; of one already taken, by the alarm's delivery id.
   */
  async keep(deviceId: string, eventId: string, message: ReceiptMessage, receivedAt: Date): Promise<void> {
    await this.dataSource.query('INSERT INTO alarm_receipt (event_id, device_id, message, received_at) VALUES ($1, $2, $3, $4) ON CONFLICT (event_id) DO NOTHING', [
      eventId,
      deviceId,
      JSON.stringify(message),
      receivedAt,
    ]);
    this.kick();
  }

  /** One more lane taking receipts (`lanes` more: the sweep), up to LANES at once. */
  kick(lanes = 1): void {
    this.wanted = true;
    for (let started = 0; started < lanes && !this.closing && this.lanes.size < LANES; started++) {
      const lane: Promise<void> = this.lane().finally(() => this.lanes.delete(lane));
      this.lanes.add(lane);
    }
  }

  /** Resolves once no lane is at work (the tests' and shutdown's wait; kicks first). */
  async settled(): Promise<void> {
    if (!this.closing) this.kick(LANES);
    while (this.lanes.size) await Promise.all([...this.lanes]);
  }

  /** Takes receipts until none is left that it may take (and none came meanwhile). */
  private async lane(): Promise<void> {
    for (;;) {
      this.wanted = false;
      let took: boolean;
      try {
        took = await this.takeOne();
      } catch (error) {
        // The database is away: the receipts wait for the sweep.
        this.logger.warn(`alarm receipts not taken: ${(error as Error).message}`);
        return;
      }
      if (this.closing || (!took && !this.wanted)) return;
    }
  }

  /**
   * Takes the oldest receipt that is the first of its device and not locked by another lane:
   * acted on and removed in one transaction. One that fails is rolled back whole, then kept
   * with its error and tried again later. False when there was none to take.
   */
  private async takeOne(): Promise<boolean> {
    let row: ReceiptRow | undefined;
    let events: AnyDomainEvent[] = [];
    try {
      await this.dataSource.transaction(async (db) => {
        [row] = await db.query<ReceiptRow[]>(
          `SELECT r.id, r.device_id, r.message, r.received_at, r.attempts FROM alarm_receipt r
            WHERE r.next_attempt_at <= now()
              AND NOT EXISTS (SELECT 1 FROM alarm_receipt e WHERE e.device_id = r.device_id AND e.id < r.id AND e.attempts < $1)
            ORDER BY r.id LIMIT 1 FOR UPDATE SKIP LOCKED`,
          [BLOCKING_ATTEMPTS],
        );
        if (!row) return;
        events = await this.act(db, row);
        await db.query('DELETE FROM alarm_receipt WHERE id = $1', [row.id]);
      });
    } catch (error) {
      if (!row) throw error;
      const message = (error as Error).message;
      this.logger.error(`alarm receipt ${row.id} of device ${row.device_id} failed (attempt ${row.attempts + 1}): ${message}`);
      await this.dataSource.query(
        `UPDATE alarm_receipt SET attempts = attempts + 1, last_error = $2, next_attempt_at = now() + make_interval(secs => least($3, 2 ^ (attempts + 1))) WHERE id = $1`,
        [row.id, message.slice(0, 500), MAX_BACKOFF_SECONDS],
      );
      return true;
    }
    if (events.length) this.bus.published(events);
    return row !== undefined;
  }

  /** The receipt through the alarm path, at the time it was received. */
  private async act(db: EntityManager, row: ReceiptRow): Promise<AnyDomainEvent[]> {
    const at = new Date(row.received_at);
    if ('restore' in row.message) return this.alarms.restoreIn(db, row.device_id, row.message.restore, undefined, at);
    const { event } = await this.alarms.receiveIn(db, row.message.alarm, () => undefined, row.message.severity, at);
    return event ? [event] : [];
  }
}
