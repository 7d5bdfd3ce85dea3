import type { Category, TicketKind, TicketStatus } from '@dispatch/domain';
import type { EntityManager } from 'typeorm';

/** Kinds that report a problem; a second one about the same thing is a complaint (seed rule). */
const REPORT_KINDS: readonly TicketKind[] = ['repair', 'complaint', 'help'];

export interface RepeatQuery {
  estateId: string;
  kind: TicketKind;
  category: Category;
  unitId: string | null;
  /** The unit's or the public area's code: the same problem is the same category at the same place. */
  locationCode: string;
  reporterPhone: string | null;
  windowDays: number;
  now: Date;
}

/**
 * The earlier report this one repeats: same owner (same unit or same phone) and same problem
 * (same category at the same location), still open, or closed within the window. Cancelled
 * reports do not count. A lobby light from the phone that reported a light in the flat is not
 * a repeat.
 */
export interface RepeatedReport {
  id: string;
  number: string;
  status: TicketStatus;
  receivedAt: Date;
  category: Category;
  description: string;
}

export async function findRepeatedReport(db: EntityManager, query: RepeatQuery): Promise<RepeatedReport | null> {
  if (!REPORT_KINDS.includes(query.kind)) return null;
  if (!query.unitId && !query.reporterPhone) return null;
  const [earlier] = await db.query<RepeatedReport[]>(
    `SELECT id, number, status, received_at AS "receivedAt", category, description FROM ticket
      WHERE estate_id = $1 AND category = $2 AND kind IN ('repair', 'complaint', 'help') AND location_code = $7
        AND (unit_id = $3 OR reporter_phone = $4)
        AND (status NOT IN ('closed', 'cancelled') OR (status = 'closed' AND closed_at >= $5::timestamptz - make_interval(days => $6)))
      ORDER BY received_at DESC
      LIMIT 1`,
    [query.estateId, query.category, query.unitId, query.reporterPhone, query.now, query.windowDays, query.locationCode],
  );
  return earlier ?? null;
}
