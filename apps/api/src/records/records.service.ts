import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type Actor,
  type ChronicleEntryView,
  type ChronicleKind,
  hasPermission,
  type TeamDayLine,
  type UnitChronicle,
  type WorkLogEntryView,
  type WorkLogView,
} from '@dispatch/domain';
import { DataSource } from 'typeorm';
import { dayOrToday } from '../common/calendar-day';
import { invalidField } from '../common/errors';
import { EstateService } from '../estate/estate.service';
import { eventActor } from '../events/event-actor';
import { EventBus } from '../events/event-bus';
import { EventLogService } from '../events/event-log.service';

type StaffRow = { id: string; name: string; role: WorkLogView['staff']['role']; department: WorkLogView['staff']['department']; on_duty: boolean };

/**
 * 工作日志 and 单元大事记: the two records the control room keeps by hand, each shown beside
 * what the event log already holds (a person's steps that day; a unit's owners, tickets and
 * alarms), so nobody writes down what the system knows.
 */
@Injectable()
export class RecordsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly estates: EstateService,
    private readonly log: EventLogService,
    private readonly bus: EventBus,
  ) {}

  /** A person's day: their notes and what the log shows they did, in time order. */
  async day(actor: Actor, query: { date?: string; staffId?: string }): Promise<WorkLogView> {
    const { timezone } = await this.estates.current();
    const date = dayOrToday(query.date, timezone);
    const staff = await this.staff(query.staffId ?? actor.id);
    this.mayRead(actor, staff);
    const rows = await this.dataSource.query<Array<{ at: Date; source: 'note' | 'record'; text: string | null; type: string | null; ticket_id: string | null; number: string | null }>>(
      `WITH bounds AS (SELECT ($2::date)::timestamp AT TIME ZONE $3 AS lo, ($2::date + 1)::timestamp AT TIME ZONE $3 AS hi)
       SELECT w.at, 'note' AS source, w.text, NULL AS type, NULL::uuid AS ticket_id, NULL AS number
         FROM work_log_entry w, bounds b WHERE w.staff_id = $1 AND w.at >= b.lo AND w.at < b.hi
       UNION ALL
       SELECT e.at, 'record', NULL, e.type, e.ticket_id, t.number
         FROM event_log e CROSS JOIN bounds b LEFT JOIN ticket t ON t.id = e.ticket_id
        WHERE e.actor = $1::text AND e.at >= b.lo AND e.at < b.hi
        ORDER BY 1, 2 LIMIT 2000`,
      [staff.id, date, timezone],
    );
    const entries: WorkLogEntryView[] = rows.map((row) => ({
      at: new Date(row.at).toISOString(),
      source: row.source,
      text: row.text,
      type: row.type,
      ticket: row.ticket_id && row.number ? { id: row.ticket_id, number: row.number } : null,
    }));
    const records = entries.filter((entry) => entry.source === 'record');
    return {
      date,
      staff: { id: staff.id, name: staff.name, role: staff.role, department: staff.department },
      entries,
      counts: { tickets: new Set(records.map((entry) => entry.ticket?.id).filter(Boolean)).size, records: records.length, notes: entries.length - records.length },
    };
  }

  /** One line per person of the team (a supervisor's department; everyone for managers and the administrator). */
  async team(actor: Actor, query: { date?: string }): Promise<TeamDayLine[]> {
    const { id: estateId, timezone } = await this.estates.current();
    const date = dayOrToday(query.date, timezone);
    const department = actor.role === 'supervisor' ? actor.department : null;
    const rows = await this.dataSource.query<Array<StaffRow & { tickets: string; records: string; notes: string }>>(
      `WITH bounds AS (SELECT ($2::date)::timestamp AT TIME ZONE $3 AS lo, ($2::date + 1)::timestamp AT TIME ZONE $3 AS hi)
       SELECT s.id, s.name, s.role, s.department, s.on_duty,
              (SELECT count(DISTINCT e.ticket_id) FROM event_log e WHERE e.actor = s.id::text AND e.at >= b.lo AND e.at < b.hi) AS tickets,
              (SELECT count(*) FROM event_log e WHERE e.actor = s.id::text AND e.at >= b.lo AND e.at < b.hi) AS records,
              (SELECT count(*) FROM work_log_entry w WHERE w.staff_id = s.id AND w.at >= b.lo AND w.at < b.hi) AS notes
         FROM staff s CROSS JOIN bounds b
        WHERE s.estate_id = $1 AND s.active AND ($4::text IS NULL OR s.department = $4)
        ORDER BY s.department NULLS FIRST, s.name`,
      [estateId, date, timezone, department],
    );
    return rows.map((row) => ({
      staff: { id: row.id, name: row.name, role: row.role, department: row.department },
      tickets: Number(row.tickets),
      records: Number(row.records),
      notes: Number(row.notes),
      onDuty: row.on_duty,
    }));
  }

  /**
   * A note of my own day; logged (when, not what: the text stays in the work log). A tablet on a
   * weak network sends again: the same key is the same note, written once.
   */
  async note(actor: Actor, input: { text: string; at?: string }, idempotencyKey: string): Promise<{ entry: WorkLogEntryView; replayed: boolean }> {
    const now = new Date();
    const at = this.pastOrNow(input.at, now);
    const written = await this.dataSource.transaction(async (db) => {
      const [row] = await db.query<Array<{ id: string }>>(
        `INSERT INTO work_log_entry (staff_id, at, text, idempotency_key, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (staff_id, idempotency_key) DO NOTHING RETURNING id`,
        [actor.id, at, input.text.trim(), idempotencyKey, now],
      );
      if (!row) return null;
      return this.log.append(db, { type: 'worklog.noted', actor: actor.id, data: { entry: { id: row.id, at: at.toISOString() }, actor: eventActor(actor) } }, now);
    });
    if (written) {
      this.bus.published([written]);
      return { entry: { at: at.toISOString(), source: 'note', text: input.text.trim(), type: null, ticket: null }, replayed: false };
    }
    const [earlier] = await this.dataSource.query<Array<{ at: Date; text: string }>>(`SELECT at, text FROM work_log_entry WHERE staff_id = $1 AND idempotency_key = $2`, [actor.id, idempotencyKey]);
    return { entry: { at: new Date(earlier.at).toISOString(), source: 'note', text: earlier.text, type: null, ticket: null }, replayed: true };
  }

  /** A unit's chronicle: the desk's entries with the record's own (handover, owners in and out, tickets, alarms), newest first. */
  async chronicle(code: string): Promise<UnitChronicle> {
    const estate = await this.estates.current();
    const [unit] = await this.dataSource.query<Array<{ id: string; code: string; handover_date: string | null }>>(
      `SELECT id, code, to_char(handover_date, 'YYYY-MM-DD') AS handover_date FROM unit WHERE estate_id = $1 AND code = $2`,
      [estate.id, code],
    );
    if (!unit) throw new NotFoundException(`No unit ${code}`);
    const [entries, residents, tickets] = await Promise.all([
      this.dataSource.query<Array<{ at: Date; kind: ChronicleKind; note: string; by: string }>>(
        `SELECT c.at, c.kind, c.note, s.name AS by FROM unit_chronicle_entry c JOIN staff s ON s.id = c.by_id WHERE c.unit_id = $1`,
        [unit.id],
      ),
      this.dataSource.query<Array<{ role: string; created_at: Date; moved_out_at: Date | null }>>(`SELECT role, created_at, moved_out_at FROM resident WHERE unit_id = $1`, [unit.id]),
      this.dataSource.query<Array<{ id: string; number: string; kind: string; category: string; status: string; priority: string; received_at: Date }>>(
        `SELECT id, number, kind, category, status, priority, received_at FROM ticket WHERE unit_id = $1 ORDER BY received_at DESC LIMIT 200`,
        [unit.id],
      ),
    ]);
    const all: ChronicleEntryView[] = [
      ...entries.map((row) => ({ at: new Date(row.at).toISOString(), kind: row.kind, source: 'entry' as const, note: row.note, by: row.by, ticket: null, resident: null })),
      ...(unit.handover_date ? [{ at: new Date(`${unit.handover_date}T00:00:00Z`).toISOString(), kind: 'handover' as const, source: 'unit' as const, note: null, by: null, ticket: null, resident: null }] : []),
      ...residents.flatMap((row) => [
        { at: new Date(row.created_at).toISOString(), kind: 'resident' as const, source: 'archive' as const, note: null, by: null, ticket: null, resident: { role: row.role, change: 'moved_in' as const } },
        ...(row.moved_out_at ? [{ at: new Date(row.moved_out_at).toISOString(), kind: 'resident' as const, source: 'archive' as const, note: null, by: null, ticket: null, resident: { role: row.role, change: 'moved_out' as const } }] : []),
      ]),
      ...tickets.map((row) => ({
        at: new Date(row.received_at).toISOString(),
        kind: row.kind === 'alarm' ? ('alarm' as const) : ('ticket' as const),
        source: 'ticket' as const,
        note: null,
        by: null,
        ticket: { id: row.id, number: row.number, kind: row.kind, category: row.category, status: row.status, priority: row.priority },
        resident: null,
      })),
    ];
    all.sort((a, b) => b.at.localeCompare(a.at));
    return { unit: unit.code, entries: all };
  }

  async chronicleAdd(code: string, input: { kind: ChronicleKind; note: string; at?: string }, actor: Actor): Promise<ChronicleEntryView> {
    const estate = await this.estates.current();
    const now = new Date();
    const at = this.pastOrNow(input.at, now);
    const event = await this.dataSource.transaction(async (db) => {
      const [unit] = await db.query<Array<{ id: string }>>(`SELECT id FROM unit WHERE estate_id = $1 AND code = $2`, [estate.id, code]);
      if (!unit) throw new NotFoundException(`No unit ${code}`);
      const [row] = await db.query<Array<{ id: string }>>(
        `INSERT INTO unit_chronicle_entry (unit_id, kind, note, at, by_id, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [unit.id, input.kind, input.note.trim(), at, actor.id, now],
      );
      return this.log.append(db, { type: 'unit.chronicled', actor: actor.id, data: { unit: code, entry: { id: row.id, kind: input.kind, at: at.toISOString() }, actor: eventActor(actor) } }, now);
    });
    this.bus.published([event]);
    return { at: at.toISOString(), kind: input.kind, source: 'entry', note: input.note.trim(), by: actor.name, ticket: null, resident: null };
  }

  private pastOrNow(at: string | undefined, now: Date): Date {
    if (at === undefined) return now;
    const when = new Date(at);
    // A minute's grace for a device clock running ahead.
    if (when.getTime() > now.getTime() + 60_000) throw invalidField('at', 'is in the future');
    return when;
  }

  private async staff(id: string): Promise<StaffRow> {
    const [row] = await this.dataSource.query<StaffRow[]>(`SELECT id, name, role, department, on_duty FROM staff WHERE id = $1`, [id]);
    if (!row) throw new NotFoundException(`No staff member ${id}`);
    return row;
  }

  /** My own day always; another's with worklog.team, and a supervisor only within their department. */
  private mayRead(actor: Actor, staff: StaffRow): void {
    if (staff.id === actor.id) return;
    if (!hasPermission(actor.role, 'worklog.team')) throw new ForbiddenException('Only your own work log');
    if (actor.role === 'supervisor' && staff.department !== actor.department) throw new ForbiddenException('Only the work logs of your department');
  }
}
