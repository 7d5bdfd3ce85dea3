import type { MigrationInterface, QueryRunner } from 'typeorm';

/** 排班: the planned shifts of each day per department, with their times as instants. */
export class Rosters1763980000001 implements MigrationInterface {
  name = 'Rosters1763980000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE roster_shift (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        staff_id uuid NOT NULL REFERENCES staff (id),
        department text NOT NULL,
        date date NOT NULL,
        start_time text NOT NULL,
        end_time text NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        created_by uuid NOT NULL REFERENCES staff (id),
        created_at timestamptz NOT NULL,
        CHECK (ends_at > starts_at)
      )`);
    await db.query('CREATE INDEX roster_shift_day ON roster_shift (date, department)');
    await db.query('CREATE INDEX roster_shift_staff ON roster_shift (staff_id, starts_at)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE roster_shift');
  }
}
