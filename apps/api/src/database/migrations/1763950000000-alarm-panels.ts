import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Alarm panels over SIA DC-09: receiving accounts (each a device of its own) and their zones. */
export class AlarmPanels1763950000000 implements MigrationInterface {
  name = 'AlarmPanels1763950000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE alarm_account (
        account text PRIMARY KEY CHECK (account ~ '^[0-9A-F]{3,16}$'),
        device_id text NOT NULL REFERENCES device (id),
        last_seen_at timestamptz,
        encryption_key text CHECK (encryption_key ~ '^([0-9a-fA-F]{32}|[0-9a-fA-F]{48}|[0-9a-fA-F]{64})$')
      )`);
    await db.query(`
      CREATE TABLE alarm_zone (
        account text NOT NULL REFERENCES alarm_account (account) ON DELETE CASCADE,
        zone text NOT NULL,
        device_id text NOT NULL REFERENCES device (id),
        PRIMARY KEY (account, zone)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE alarm_zone');
    await db.query('DROP TABLE alarm_account');
  }
}
