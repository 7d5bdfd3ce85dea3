import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AlarmAcknowledgementAndMute1763920000000 implements MigrationInterface {
  name = 'AlarmAcknowledgementAndMute1763920000000';

  async up(db: QueryRunner): Promise<void> {
    // The wallboard sounds an alarm until someone acknowledges it, unless a dispatcher muted it
    // for a while (a known-noisy device); the mute ends by itself at muted_until.
    await db.query(`ALTER TABLE alarm ADD COLUMN acknowledged_at timestamptz, ADD COLUMN acknowledged_by uuid REFERENCES staff(id)`);
    await db.query(`ALTER TABLE alarm ADD COLUMN muted_until timestamptz, ADD COLUMN muted_by uuid REFERENCES staff(id)`);
    // Alarms acknowledged before this column existed: the met ack clock says when.
    await db.query(`
      UPDATE alarm a SET acknowledged_at = c.met_at
        FROM ticket_clock c
       WHERE c.ticket_id = a.ticket_id AND c.clock = 'ack' AND c.met_at IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE alarm DROP COLUMN muted_by, DROP COLUMN muted_until, DROP COLUMN acknowledged_by, DROP COLUMN acknowledged_at`);
  }
}
