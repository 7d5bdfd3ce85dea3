import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Procedures (SOP) per alarm kind, and the estate's own panel codes: an estate's own edits (the defaults live in libs/domain);
 * each alarm keeps the procedure it was opened under with its steps done, and when its
 * detector reported a restore. Supervision moves from panels to devices, so that HTTP
 * devices promise a heartbeat as panels promise a link test: one sweep for both.
 */
export class AlarmProceduresAndDeviceSupervision1763960000000 implements MigrationInterface {
  name = 'AlarmProceduresAndDeviceSupervision1763960000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE alarm_procedure (
        estate_id uuid NOT NULL REFERENCES estate (id),
        alarm_kind text NOT NULL,
        procedure jsonb NOT NULL,
        updated_at timestamptz NOT NULL,
        updated_by uuid,
        PRIMARY KEY (estate_id, alarm_kind)
      )`);
    // An estate's own meaning for a panel event code, in place of the built-in table.
    await db.query(`
      CREATE TABLE alarm_code (
        protocol text NOT NULL CHECK (protocol IN ('ADM-CID', 'SIA-DCS')),
        code text NOT NULL,
        meaning jsonb NOT NULL,
        updated_at timestamptz NOT NULL,
        updated_by uuid,
        PRIMARY KEY (protocol, code)
      )`);
    await db.query('ALTER TABLE alarm ADD COLUMN procedure jsonb');
    // `restored`: the detector's restore ended the alarm before anyone acknowledged it.
    await db.query('ALTER TABLE alarm DROP CONSTRAINT alarm_outcome_check');
    await db.query(`ALTER TABLE alarm ADD CONSTRAINT alarm_outcome_check CHECK (outcome IN ('real', 'false', 'test', 'unfounded', 'restored'))`);
    await db.query('ALTER TABLE alarm ADD COLUMN restored_at timestamptz');
    await db.query(`ALTER TABLE device ADD COLUMN last_seen_at timestamptz`);
    await db.query(`ALTER TABLE device ADD COLUMN test_interval_seconds integer CHECK (test_interval_seconds BETWEEN 10 AND 604800)`);
    await db.query(`ALTER TABLE device ADD COLUMN offline_since timestamptz`);
    await db.query(`
      UPDATE device d SET last_seen_at = a.last_seen_at, test_interval_seconds = a.test_interval_seconds, offline_since = a.offline_since
        FROM alarm_account a WHERE a.device_id = d.id`);
    await db.query('ALTER TABLE alarm_account DROP COLUMN last_seen_at');
    await db.query('ALTER TABLE alarm_account DROP COLUMN test_interval_seconds');
    await db.query('ALTER TABLE alarm_account DROP COLUMN offline_since');
    // The sweep's question: supervised devices not yet known to be silent.
    await db.query('CREATE INDEX device_supervised ON device (last_seen_at) WHERE test_interval_seconds IS NOT NULL AND offline_since IS NULL');
    // Pickup figures read acknowledged alarms by time.
    await db.query('CREATE INDEX alarm_acknowledged_at ON alarm (acknowledged_at) WHERE acknowledged_at IS NOT NULL');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX alarm_acknowledged_at');
    await db.query('DROP INDEX device_supervised');
    await db.query('ALTER TABLE alarm_account ADD COLUMN last_seen_at timestamptz');
    await db.query('ALTER TABLE alarm_account ADD COLUMN test_interval_seconds integer');
    await db.query('ALTER TABLE alarm_account ADD COLUMN offline_since timestamptz');
    await db.query(`
      UPDATE alarm_account a SET last_seen_at = d.last_seen_at, test_interval_seconds = d.test_interval_seconds, offline_since = d.offline_since
        FROM device d WHERE a.device_id = d.id`);
    await db.query('ALTER TABLE device DROP COLUMN offline_since');
    await db.query('ALTER TABLE device DROP COLUMN test_interval_seconds');
    await db.query('ALTER TABLE device DROP COLUMN last_seen_at');
    await db.query('ALTER TABLE alarm DROP COLUMN restored_at');
    await db.query(`UPDATE alarm SET outcome = 'unfounded' WHERE outcome = 'restored'`);
    await db.query('ALTER TABLE alarm DROP CONSTRAINT alarm_outcome_check');
    await db.query(`ALTER TABLE alarm ADD CONSTRAINT alarm_outcome_check CHECK (outcome IN ('real', 'false', 'test', 'unfounded'))`);
    await db.query('ALTER TABLE alarm DROP COLUMN procedure');
    await db.query('DROP TABLE alarm_procedure');
    await db.query('DROP TABLE alarm_code');
  }
}
