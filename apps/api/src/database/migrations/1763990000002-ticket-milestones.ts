import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A ticket's first dispatch, first completion and first callback kept on the ticket (written in
 * the step's own transaction), so a report over a quarter reads tickets, not millions of events.
 * Filled from the event log for the tickets already there.
 */
export class TicketMilestones1763990000002 implements MigrationInterface {
  name = 'TicketMilestones1763990000002';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE ticket
        ADD COLUMN first_dispatched_at timestamptz,
        ADD COLUMN first_completed_at timestamptz,
        ADD COLUMN first_callback_at timestamptz,
        ADD COLUMN callback_reached boolean,
        ADD COLUMN callback_satisfaction text`);
    await db.query(`
      UPDATE ticket t SET first_dispatched_at = e.at
        FROM (SELECT ticket_id, min(at) AS at FROM event_log WHERE type = 'ticket.dispatch' GROUP BY ticket_id) e WHERE e.ticket_id = t.id`);
    await db.query(`
      UPDATE ticket t SET first_completed_at = e.at
        FROM (SELECT ticket_id, min(at) AS at FROM event_log WHERE type = 'ticket.complete' GROUP BY ticket_id) e WHERE e.ticket_id = t.id`);
    await db.query(`
      UPDATE ticket t SET first_callback_at = e.at, callback_reached = coalesce(e.outcome, '') <> 'no_owner', callback_satisfaction = e.satisfaction
        FROM (SELECT DISTINCT ON (ticket_id) ticket_id, at, data->'input'->>'outcome' AS outcome, data->'input'->>'satisfaction' AS satisfaction
                FROM event_log WHERE type = 'ticket.callback' ORDER BY ticket_id, seq) e WHERE e.ticket_id = t.id`);
    await db.query('CREATE INDEX ticket_closed_idx ON ticket (closed_at)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX ticket_closed_idx');
    await db.query(`ALTER TABLE ticket DROP COLUMN first_dispatched_at, DROP COLUMN first_completed_at, DROP COLUMN first_callback_at, DROP COLUMN callback_reached, DROP COLUMN callback_satisfaction`);
  }
}
