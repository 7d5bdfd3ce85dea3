import type { Actor, EventActor } from '@dispatch/domain';

/** Who did it, as the log keeps it (no personal data beyond the staff member's name). */
export function eventActor(actor: Actor): EventActor {
  return { id: actor.id, name: actor.name, role: actor.role };
}
