import { CreateEstateTicketsAndEventLog1763860000000 } from './1763860000000-create-estate-tickets-and-event-log';

/** Every migration, in order. Listed by import so the same list serves ts (tests) and js (dist). */
export const MIGRATIONS = [CreateEstateTicketsAndEventLog1763860000000];
