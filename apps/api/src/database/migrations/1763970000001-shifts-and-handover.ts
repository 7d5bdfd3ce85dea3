import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Shift handover (交接班): what the outgoing desk passes on, submitted, then signed by the next shift. */
export class ShiftsAndHandover1763970000001 implements MigrationInterface {
  name = 'ShiftsAndHandover1763970000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE handover (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        department text NOT NULL,
        draft jsonb NOT NULL,
        notes text,
        submitted_by uuid NOT NULL REFERENCES staff (id),
        submitted_at timestamptz NOT NULL,
        signed_by uuid REFERENCES staff (id),
        signed_at timestamptz,
        sign_note text,
        alerted_at timestamptz,
        CHECK (signed_by IS NULL OR signed_by <> submitted_by)
      )`);
    await db.query('CREATE INDEX handover_submitted ON handover (submitted_at DESC)');
    await db.query('CREATE INDEX handover_unsigned ON handover (submitted_at) WHERE signed_at IS NULL AND alerted_at IS NULL');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE handover');
  }
}
