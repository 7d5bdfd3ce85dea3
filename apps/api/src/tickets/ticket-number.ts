import type { EntityManager } from 'typeorm';

/**
 * What people read out on the phone: the estate's local date and a running number, e.g.
 * 261123-0042. The number is padded to 4 digits and grows past them (261123-10000): `lpad`
 * alone truncates, which gave ten tickets one number after the 9,999th.
 */
export async function nextTicketNumber(db: EntityManager, receivedAt: Date, timezone: string): Promise<string> {
  const [{ number }] = await db.query<Array<{ number: string }>>(
    `SELECT to_char($1::timestamptz AT TIME ZONE $2, 'YYMMDD') || '-' || lpad(n::text, greatest(4, length(n::text)), '0') AS number
       FROM nextval('ticket_number_seq') AS n`,
    [receivedAt, timezone],
  );
  return number;
}
