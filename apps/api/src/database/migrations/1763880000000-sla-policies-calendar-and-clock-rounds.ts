import { DEFAULT_CALENDAR, DEFAULT_SLA_POLICIES } from '@dispatch/domain';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SlaPoliciesCalendarAndClockRounds1763880000000 implements MigrationInterface {
  name = 'SlaPoliciesCalendarAndClockRounds1763880000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE estate ADD COLUMN calendar jsonb`);
    await db.query(`UPDATE estate SET calendar = $1`, [JSON.stringify(DEFAULT_CALENDAR)]);
    await db.query(`
      CREATE TABLE sla_policy (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        clock text NOT NULL,
        kind text,
        department text,
        in_unit boolean,
        in_warranty boolean,
        priority text,
        duration_seconds int NOT NULL CHECK (duration_seconds > 0),
        business_hours boolean NOT NULL DEFAULT false,
        warning_share numeric(4, 3) NOT NULL DEFAULT 0.8 CHECK (warning_share > 0 AND warning_share < 1),
        escalation_seconds int NOT NULL DEFAULT 600 CHECK (escalation_seconds > 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // One row per match key: resolution by specificity needs no tie-breaking.
    await db.query(`
      CREATE UNIQUE INDEX sla_policy_match_key ON sla_policy (
        clock, coalesce(kind, ''), coalesce(department, ''), coalesce(in_unit::text, ''),
        coalesce(in_warranty::text, ''), coalesce(priority, ''))`);
    for (const policy of DEFAULT_SLA_POLICIES) {
      await db.query(
        `INSERT INTO sla_policy (clock, kind, department, in_unit, in_warranty, priority, duration_seconds, business_hours, warning_share, escalation_seconds)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [policy.clock, policy.kind, policy.department, policy.inUnit, policy.inWarranty, policy.priority, policy.durationSeconds, policy.businessHours, policy.warningShare, policy.escalationSeconds],
      );
    }
    await db.query(`ALTER TABLE ticket_clock DROP CONSTRAINT ticket_clock_pkey`);
    await db.query(`DROP INDEX ticket_clock_running_due_idx`);
    await db.query(`
      ALTER TABLE ticket_clock
        ADD COLUMN round int NOT NULL DEFAULT 1,
        ADD COLUMN warn_at timestamptz,
        ADD COLUMN escalate_at timestamptz,
        ADD COLUMN escalated_at timestamptz,
        ADD COLUMN next_fire_at timestamptz,
        ADD COLUMN business_hours boolean NOT NULL DEFAULT false`);
    await db.query(`UPDATE ticket_clock SET warn_at = started_at + (due_at - started_at) * 0.8, escalate_at = due_at + interval '10 minutes'`);
    await db.query(`
      UPDATE ticket_clock SET next_fire_at = CASE
        WHEN met_at IS NOT NULL OR cancelled_at IS NOT NULL THEN NULL
        WHEN warned_at IS NULL THEN warn_at
        WHEN breached_at IS NULL THEN due_at
        WHEN escalated_at IS NULL THEN escalate_at END`);
    await db.query(`ALTER TABLE ticket_clock ALTER COLUMN warn_at SET NOT NULL, ALTER COLUMN escalate_at SET NOT NULL`);
    await db.query(`ALTER TABLE ticket_clock ADD PRIMARY KEY (ticket_id, clock, round)`);
    // The engine's one question: which clock has the next mark to fire.
    await db.query(`CREATE INDEX ticket_clock_next_fire_idx ON ticket_clock (next_fire_at) WHERE next_fire_at IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX ticket_clock_next_fire_idx`);
    await db.query(`ALTER TABLE ticket_clock DROP CONSTRAINT ticket_clock_pkey`);
    await db.query(`DELETE FROM ticket_clock WHERE round > 1`);
    await db.query(`
      ALTER TABLE ticket_clock DROP COLUMN round, DROP COLUMN warn_at, DROP COLUMN escalate_at,
        DROP COLUMN escalated_at, DROP COLUMN next_fire_at, DROP COLUMN business_hours`);
    await db.query(`ALTER TABLE ticket_clock ADD PRIMARY KEY (ticket_id, clock)`);
    await db.query(`
      CREATE INDEX ticket_clock_running_due_idx ON ticket_clock (due_at)
      WHERE met_at IS NULL AND breached_at IS NULL AND cancelled_at IS NULL`);
    await db.query(`DROP TABLE sla_policy`);
    await db.query(`ALTER TABLE estate DROP COLUMN calendar`);
  }
}
