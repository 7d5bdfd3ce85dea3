import { DEFAULT_SLA_POLICIES } from '@dispatch/domain';
import type { QueryRunner } from 'typeorm';

/** Inserts the default policy rows whose match key is not in the table yet; rows an admin edited stay. */
export async function insertMissingDefaultPolicies(db: QueryRunner): Promise<void> {
  for (const policy of DEFAULT_SLA_POLICIES) {
    await db.query(
      `INSERT INTO sla_policy (clock, kind, department, in_unit, in_warranty, priority, duration_seconds, business_hours, warning_share, escalation_seconds)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (clock, (coalesce(kind, '')), (coalesce(department, '')), (coalesce(in_unit::text, '')), (coalesce(in_warranty::text, '')), (coalesce(priority, '')))
       DO NOTHING`,
      [policy.clock, policy.kind, policy.department, policy.inUnit, policy.inWarranty, policy.priority, policy.durationSeconds, policy.businessHours, policy.warningShare, policy.escalationSeconds],
    );
  }
}
