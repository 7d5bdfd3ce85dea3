import { type Actor, ESTATE_WIDE_ROLES } from '@dispatch/domain';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * `canSeeTicket` as SQL on a query that has the ticket under `ticketAlias`: the one place
 * the scope rule is translated, for the ticket list (tickets as they are now). The event
 * log is read by the rooms each event was sent to (`roomsForEvent`, stored with it).
 */
export function whereTicketVisible<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, actor: Actor, ticketAlias: string): SelectQueryBuilder<T> {
  if (ESTATE_WIDE_ROLES.includes(actor.role)) return query;
  const ownDepartment = `(${ticketAlias}.department = :scopeDepartment OR :scopeDepartment = ANY(${ticketAlias}.also_departments))`;
  return query.andWhere(actor.role === 'field' ? `(${ownDepartment} OR ${ticketAlias}.assignee_id = :scopeActorId)` : ownDepartment, {
    scopeDepartment: actor.department,
    scopeActorId: actor.id,
  });
}
