import type { EntityManager } from 'typeorm';

/**
 * What people read out on the phone: the estate's local date and a running number, e.g.
 * 261123-0042. The number is padded to 4 digits and grows past them (261123-10000): `lpad`
 * alone truncates, which gave ten tickets one number after the 9,999th. An SQL expression of
 * the time received and the estate's time zone, for a query that reads more beside it.
 */
export const ticketNumberSql = (receivedAt: string, timezone: string) =>
  `(SELECT to_char(${receivedAt}::timestamptz AT TIME ZONE ${timezone}, 'YYMMDD') || '-' || lpad(n::text, greatest(4, length(n::text)), '0') FROM nextval('ticket_number_seq') AS n)`;

export async function nextTicketNumber(db: EntityManager, receivedAt: Date, timezone: string): Promise<string> {
  const [{ number }] = await db.query<Array<{ number: string }>>(`SELECT ${ticketNumberSql('$1', '$2')} AS number`, [receivedAt, timezone]);
  return number;
}
