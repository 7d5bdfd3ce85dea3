import type { Actor } from './roles';
import type { TicketStatus } from './ticket';

/** `13812341234` → `138****1234`: enough to recognise a caller, not to dial them. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}

/** `张三` → `张*`, `王先生` → `王**`: the family name the front desk greets with. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*';
  return chars[0] + '*'.repeat(chars.length - 1);
}

export interface ReporterView {
  name: string | null;
  phone: string | null;
  /** Whether this view hides anything; the desk may reveal it (and the log records that it did). */
  masked: boolean;
}

const CLOSED: readonly TicketStatus[] = ['closed', 'cancelled'];

/**
 * What a caller sees of the reporter: the field worker assigned to a ticket still open gets
 * the phone (to call the owner on the way), everyone else masked values; revealing in full
 * is a separate, logged act of the desk.
 */
/** The field worker assigned to a ticket still open: the one who calls the owner on the way. */
export function mayCallOwner(actor: Actor, ticket: { assigneeId: string | null; status: TicketStatus }): boolean {
  return actor.role === 'field' && ticket.assigneeId === actor.id && !CLOSED.includes(ticket.status);
}

export function reporterFor(
  actor: Actor,
  ticket: { assigneeId: string | null; status: TicketStatus },
  reporter: { name: string | null; phone: string | null },
): ReporterView | null {
  if (!reporter.name && !reporter.phone) return null;
  const name = reporter.name ? maskName(reporter.name) : null;
  const callsOwner = mayCallOwner(actor, ticket);
  const phone = reporter.phone ? (callsOwner ? reporter.phone : maskPhone(reporter.phone)) : null;
  return { name, phone, masked: true };
}


