import type { MigrationInterface, QueryRunner } from 'typeorm';
import { insertMissingDefaultPolicies } from './default-policies';

/**
 * The policy table brought to the seeds' rules (issue 13), keeping an admin's own edits to
 * rows that stay: completing is the report of finishing (no finish-report clock); one week is
 * 7 calendar days; security and alarm callbacks run round the clock; nobody goes on site for
 * an inquiry, a suggestion or praise (arrival only for repairs, complaints and help);
 * urgent rows shorten contact, arrival and callback.
 */
export class SeedRulesPolicies1763930000000 implements MigrationInterface {
  name = 'SeedRulesPolicies1763930000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM sla_policy WHERE clock = 'report_done'`);
    await db.query(`UPDATE sla_policy SET business_hours = false, duration_seconds = 7 * 24 * 3600, updated_at = now()
                     WHERE clock = 'resolve' AND business_hours AND duration_seconds = 7 * 24 * 3600`);
    await db.query(`UPDATE sla_policy SET business_hours = false, updated_at = now()
                     WHERE clock = 'callback' AND (department = 'security' OR kind = 'alarm')`);
    await db.query(`DELETE FROM sla_policy WHERE clock = 'arrival' AND kind IS NULL AND department IS NULL AND in_unit IS NULL AND in_warranty IS NULL AND priority IS NULL`);
    await insertMissingDefaultPolicies(db);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM sla_policy WHERE priority = 'urgent' OR (clock = 'arrival' AND kind IN ('repair', 'complaint', 'help') AND in_unit IS NULL)`);
    await db.query(`INSERT INTO sla_policy (clock, duration_seconds) VALUES ('arrival', 1800), ('report_done', 300)`);
    await db.query(`UPDATE sla_policy SET business_hours = true WHERE clock IN ('resolve', 'callback')`);
  }
}
