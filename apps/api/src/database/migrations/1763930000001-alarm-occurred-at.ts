import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AlarmOccurredAt1763930000001 implements MigrationInterface {
  name = 'AlarmOccurredAt1763930000001';

  async up(db: QueryRunner): Promise<void> {
    // The device's own time of the event, shown beside receipt (the delay between them matters).
    await db.query(`ALTER TABLE alarm ADD COLUMN occurred_at timestamptz`);
    // Alarms logged with the old "patrol" channel came from devices.
    await db.query(`UPDATE ticket SET channel = 'device' WHERE kind = 'alarm' AND channel = 'patrol'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE alarm DROP COLUMN occurred_at`);
  }
}
