import type { BusinessCalendar } from './business-time';
import { CLOCK_KINDS, type ClockKind, type PolicyTicketFacts, resolvePolicy, scheduleClock, type SlaPolicySeed } from './sla-policy';
import type { ClockPreview } from './views';
import type { TicketKind, TicketStatus } from './ticket';
import type { ActionInput, TicketAction } from './ticket-actions';

/** What one step of the closed loop does to a ticket's clocks, in this order: meet, cancel, start. */
export interface ClockPlan {
  meet: ClockKind[];
  cancel: ClockKind[] | 'all';
  start: ClockKind[];
}

/** Clocks a new ticket starts (each only where a policy applies to it); praise asks for nothing. */
export const CLOCKS_AT_INTAKE: Readonly<Record<TicketKind, readonly ClockKind[]>> = {
  repair: ['dispatch', 'contact'],
  complaint: ['dispatch', 'contact', 'resolve'],
  help: ['dispatch', 'contact'],
  inquiry: ['contact', 'reply'],
  suggestion: ['contact', 'resolve'],
  praise: [],
  alarm: ['ack', 'dispatch', 'contact'],
};

/** The clock of the stage a ticket is in, restarted when it resumes from waiting. */
const STAGE_CLOCK: Partial<Record<TicketStatus, ClockKind>> = {
  received: 'dispatch',
  dispatched: 'arrival',
  accepted: 'arrival',
  on_site: 'report_on_site',
};

const none: ClockPlan = { meet: [], cancel: [], start: [] };

/**
 * `input` matters for one step: a contact meets the contact clock only when the owner was
 * reached (an attempt is recorded and the clock runs on).
 */
export function clockPlan(action: TicketAction, from: TicketStatus, to: TicketStatus, input: ActionInput = {}): ClockPlan {
  switch (action) {
    case 'dispatch':
      return { meet: ['dispatch'], cancel: [], start: ['arrival'] };
    case 'reassign':
      return { meet: [], cancel: ['arrival'], start: ['arrival'] };
    case 'hand_back':
      // Back in the desk's queue: a new minute to dispatch it again.
      return { meet: [], cancel: ['arrival'], start: ['dispatch'] };
    case 'arrive':
      // A guard at the door is not a contact: seed 001's owner was away and reached by phone.
      return { meet: ['arrival'], cancel: [], start: ['report_on_site'] };
    case 'report':
      return { meet: from === 'on_site' ? ['report_on_site'] : [], cancel: [], start: [] };
    case 'complete':
      // Completing in the system is the report of finishing; it also meets the on-site report
      // when it comes first.
      return { meet: ['report_on_site'], cancel: [], start: ['callback'] };
    case 'wait':
      // Runs against the time agreed with the owner instead (the `agreed` clock), who was told.
      return { meet: ['contact'], cancel: ['dispatch', 'arrival', 'report_on_site'], start: ['agreed'] };
    case 'resume': {
      const stage = STAGE_CLOCK[to];
      return { meet: ['agreed'], cancel: [], start: stage ? [stage] : [] };
    }
    case 'contact':
      return input.outcome === 'reached' ? { meet: ['contact'], cancel: [], start: [] } : none;
    case 'extend_wait':
      // The new agreed time replaces the old one: a new round of the `agreed` clock.
      return { meet: [], cancel: ['agreed'], start: ['agreed'] };
    case 'callback':
      // Nobody to call: the callback is done, and no contact is owed.
      return input.outcome === 'no_owner' ? { meet: ['callback'], cancel: ['contact'], start: [] } : { meet: ['callback', 'contact'], cancel: [], start: [] };
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
    case 'step':
    case 'explain_delay':
      return none;
  }
}

/** Kinds answered at the desk: no one goes on site, so only their intake clocks ever run. */
const ANSWERED_AT_DESK: readonly TicketKind[] = ['inquiry', 'suggestion', 'praise'];

/**
 * The deadlines a new ticket would run, for the desk to see before it logs (a priority or a
 * warranty changes them): every clock its life can start, with the policy's allowance, and
 * the due time of those that start at intake. Read from the same policy rows and calendar
 * as the clocks themselves.
 */
export function previewClocks(
  policies: readonly SlaPolicySeed[],
  ticket: PolicyTicketFacts,
  now: Date,
  calendar: BusinessCalendar,
): ClockPreview[] {
  const atIntake = CLOCKS_AT_INTAKE[ticket.kind];
  const candidates = ANSWERED_AT_DESK.includes(ticket.kind) ? atIntake : CLOCK_KINDS.filter((clock) => clock !== 'agreed' && (clock !== 'ack' || ticket.kind === 'alarm'));
  const previews: ClockPreview[] = [];
  for (const clock of candidates) {
    const policy = resolvePolicy(policies, clock, ticket);
    if (!policy) continue;
    previews.push({
      clock,
      durationSeconds: policy.durationSeconds,
      businessHours: policy.businessHours,
      dueAt: atIntake.includes(clock) ? scheduleClock(policy, now, calendar).dueAt.toISOString() : null,
    });
  }
  return previews;
}
