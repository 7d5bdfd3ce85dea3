import type { ClockKind } from './sla-policy';
import type { TicketStatus } from './ticket';
import type { TicketAction } from './ticket-actions';

/** What one step of the closed loop does to a ticket's clocks, in this order: meet, cancel, start. */
export interface ClockPlan {
  meet: ClockKind[];
  cancel: ClockKind[] | 'all';
  start: ClockKind[];
}

/** Clocks a new ticket starts (each only where a policy applies to it). */
export const CLOCKS_AT_INTAKE: readonly ClockKind[] = ['ack', 'dispatch', 'contact', 'reply', 'resolve'];

/** The clock of the stage a ticket is in, restarted when it resumes from waiting. */
const STAGE_CLOCK: Partial<Record<TicketStatus, ClockKind>> = {
  received: 'dispatch',
  dispatched: 'arrival',
  accepted: 'arrival',
  on_site: 'report_on_site',
};

const none: ClockPlan = { meet: [], cancel: [], start: [] };

export function clockPlan(action: TicketAction, from: TicketStatus, to: TicketStatus): ClockPlan {
  switch (action) {
    case 'dispatch':
      return { meet: ['dispatch'], cancel: [], start: ['arrival'] };
    case 'reassign':
      return { meet: [], cancel: ['arrival'], start: ['arrival'] };
    case 'arrive':
      // At the owner's door is contact with the owner.
      return { meet: ['arrival', 'contact'], cancel: [], start: ['report_on_site'] };
    case 'report':
      return { meet: [from === 'done' ? 'report_done' : 'report_on_site'], cancel: [], start: [] };
    case 'complete':
      return { meet: [], cancel: [], start: ['report_done', 'callback'] };
    case 'wait':
      // Runs against the time agreed with the owner instead (the `agreed` clock), who was told.
      return { meet: ['contact'], cancel: ['dispatch', 'arrival', 'report_on_site'], start: ['agreed'] };
    case 'resume': {
      const stage = STAGE_CLOCK[to];
      return { meet: ['agreed'], cancel: [], start: stage ? [stage] : [] };
    }
    case 'contact':
      return { meet: ['contact'], cancel: [], start: [] };
    case 'callback':
      return { meet: ['callback', 'contact'], cancel: [], start: [] };
    case 'answer':
      return { meet: ['contact', 'reply', 'resolve'], cancel: 'all', start: [] };
    case 'close':
      return { meet: ['resolve'], cancel: 'all', start: [] };
    case 'reopen':
      return { meet: [], cancel: ['callback', 'report_done'], start: ['arrival'] };
    case 'cancel':
      return { meet: [], cancel: 'all', start: [] };
    case 'acknowledge':
      return { meet: ['ack'], cancel: [], start: [] };
    case 'clear':
      // Cleared from afar (a known test) or on site: nothing left to reach; the owner is called back.
      return { meet: [], cancel: ['ack', 'dispatch', 'arrival'], start: ['callback'] };
    case 'accept':
    case 'check':
    case 'raise_severity':
    case 'mute':
      return none;
  }
}
