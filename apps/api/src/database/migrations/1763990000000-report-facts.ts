import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reports: when the desk began taking a call (平均响应时间 runs from there, not from the click
 * that saved the ticket), and the indexes that find a period's tickets by when they closed and
 * a ticket's steps by type.
 */
export class ReportFacts1763990000000 implements MigrationInterface {
  name = 'ReportFacts1763990000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE ticket ADD COLUMN intake_started_at timestamptz');
    await db.query('CREATE INDEX ticket_received_idx ON ticket (received_at)');
    await db.query('CREATE INDEX ticket_open_or_closed_idx ON ticket (closed_at) WHERE status <> \'cancelled\'');
    await db.query('CREATE INDEX event_log_ticket_type_idx ON event_log (ticket_id, type) WHERE ticket_id IS NOT NULL');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX event_log_ticket_type_idx');
    await db.query('DROP INDEX ticket_open_or_closed_idx');
    await db.query('DROP INDEX ticket_received_idx');
    await db.query('ALTER TABLE ticket DROP COLUMN intake_started_at');
  }
}
