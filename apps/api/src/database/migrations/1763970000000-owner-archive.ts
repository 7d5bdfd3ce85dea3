import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The owner archive (业主档案): several residents per unit with what the desk needs to reach
 * them and what matters in an emergency. The unit's owner columns stay as the mirror of its
 * first current owner (the lookup, callbacks and search read them); the archive writes them.
 */
export class OwnerArchive1763970000000 implements MigrationInterface {
  name = 'OwnerArchive1763970000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE resident (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        unit_id uuid NOT NULL REFERENCES unit (id),
        role text NOT NULL CHECK (role IN ('owner', 'tenant', 'family')),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
        phone text,
        phone_digits text,
        wechat text,
        preferred_contact_time text,
        vehicles text[] NOT NULL DEFAULT '{}',
        pets text,
        household_notes text,
        emergency_contact text,
        key_owner boolean NOT NULL DEFAULT false,
        key_owner_reason text,
        greeting text,
        verified_at timestamptz,
        moved_out_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await db.query('CREATE INDEX resident_unit ON resident (unit_id, created_at) WHERE moved_out_at IS NULL');
    // A caller recognised by exact phone or plate.
    await db.query('CREATE INDEX resident_phone ON resident (phone_digits) WHERE moved_out_at IS NULL');
    await db.query('CREATE INDEX resident_vehicles ON resident USING gin (vehicles)');
    await db.query(`
      INSERT INTO resident (unit_id, role, name, phone, phone_digits, key_owner, created_at, updated_at)
      SELECT id, 'owner', owner_name, owner_phone, nullif(regexp_replace(coalesce(owner_phone, ''), '[^0-9]', '', 'g'), ''), key_owner, now(), now()
        FROM unit WHERE owner_name IS NOT NULL AND length(owner_name) BETWEEN 1 AND 50`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE resident');
  }
}
