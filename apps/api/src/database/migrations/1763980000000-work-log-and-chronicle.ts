import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 工作日志: each person's own entries (the rest of their day is read from the event log by
 * actor, hence the index); 单元大事记: a unit's significant events entered by the desk
 * (decoration, major repairs...), shown with what the record already holds of the unit.
 */
export class WorkLogAndChronicle1763980000000 implements MigrationInterface {
  name = 'WorkLogAndChronicle1763980000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE work_log_entry (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        staff_id uuid NOT NULL REFERENCES staff (id),
        at timestamptz NOT NULL,
        text text NOT NULL,
        idempotency_key text NOT NULL,
        created_at timestamptz NOT NULL,
        UNIQUE (staff_id, idempotency_key)
      )`);
    await db.query('CREATE INDEX work_log_entry_staff_at ON work_log_entry (staff_id, at)');
    await db.query(`
      CREATE TABLE unit_chronicle_entry (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        unit_id uuid NOT NULL REFERENCES unit (id),
        kind text NOT NULL,
        note text NOT NULL,
        at timestamptz NOT NULL,
        by_id uuid NOT NULL REFERENCES staff (id),
        created_at timestamptz NOT NULL
      )`);
    await db.query('CREATE INDEX unit_chronicle_entry_unit_at ON unit_chronicle_entry (unit_id, at)');
    await db.query('CREATE INDEX event_log_actor_at ON event_log (actor, at) WHERE actor IS NOT NULL');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX event_log_actor_at');
    await db.query('DROP TABLE unit_chronicle_entry');
    await db.query('DROP TABLE work_log_entry');
  }
}
