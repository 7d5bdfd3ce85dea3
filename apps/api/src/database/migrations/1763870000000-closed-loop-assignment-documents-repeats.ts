import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ClosedLoopAssignmentDocumentsRepeats1763870000000 implements MigrationInterface {
  name = 'ClosedLoopAssignmentDocumentsRepeats1763870000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE ticket
        ADD COLUMN created_by uuid REFERENCES staff(id),
        ADD COLUMN assignee_id uuid REFERENCES staff(id),
        ADD COLUMN resume_status text,
        ADD COLUMN agreed_at timestamptz,
        ADD COLUMN repeat_of uuid REFERENCES ticket(id),
        ADD COLUMN closed_at timestamptz,
        ADD COLUMN reopen_count int NOT NULL DEFAULT 0`);
    // Repeat detection looks up the same owner's earlier reports of one category.
    await db.query(`CREATE INDEX ticket_repeat_unit_idx ON ticket (category, unit_id) WHERE unit_id IS NOT NULL`);
    await db.query(`CREATE INDEX ticket_repeat_phone_idx ON ticket (category, reporter_phone) WHERE reporter_phone IS NOT NULL`);
    await db.query(`CREATE INDEX ticket_department_idx ON ticket (department, received_at)`);
    await db.query(`CREATE INDEX ticket_assignee_idx ON ticket (assignee_id) WHERE assignee_id IS NOT NULL`);
    await db.query(`
      CREATE TABLE ticket_document (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ticket_id uuid NOT NULL REFERENCES ticket(id),
        kind text NOT NULL CHECK (kind IN ('dispatch_slip', 'repair_sheet', 'cs_check')),
        data jsonb NOT NULL,
        created_by uuid NOT NULL REFERENCES staff(id),
        created_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX ticket_document_ticket_idx ON ticket_document (ticket_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE ticket_document`);
    await db.query(`DROP INDEX ticket_assignee_idx`);
    await db.query(`DROP INDEX ticket_department_idx`);
    await db.query(`DROP INDEX ticket_repeat_phone_idx`);
    await db.query(`DROP INDEX ticket_repeat_unit_idx`);
    await db.query(`
      ALTER TABLE ticket
        DROP COLUMN created_by, DROP COLUMN assignee_id, DROP COLUMN resume_status, DROP COLUMN agreed_at,
        DROP COLUMN repeat_of, DROP COLUMN closed_at, DROP COLUMN reopen_count`);
  }
}
