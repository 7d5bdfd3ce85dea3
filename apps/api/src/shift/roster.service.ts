import { ForbiddenException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, type Department, type RosterDay, rosterProblem, type RosterShift } from '@dispatch/domain';
import { DataSource } from 'typeorm';
import { dayOrToday } from '../common/calendar-day';
import { invalidField, InvalidInputException } from '../common/errors';
import { EstateService } from '../estate/estate.service';
import { eventActor } from '../events/event-actor';
import { EventBus } from '../events/event-bus';
import { EventLogService } from '../events/event-log.service';

type ShiftRow = { id: string; staff_id: string; name: string; department: Department; date: string; start_time: string; end_time: string; starts_at: Date; ends_at: Date };

/**
 * 排班: a department's day of shifts, set as a whole by its supervisor (or the manager or
 * administrator), each shift's times turned into instants in the estate's time zone.
 */
@Injectable()
export class RosterService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly estates: EstateService,
    private readonly log: EventLogService,
    private readonly bus: EventBus,
  ) {}

  /** A day's shifts, with the people who can be on a roster (active staff of a department). */
  async day(date: string | undefined): Promise<RosterDay> {
    const { id: estateId, timezone } = await this.estates.current();
    const day = dayOrToday(date, timezone);
    const rows = await this.dataSource.query<ShiftRow[]>(
      `SELECT r.id, r.staff_id, s.name, r.department, to_char(r.date, 'YYYY-MM-DD') AS date, r.start_time, r.end_time, r.starts_at, r.ends_at
         FROM roster_shift r JOIN staff s ON s.id = r.staff_id
        WHERE r.date = $1 AND s.estate_id = $2 ORDER BY r.department, r.starts_at, s.name`,
      [day, estateId],
    );
    const people = await this.dataSource.query<RosterDay['people']>(
      `SELECT id, name, role, department FROM staff WHERE estate_id = $1 AND active AND department IS NOT NULL ORDER BY department, role, name`,
      [estateId],
    );
    return { date: day, shifts: rows.map(viewOf), people };
  }

  async setDay(date: string, department: Department, shifts: Array<{ staffId: string; start: string; end: string }>, actor: Actor): Promise<RosterDay> {
    if (actor.role === 'supervisor' && actor.department !== department) throw new ForbiddenException('Only your own department\'s roster');
    const { id: estateId, timezone } = await this.estates.current();
    const day = dayOrToday(date, timezone);
    const problem = rosterProblem(shifts);
    if (problem) throw invalidField(`shifts.${problem.index}.${problem.field}`, problem.reason);
    const ids = [...new Set(shifts.map((shift) => shift.staffId))];
    const members = new Set(
      (await this.dataSource.query<Array<{ id: string }>>(`SELECT id FROM staff WHERE id = ANY($1::uuid[]) AND estate_id = $2 AND department = $3 AND active`, [ids, estateId, department])).map((row) => row.id),
    );
    const strangers = shifts.flatMap((shift, index) => (members.has(shift.staffId) ? [] : [{ field: `shifts.${index}.staffId`, reason: `is not an active member of ${department}` }]));
    if (strangers.length > 0) throw new InvalidInputException(strangers);

    const now = new Date();
    const event = await this.dataSource.transaction(async (db) => {
      await db.query(`DELETE FROM roster_shift WHERE date = $1 AND department = $2`, [day, department]);
      if (shifts.length > 0) {
        await db.query(
          `INSERT INTO roster_shift (staff_id, department, date, start_time, end_time, starts_at, ends_at, created_by, created_at)
           SELECT x.staff_id, $2, $1::date, x.start_time, x.end_time,
                  ($1::date + x.start_time::time) AT TIME ZONE $3,
                  ($1::date + CASE WHEN x.end_time::time <= x.start_time::time THEN 1 ELSE 0 END + x.end_time::time) AT TIME ZONE $3,
                  $4, $5
             FROM jsonb_to_recordset($6::jsonb) AS x(staff_id uuid, start_time text, end_time text)`,
          [day, department, timezone, actor.id, now, JSON.stringify(shifts.map((shift) => ({ staff_id: shift.staffId, start_time: shift.start, end_time: shift.end })))],
        );
      }
      return this.log.append(db, { type: 'roster.changed', actor: actor.id, data: { date: day, department, shifts: shifts.length, actor: eventActor(actor) } }, now);
    });
    this.bus.published([event]);
    const all = await this.day(day);
    return { ...all, shifts: all.shifts.filter((shift) => shift.department === department), people: all.people.filter((person) => person.department === department) };
  }

}

function viewOf(row: ShiftRow): RosterShift {
  return {
    id: row.id,
    staff: { id: row.staff_id, name: row.name },
    department: row.department,
    date: row.date,
    start: row.start_time,
    end: row.end_time,
    startsAt: new Date(row.starts_at).toISOString(),
    endsAt: new Date(row.ends_at).toISOString(),
  };
}
