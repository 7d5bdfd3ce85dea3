import type { EntityManager } from 'typeorm';

/** What people read out on the phone: the estate's local date and a running number, e.g. 261123-0042. */
export async function nextTicketNumber(db: EntityManager, receivedAt: Date, timezone: string): Promise<string> {
  const [{ number }] = await db.query<Array<{ number: string }>>(
    `SELECT to_char($1::timestamptz AT TIME ZONE $2, 'YYMMDD') || '-' || lpad(nextval('ticket_number_seq')::text, 4, '0') AS number`,
    [receivedAt, timezone],
  );
  return number;
}
