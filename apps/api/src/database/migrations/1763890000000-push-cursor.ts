import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PushCursor1763890000000 implements MigrationInterface {
  name = 'PushCursor1763890000000';

  async up(db: QueryRunner): Promise<void> {
    // How far the elected publisher has pushed the event log; a new publisher goes on from here.
    await db.query(`CREATE TABLE push_cursor (id int PRIMARY KEY CHECK (id = 1), seq bigint NOT NULL, updated_at timestamptz NOT NULL)`);
    await db.query(`INSERT INTO push_cursor (id, seq, updated_at) SELECT 1, coalesce(max(seq), 0), now() FROM event_log`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE push_cursor`);
  }
}
