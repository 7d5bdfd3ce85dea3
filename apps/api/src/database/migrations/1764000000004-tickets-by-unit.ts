import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A unit's tickets by the time they were received: the unit's card and history (newest
 * first), its open tickets in the unit list, and the kept KPI days to mark when its owner
 * gains or loses a phone (an archive import does that for every unit at once). Without it,
 * each read a million-ticket estate's tickets from the newest back: 155 ms a unit, and an
 * import of five thousand owners minutes.
 */
export class TicketsByUnit1764000000004 implements MigrationInterface {
  name = 'TicketsByUnit1764000000004';

  async up(db: QueryRunner): Promise<void> {
    await db.query('CREATE INDEX ticket_unit_received_idx ON ticket (unit_id, received_at) WHERE unit_id IS NOT NULL');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX ticket_unit_received_idx');
  }
}
