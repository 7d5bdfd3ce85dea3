import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The alarm receiver's journal: a panel's message is written here, committed, and only then
 * ACKed; the alarm it carries is opened from the journal (and the row removed) in a transaction
 * of its own. Messages of one device are taken in the order they came (`device_id, id`); the
 * event id absorbs a panel's retry while its first delivery still waits.
 */
export class AlarmReceipts1764000000000 implements MigrationInterface {
  name = 'AlarmReceipts1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE alarm_receipt (
        id bigserial PRIMARY KEY,
        event_id text NOT NULL UNIQUE,
        device_id text NOT NULL,
        message jsonb NOT NULL,
        received_at timestamptz NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        next_attempt_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query('CREATE INDEX alarm_receipt_device ON alarm_receipt (device_id, id)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE alarm_receipt');
  }
}
