import type { MigrationInterface, QueryRunner } from 'typeorm';

export class StaffSessions1763910000000 implements MigrationInterface {
  name = 'StaffSessions1763910000000';

  async up(db: QueryRunner): Promise<void> {
    // A sign-in: access tokens name it, every request checks it, logout and disabling end it.
    await db.query(`
      CREATE TABLE staff_session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        staff_id uuid NOT NULL REFERENCES staff(id),
        refresh_hash text NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        last_refreshed_at timestamptz,
        revoked_at timestamptz,
        revoked_reason text
      )`);
    await db.query(`CREATE INDEX staff_session_staff_idx ON staff_session (staff_id) WHERE revoked_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE staff_session`);
  }
}
