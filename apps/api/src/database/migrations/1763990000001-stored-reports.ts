import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reports kept at each period's end (the closed week, the closed half-month): one row per
 * kind and period, the unique key making the generation exactly once across processes.
 */
export class StoredReports1763990000001 implements MigrationInterface {
  name = 'StoredReports1763990000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE stored_report (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        estate_id uuid NOT NULL REFERENCES estate (id),
        kind text NOT NULL CHECK (kind IN ('weekly', 'half_month')),
        period_key text NOT NULL,
        period_from timestamptz NOT NULL,
        period_to timestamptz NOT NULL,
        content jsonb NOT NULL,
        generated_at timestamptz NOT NULL,
        UNIQUE (estate_id, kind, period_key)
      )`);
    await db.query('CREATE INDEX stored_report_recent ON stored_report (estate_id, period_to DESC)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE stored_report');
  }
}
