import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The KPI reports read each ticket's rounds by its key now (KPI_FACTS_SQL), in slices on worker
 * threads, not a period's rounds by the time they started: the BRIN index on `started_at` is
 * read by nothing, and its summarising is work every insert of a round asks of autovacuum.
 */
export class ReportsReadRoundsByTicket1764000000002 implements MigrationInterface {
  name = 'ReportsReadRoundsByTicket1764000000002';

  async up(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX IF EXISTS ticket_clock_started_brin');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('CREATE INDEX ticket_clock_started_brin ON ticket_clock USING brin (started_at) WITH (autosummarize = on)');
  }
}
