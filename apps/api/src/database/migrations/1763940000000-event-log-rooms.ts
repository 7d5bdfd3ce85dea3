import { roomsForEvent } from '@dispatch/domain';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const BATCH = 2_000;

/**
 * Who an event is for, kept with the event: the rooms `roomsForEvent` names at append time.
 * A live push goes to those rooms, and a replay (`GET /api/events`, socket `resume`) now
 * reads the same rooms instead of the ticket's current department, so a reconnecting
 * client is given exactly what it would have been sent live, even for a ticket that has
 * moved since. Existing rows get the rooms their own data names; the append-only trigger is
 * set aside for that backfill alone, inside this migration's transaction.
 */
export class EventLogRooms1763940000000 implements MigrationInterface {
  name = 'EventLogRooms1763940000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE event_log ADD COLUMN rooms text[] NOT NULL DEFAULT '{}'`);
    await db.query('ALTER TABLE event_log DISABLE TRIGGER event_log_append_only');
    for (let after = 0; ; ) {
      const rows = await db.query(`SELECT seq, type, data FROM event_log WHERE seq > $1 ORDER BY seq LIMIT ${BATCH}`, [after]);
      if (rows.length === 0) break;
      const rooms = (rows as Array<{ seq: string; type: string; data: unknown }>).map((row) => ({ seq: row.seq, rooms: roomsForEvent(row) }));
      await db.query(
        `UPDATE event_log e SET rooms = ARRAY(SELECT jsonb_array_elements_text(v.rooms))
           FROM jsonb_to_recordset($1::jsonb) AS v(seq bigint, rooms jsonb) WHERE e.seq = v.seq`,
        [JSON.stringify(rooms)],
      );
      after = Number(rows[rows.length - 1].seq);
    }
    await db.query('ALTER TABLE event_log ENABLE TRIGGER event_log_append_only');
    await db.query(`ALTER TABLE event_log ALTER COLUMN rooms DROP DEFAULT`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE event_log DROP COLUMN rooms`);
  }
}
