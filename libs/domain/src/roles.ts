import { ALARM_ROUTES, type AlarmKind } from './alarms';
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
export function canSeeTicket(
  actor: Actor,
  ticket: { department: Department; assigneeId: string | null; alsoDepartments?: readonly Department[] },
): boolean {
  if (ESTATE_WIDE_ROLES.includes(actor.role)) return true;
  if (actor.department === ticket.department) return true;
  // An alarm routed to several departments (fire: security and engineering) is theirs too.
  if (actor.department && ticket.alsoDepartments?.includes(actor.department)) return true;
  return actor.role === 'field' && ticket.assigneeId === actor.id;
}

/** Socket rooms, named after what scopes a listener. */
export const ROOMS = {
  wallboard: 'wallboard',
  department: (department: string) => `dept:${department}`,
  user: (userId: string) => `user:${userId}`,
  /** Told of breaches in their department. */
  supervisors: (department: string) => `supervisors:${department}`,
  /** Told of escalations (still unmet after the escalation interval). */
  managers: 'managers',
} as const;

/** The rooms a signed-in socket joins: the same scope rule as `canSeeTicket`. */
export function roomsForActor(actor: Actor): string[] {
  if (actor.role === 'manager' || actor.role === 'admin') return [ROOMS.wallboard, ROOMS.managers];
  if (ESTATE_WIDE_ROLES.includes(actor.role)) return [ROOMS.wallboard];
  if (!actor.department) return actor.role === 'field' ? [ROOMS.user(actor.id)] : [];
  if (actor.role === 'supervisor') return [ROOMS.department(actor.department), ROOMS.supervisors(actor.department)];
  return [ROOMS.department(actor.department), ROOMS.user(actor.id)];
}

/** The rooms an event about this ticket goes to. */
export function roomsForTicket(ticket: { department: Department; assigneeId: string | null; alsoDepartments?: readonly Department[] }): string[] {
  const rooms = [ROOMS.wallboard, ROOMS.department(ticket.department), ...(ticket.alsoDepartments ?? []).map(ROOMS.department)];
  return ticket.assigneeId ? [...rooms, ROOMS.user(ticket.assigneeId)] : rooms;
}

/**
 * The rooms one logged event goes to: its ticket's rooms (and where the ticket was before
 * a move), the department supervisors for a breach, the managers for an escalation.
 */
export function roomsForEvent(event: { type: string; data: unknown }): string[] {
  const data = event.data as {
    ticket?: {
      department: Department;
      alsoDepartments?: Department[];
      assignee: { id: string } | null;
      alarm?: { alarmKind: AlarmKind; departments: Department[] } | null;
    };
    previous?: { department: Department; assigneeId: string | null };
  };
  // Access records and whole-archive imports and exports are for the managers' eyes, not the
  // control room's screens (an import's event names every record it touched: no wallboard needs it).
  if (event.type.startsWith('access.') || event.type.startsWith('archive.')) return [ROOMS.managers];
  // A period's report is kept: the managers are told (supervisors read it on the reports screen).
  if (event.type === 'report.ready') return [ROOMS.managers];
  // An unsigned handover: the customer-service supervisors are told, and the desk sees it.
  if (event.type === 'handover.unsigned') return [ROOMS.wallboard, ROOMS.supervisors('customer_service')];
  if (!data.ticket) return [ROOMS.wallboard];
  const alarm = data.ticket.alarm ?? null;
  // The ticket's one column of other departments (events logged before it was in the view: the alarm's).
  const alsoDepartments = data.ticket.alsoDepartments ?? alarm?.departments.filter((department) => department !== data.ticket?.department) ?? [];
  const rooms = new Set(roomsForTicket({ department: data.ticket.department, assigneeId: data.ticket.assignee?.id ?? null, alsoDepartments }));
  if (data.previous) for (const room of roomsForTicket(data.previous)) rooms.add(room);
  if (event.type === 'sla.breached') rooms.add(ROOMS.supervisors(data.ticket.department));
  // Fire: the supervisors of every department it is routed to, from the first report on.
  if (alarm && ALARM_ROUTES[alarm.alarmKind].supervisors) for (const department of alarm.departments) rooms.add(ROOMS.supervisors(department));
  if (event.type === 'sla.escalated') rooms.add(ROOMS.managers);
  return [...rooms];
}
