import type { MigrationInterface, QueryRunner } from 'typeorm';
import { insertMissingDefaultPolicies } from './default-policies';

export class AlarmsDevicesDeliveries1763900000000 implements MigrationInterface {
  name = 'AlarmsDevicesDeliveries1763900000000';

  async up(db: QueryRunner): Promise<void> {
    // An alarm routed to several departments is visible to, and pushed to, each of them.
    await db.query(`ALTER TABLE ticket ADD COLUMN also_departments text[] NOT NULL DEFAULT '{}'`);
    await db.query(`ALTER TABLE ticket ADD COLUMN source_alarm_id uuid REFERENCES ticket(id)`);
    await db.query(`
      CREATE TABLE device (
        id text PRIMARY KEY,
        estate_id uuid NOT NULL REFERENCES estate(id),
        name text NOT NULL,
        unit_id uuid REFERENCES unit(id),
        area_id uuid REFERENCES public_area(id),
        key_hash text NOT NULL,
        key_rotated_at timestamptz NOT NULL,
        active boolean NOT NULL DEFAULT true,
        CONSTRAINT device_one_location CHECK ((unit_id IS NULL) <> (area_id IS NULL))
      )`);
    await db.query(`
      CREATE TABLE alarm (
        ticket_id uuid PRIMARY KEY REFERENCES ticket(id),
        device_id text NOT NULL REFERENCES device(id),
        alarm_kind text NOT NULL,
        severity int NOT NULL CHECK (severity BETWEEN 0 AND 4),
        departments text[] NOT NULL,
        count int NOT NULL DEFAULT 1,
        first_seen_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        outcome text CHECK (outcome IN ('real', 'false', 'test', 'unfounded')),
        outcome_reason text
      )`);
    await db.query(`CREATE INDEX alarm_device_last_seen_idx ON alarm (device_id, last_seen_at)`);
    // Every delivery, so a retried one (same device, same event id) is recognised and changes nothing.
    await db.query(`
      CREATE TABLE alarm_delivery (
        device_id text NOT NULL REFERENCES device(id),
        event_id text NOT NULL,
        ticket_id uuid NOT NULL REFERENCES ticket(id),
        received_at timestamptz NOT NULL,
        PRIMARY KEY (device_id, event_id)
      )`);
    // New default clocks (acknowledge in 30 s, alarm dispatch, arrival and callback) where missing.
    await insertMissingDefaultPolicies(db);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM sla_policy WHERE kind = 'alarm'`);
    await db.query(`DROP TABLE alarm_delivery`);
    await db.query(`DROP TABLE alarm`);
    await db.query(`DROP TABLE device`);
    await db.query(`ALTER TABLE ticket DROP COLUMN source_alarm_id, DROP COLUMN also_departments`);
  }
}
