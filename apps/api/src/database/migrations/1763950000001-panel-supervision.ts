import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Supervision of alarm panels: the link-test interval each promises, and since when one is silent. */
export class PanelSupervision1763950000001 implements MigrationInterface {
  name = 'PanelSupervision1763950000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE alarm_account ADD COLUMN test_interval_seconds integer CHECK (test_interval_seconds BETWEEN 10 AND 604800)`);
    await db.query(`ALTER TABLE alarm_account ADD COLUMN offline_since timestamptz`);
    // The demo panel promises a link test every 5 minutes.
    await db.query(`UPDATE alarm_account SET test_interval_seconds = 300 WHERE account = '1234'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE alarm_account DROP COLUMN offline_since');
    await db.query('ALTER TABLE alarm_account DROP COLUMN test_interval_seconds');
  }
}
