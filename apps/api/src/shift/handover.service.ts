import { ConflictException, Injectable, Logger, NotFoundException, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, HANDOVER_HORIZON_MS, HANDOVER_SIGN_WITHIN_MS, type HandoverDraft, type HandoverView } from '@dispatch/domain';
import { DataSource, type EntityManager } from 'typeorm';
import { every } from '../common/every';
import type { AppConfig } from '../config/env';
import { StaffEntity } from '../estate/estate.entity';
import { eventActor } from '../events/event-actor';
import { EventBus } from '../events/event-bus';
import { EventLogService } from '../events/event-log.service';
import { HandoverEntity } from './handover.entity';

/** How old the draft the outgoing shift read may be when they submit. */
const DRAFT_FRESH_MS = 30 * 60_000;

/**
 * 交接班: the console drafts the handover from the record, the outgoing desk submits it with
 * its notes, the incoming shift signs it; one unsigned 15 minutes on alerts the
 * customer-service supervisors (once: the row is marked in the same transaction).
 */
@Injectable()
export class HandoverService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Handover');
  private stopSweep: () => void = () => undefined;

  constructor(
    private readonly config: ConfigService<AppConfig, true>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: EventLogService,
    private readonly bus: EventBus,
  ) {}

  onApplicationBootstrap(): void {
    this.stopSweep = every(this.config.get('WATCH_SWEEP_SECONDS', { infer: true }), () => this.alertUnsigned(), this.logger, 'handover sweep');
  }

  onApplicationShutdown(): void {
    this.stopSweep();
  }

  /** The handover as the record stands at `now`. */
  async draft(db: EntityManager = this.dataSource.manager, now = new Date()): Promise<HandoverDraft> {
    const horizon = new Date(now.getTime() + HANDOVER_HORIZON_MS);
    const open = await db.query<Array<{ id: string; number: string; location_label: string; status: string; department: HandoverDraft['open'][number]['department']; next_due: Date | null }>>(
      `SELECT t.id, t.number, t.location_label, t.status, t.department,
              (SELECT min(c.due_at) FROM ticket_clock c WHERE c.ticket_id = t.id AND c.met_at IS NULL AND c.cancelled_at IS NULL) AS next_due
         FROM ticket t WHERE t.status NOT IN ('closed', 'cancelled')
        ORDER BY next_due ASC NULLS LAST, t.received_at ASC LIMIT 300`,
    );
    const promises = await db.query<Array<{ id: string; number: string; location_label: string; what: 'agreed' | 'callback'; due_at: Date }>>(
      `SELECT t.id, t.number, t.location_label, 'agreed' AS what, t.agreed_at AS due_at
         FROM ticket t WHERE t.status = 'waiting' AND t.agreed_at <= $1
       UNION ALL
       SELECT t.id, t.number, t.location_label, 'callback', c.due_at
         FROM ticket_clock c JOIN ticket t ON t.id = c.ticket_id
        WHERE c.clock = 'callback' AND c.met_at IS NULL AND c.cancelled_at IS NULL AND c.due_at <= $1 AND t.status NOT IN ('closed', 'cancelled')
       ORDER BY due_at`,
      [horizon],
    );
    const muted = await db.query<Array<{ id: string; number: string; location_label: string; muted_until: Date }>>(
      `SELECT t.id, t.number, t.location_label, a.muted_until FROM alarm a JOIN ticket t ON t.id = a.ticket_id
        WHERE a.muted_until > $1 AND t.status NOT IN ('done', 'callback_done', 'closed', 'cancelled') ORDER BY a.muted_until`,
      [now],
    );
    const devices = await db.query<Array<{ id: string; name: string; offline_since: Date }>>(`SELECT id, name, offline_since FROM device WHERE offline_since IS NOT NULL ORDER BY offline_since`);
    const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);
    return {
      draftedAt: now.toISOString(),
      open: open.map((row) => ({ id: row.id, number: row.number, location: row.location_label, status: row.status, department: row.department, nextDueAt: iso(row.next_due) })),
      promises: promises.map((row) => ({ id: row.id, number: row.number, location: row.location_label, what: row.what, dueAt: new Date(row.due_at).toISOString() })),
      mutedAlarms: muted.map((row) => ({ id: row.id, number: row.number, location: row.location_label, mutedUntil: new Date(row.muted_until).toISOString() })),
      devicesOffline: devices.map((row) => ({ id: row.id, name: row.name, offlineSince: new Date(row.offline_since).toISOString() })),
    };
  }

  async submit(draftedAt: string, notes: string | undefined, actor: Actor): Promise<HandoverView> {
    const now = new Date();
    // What is handed over is what the outgoing shift read, not a record long moved on.
    const age = now.getTime() - Date.parse(draftedAt);
    if (age > DRAFT_FRESH_MS || age < -60_000) throw new ConflictException('The draft you read is more than 30 minutes old (or from the future): read it again before submitting');
    const { id, event } = await this.dataSource.transaction(async (db) => {
      const draft = await this.draft(db, now);
      const row = await db.save(HandoverEntity, db.create(HandoverEntity, { department: 'customer_service', draft, notes: notes ?? null, submittedBy: actor.id, submittedAt: now, signedBy: null, signedAt: null, signNote: null, alertedAt: null }));
      const appended = await this.log.append(db, { type: 'handover.submitted', actor: actor.id, data: { handover: { id: row.id, open: draft.open.length, promises: draft.promises.length }, actor: eventActor(actor) } }, now);
      return { id: row.id, event: appended };
    });
    this.bus.published([event]);
    return this.get(id);
  }

  /** 接班: the incoming shift acknowledges the whole handover; not the one who wrote it. */
  async sign(id: string, note: string | undefined, actor: Actor): Promise<HandoverView> {
    const now = new Date();
    const event = await this.dataSource.transaction(async (db) => {
      const row = await db.findOne(HandoverEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw new NotFoundException(`No handover ${id}`);
      if (row.signedAt) throw new ConflictException('This handover is already signed');
      if (row.submittedBy === actor.id) throw new ConflictException('The incoming shift signs a handover, not the one who wrote it');
      await db.update(HandoverEntity, { id }, { signedBy: actor.id, signedAt: now, signNote: note ?? null });
      return this.log.append(db, { type: 'handover.signed', actor: actor.id, data: { handover: { id }, actor: eventActor(actor) } }, now);
    });
    this.bus.published([event]);
    return this.get(id);
  }

  async list(q?: string): Promise<HandoverView[]> {
    const query = this.dataSource.getRepository(HandoverEntity).createQueryBuilder('h').orderBy('h.submitted_at', 'DESC').limit(50);
    if (q) query.where("h.notes ILIKE '%' || :q || '%' ESCAPE '\\'", { q: q.replace(/[\\%_]/g, (c) => `\\${c}`) });
    return this.views(await query.getMany());
  }

  async get(id: string): Promise<HandoverView> {
    const row = await this.dataSource.getRepository(HandoverEntity).findOne({ where: { id } });
    if (!row) throw new NotFoundException(`No handover ${id}`);
    const [view] = await this.views([row]);
    return view;
  }

  /** Handovers nobody signed 15 minutes after submission: one `handover.unsigned` each. Returns their ids. */
  async alertUnsigned(now = new Date()): Promise<string[]> {
    const { events, ids } = await this.dataSource.transaction(async (db) => {
      const due = await db.query<Array<{ id: string; submitted_at: Date; submitted_by: string }>>(
        `WITH due AS (
           UPDATE handover SET alerted_at = $1
            WHERE signed_at IS NULL AND alerted_at IS NULL AND submitted_at <= $2
            RETURNING id, submitted_at, submitted_by)
         SELECT due.id, due.submitted_at, s.name AS submitted_by FROM due JOIN staff s ON s.id = due.submitted_by`,
        [now, new Date(now.getTime() - HANDOVER_SIGN_WITHIN_MS)],
      );
      const appended = [];
      for (const row of due) {
        appended.push(await this.log.append(db, { type: 'handover.unsigned', data: { handover: { id: row.id, submittedAt: new Date(row.submitted_at).toISOString(), submittedBy: row.submitted_by } } }, now));
      }
      return { events: appended, ids: due.map((row) => row.id) };
    });
    if (events.length) this.bus.published(events);
    return ids;
  }

  async onDuty(actor: Actor): Promise<{ onDuty: boolean }> {
    const staff = await this.dataSource.getRepository(StaffEntity).findOneOrFail({ where: { id: actor.id }, select: { id: true, onDuty: true } });
    return { onDuty: staff.onDuty };
  }

  /** Someone starts or ends their own shift. */
  async setOnDuty(actor: Actor, onDuty: boolean): Promise<{ onDuty: boolean }> {
    const event = await this.dataSource.transaction(async (db) => {
      const staff = await db.findOneOrFail(StaffEntity, { where: { id: actor.id }, lock: { mode: 'pessimistic_write' } });
      if (staff.onDuty === onDuty) return null;
      await db.update(StaffEntity, { id: actor.id }, { onDuty });
      return this.log.append(db, { type: 'staff.shift_changed', actor: actor.id, data: { staff: eventActor(actor), department: actor.department, onDuty } }, new Date());
    });
    if (event) this.bus.published([event]);
    return { onDuty };
  }

  private async views(rows: HandoverEntity[]): Promise<HandoverView[]> {
    const ids = [...new Set(rows.flatMap((row) => [row.submittedBy, row.signedBy]).filter((id): id is string => id !== null))];
    const staff = ids.length ? await this.dataSource.getRepository(StaffEntity).find({ where: ids.map((id) => ({ id })), select: { id: true, name: true } }) : [];
    const person = (id: string | null) => {
      const found = id ? staff.find((one) => one.id === id) : undefined;
      return found ? { id: found.id, name: found.name } : null;
    };
    return rows.map((row) => ({
      id: row.id,
      department: row.department,
      draft: row.draft,
      notes: row.notes,
      submittedBy: person(row.submittedBy) ?? { id: row.submittedBy, name: '' },
      submittedAt: row.submittedAt.toISOString(),
      signedBy: person(row.signedBy),
      signedAt: row.signedAt?.toISOString() ?? null,
      signNote: row.signNote,
      alertedAt: row.alertedAt?.toISOString() ?? null,
    }));
  }
}
