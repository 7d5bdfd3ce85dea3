import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Clock rounds by the time they started, as a BRIN index: rounds are written as they start,
 * so the table is in time order and a few kilobytes of block ranges let a period's report read
 * that period's rounds, not all of them (see FACT_CLOCKS_SQL). A range not yet summarised is
 * read whole by every report, so autovacuum summarises each one as soon as the next begins
 * (`autosummarize`), not only at its next vacuum of the table.
 */
export class ClockRoundsByStart1764000000001 implements MigrationInterface {
  name = 'ClockRoundsByStart1764000000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query('CREATE INDEX ticket_clock_started_brin ON ticket_clock USING brin (started_at) WITH (autosummarize = on)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX ticket_clock_started_brin');
  }
}
