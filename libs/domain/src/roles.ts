import type { Department } from './ticket';

export const ROLES = ['dispatcher', 'field', 'supervisor', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is acting: a staff member as the api knows them after login. */
export interface Actor {
  id: string;
  name: string;
  role: Role;
  department: Department | null;
}

/** Roles that see every ticket of the estate. */
export const ESTATE_WIDE_ROLES: readonly Role[] = ['dispatcher', 'manager', 'admin'];

/**
 * The scope rule, written once: field staff see their department's tickets and those
 * assigned to them; supervisors their department; dispatchers, managers and admins all.
 */
export function canSeeTicket(actor: Actor, ticket: { department: Department; assigneeId: string | null }): boolean {
  if (ESTATE_WIDE_ROLES.includes(actor.role)) return true;
  if (actor.department === ticket.department) return true;
  return actor.role === 'field' && ticket.assigneeId === actor.id;
}

/** Socket rooms, named after what scopes a listener. */
export const ROOMS = {
  wallboard: 'wallboard',
  department: (department: string) => `dept:${department}`,
  user: (userId: string) => `user:${userId}`,
} as const;

/** The rooms a signed-in socket joins: the same scope rule as `canSeeTicket`. */
export function roomsForActor(actor: Actor): string[] {
  if (ESTATE_WIDE_ROLES.includes(actor.role)) return [ROOMS.wallboard];
  const rooms = actor.department ? [ROOMS.department(actor.department)] : [];
  return actor.role === 'field' ? [...rooms, ROOMS.user(actor.id)] : rooms;
}

/** The rooms an event about this ticket goes to. */
export function roomsForTicket(ticket: { department: Department; assigneeId: string | null }): string[] {
  const rooms = [ROOMS.wallboard, ROOMS.department(ticket.department)];
  return ticket.assigneeId ? [...rooms, ROOMS.user(ticket.assigneeId)] : rooms;
}
