import { type ProcedureView, STEP_ANSWERS, openRequiredSteps } from './alarm-procedures';
import { ALARM_OUTCOMES } from './alarms';
import type { WarrantySource } from './warranty';
import type { Actor, Role } from './roles';
import { canSeeTicket } from './roles';
import type { Department, TicketKind, TicketStatus } from './ticket';

/** Every transition of the closed loop (闭环). */
export const TICKET_ACTIONS = [
  'dispatch',
  'reassign',
  'accept',
  'arrive',
  'report',
  'complete',
  'wait',
  'resume',
  'contact',
  'callback',
  'check',
  'answer',
  'close',
  'reopen',
  'cancel',
  'acknowledge',
  'clear',
  'raise_severity',
  'mute',
  'extend_wait',
  'explain_delay',
  'hand_back',
  'step',
] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

export const SATISFACTION_LEVELS = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;
export type Satisfaction = (typeof SATISFACTION_LEVELS)[number];

/** How the owner was told that the work waits (the hallway-light story in the seeds). */
export const OWNER_NOTICE_CHANNELS = ['phone', 'sms', 'wechat', 'visit', 'notice'] as const;
export type OwnerNoticeChannel = (typeof OWNER_NOTICE_CHANNELS)[number];

/** Input fields an action may carry. */
export const ACTION_FIELDS = [
  'department',
  'assigneeId',
  'reason',
  'note',
  'agreedAt',
  'ownerToldVia',
  'result',
  'satisfaction',
  'answer',
  'repairSheet',
  'outcome',
  'severity',
  'minutes',
  'via',
  'step',
] as const;
export type ActionField = (typeof ACTION_FIELDS)[number];

/** 联系业主: someone spoke to the owner, or tried and could not reach them (the clock runs on). */
export const CONTACT_OUTCOMES = ['reached', 'unreachable'] as const;
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number];
/** A callback with nobody to call: a public-area report with no reporter; left out of satisfaction. */
export const CALLBACK_OUTCOMES = ['no_owner'] as const;
export type CallbackOutcome = (typeof CALLBACK_OUTCOMES)[number];
/** How the owner was reached (or tried). */
export const CONTACT_CHANNELS = ['phone', 'sms', 'wechat', 'visit'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export interface ActionRule {
  from: readonly TicketStatus[];
  /** `same`: the status does not change (a report); `previous`: back to where `wait` left it. */
  to: TicketStatus | 'same' | 'previous';
  roles: readonly Role[];
  requires: readonly ActionField[];
  optional: readonly ActionField[];
  /** Only these kinds of ticket (all when absent). */
  kinds?: readonly TicketKind[];
  /** Only public-area repairs (the customer-service check). */
  publicRepairOnly?: boolean;
  /** The values `outcome` may take in this step (each step has its own meaning of it). */
  outcomes?: readonly string[];
  /** Only when a deadline has passed unmet. */
  overdueOnly?: boolean;
}

const DESK: readonly Role[] = ['dispatcher', 'supervisor', 'manager', 'admin'];
const FIELD: readonly Role[] = ['field', 'supervisor'];

/** The one table the api, the console's buttons and the tests read. */
export const TICKET_ACTION_TABLE: Readonly<Record<TicketAction, ActionRule>> = {
  dispatch: { from: ['received'], to: 'dispatched', roles: DESK, requires: [], optional: ['department', 'assigneeId', 'note'] },
  // 改派: the desk moves a task to another department or person.
  reassign: {
    from: ['dispatched', 'accepted'],
    to: 'dispatched',
    roles: DESK,
    requires: ['reason'],
    optional: ['department', 'assigneeId'],
  },
  // 退回: field staff hand a task back to the desk with a reason; they do not pick who gets it.
  hand_back: { from: ['dispatched', 'accepted'], to: 'received', roles: FIELD, requires: ['reason'], optional: [] },
  accept: { from: ['dispatched'], to: 'accepted', roles: FIELD, requires: [], optional: ['note'] },
  arrive: { from: ['accepted'], to: 'on_site', roles: FIELD, requires: [], optional: ['note'] },
  report: { from: ['on_site', 'done'], to: 'same', roles: FIELD, requires: ['note'], optional: [] },
  complete: { from: ['on_site'], to: 'done', roles: FIELD, requires: ['note'], optional: ['repairSheet'] },
  wait: {
    from: ['received', 'dispatched', 'accepted', 'on_site'],
    to: 'waiting',
    roles: [...DESK, 'field'],
    requires: ['reason', 'agreedAt', 'ownerToldVia'],
    optional: [],
  },
  resume: { from: ['waiting'], to: 'previous', roles: [...DESK, 'field'], requires: [], optional: ['note'] },
  // 首次联系业主: a call or visit recorded; the 15-minute contact clock is met when the owner was
  // reached; an attempt that did not reach them is recorded and the clock runs on.
  contact: {
    from: ['received', 'dispatched', 'accepted', 'on_site', 'done', 'waiting'],
    to: 'same',
    roles: [...DESK, 'field'],
    requires: ['outcome', 'via'],
    optional: ['note'],
    outcomes: CONTACT_OUTCOMES,
  },
  // 回访: the owner's satisfaction; `no_owner` when the report had nobody to call back.
  callback: { from: ['done'], to: 'callback_done', roles: DESK, requires: ['result', 'satisfaction'], optional: [], outcomes: CALLBACK_OUTCOMES },
  check: { from: ['done', 'callback_done'], to: 'same', roles: DESK, requires: ['result'], optional: [], publicRepairOnly: true },
  answer: { from: ['received'], to: 'closed', roles: DESK, requires: ['answer'], optional: [], kinds: ['inquiry', 'suggestion', 'praise'] },
  close: { from: ['callback_done'], to: 'closed', roles: DESK, requires: [], optional: ['note'] },
  reopen: { from: ['closed', 'done'], to: 'dispatched', roles: DESK, requires: ['reason'], optional: ['department', 'assigneeId'] },
  cancel: { from: ['received', 'dispatched', 'accepted', 'waiting'], to: 'cancelled', roles: DESK, requires: ['reason'], optional: [] },
  // Alarms: acknowledged at the desk (or by a guard's tablet), cleared with what it was and why.
  acknowledge: { from: ['received'], to: 'same', roles: [...DESK, 'field'], requires: [], optional: ['note'], kinds: ['alarm'] },
  clear: {
    from: ['received', 'dispatched', 'accepted', 'on_site'],
    to: 'done',
    roles: [...DESK, 'field'],
    requires: ['outcome', 'reason'],
    optional: ['note'],
    kinds: ['alarm'],
    // `restored` is the system's word for an alarm its own restore ended, never a person's.
    outcomes: ALARM_OUTCOMES.filter((outcome) => outcome !== 'restored'),
  },
  // A step of the alarm's procedure (SOP) ticked by the desk or the guard: who, when, a note,
  // and for a question (the owner's consent to entry) the answer.
  step: {
    from: ['received', 'dispatched', 'accepted', 'on_site', 'waiting'],
    to: 'same',
    roles: [...DESK, 'field'],
    requires: ['step'],
    optional: ['outcome', 'note'],
    kinds: ['alarm'],
    outcomes: STEP_ANSWERS,
  },
  raise_severity: {
    from: ['received', 'dispatched', 'accepted', 'on_site', 'waiting'],
    to: 'same',
    roles: DESK,
    requires: ['severity', 'reason'],
    optional: [],
    kinds: ['alarm'],
  },
  // 静音: the wallboard stops sounding this alarm for 15/30/60 minutes; the alarm itself stays open.
  mute: {
    from: ['received', 'dispatched', 'accepted', 'on_site', 'waiting'],
    to: 'same',
    roles: DESK,
    requires: ['minutes'],
    optional: ['reason'],
    kinds: ['alarm'],
  },
  // 延期: while waiting, a new time agreed with the owner (who was told), logged and counted.
  extend_wait: { from: ['waiting'], to: 'same', roles: [...DESK, 'field'], requires: ['reason', 'agreedAt', 'ownerToldVia'], optional: [] },
  // 超期说明: a request past its deadline (e.g. a management issue past one week) gets a recorded
  // explanation, a new expected date and how the owner was told (the seeds demand it).
  explain_delay: {
    from: ['received', 'dispatched', 'accepted', 'on_site', 'done', 'waiting', 'callback_done'],
    to: 'same',
    roles: DESK,
    requires: ['reason', 'agreedAt', 'ownerToldVia'],
    optional: [],
    overdueOnly: true,
  },
};

/** How long a dispatcher may silence a known-noisy alarm's tone; the mute ends by itself. */
export const MUTE_MINUTES = [15, 30, 60] as const;
export type MuteMinutes = (typeof MUTE_MINUTES)[number];

export const DOCUMENT_KINDS = ['dispatch_slip', 'repair_sheet', 'cs_check'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export interface RepairFacts {
  inUnit: boolean;
  inWarranty: boolean;
  paid: boolean;
  /** How `inWarranty` was settled at intake: computed from the handover date, overridden (with why), or the desk's word. */
  warranty?: { source: WarrantySource; until: string | null; reason?: string };
}

/** What a decision needs to know about the ticket. */
export interface TicketFacts {
  status: TicketStatus;
  kind: TicketKind;
  department: Department;
  /** Other departments that act on it (canSeeTicket reads them): what the api and the console decide on alike. */
  alsoDepartments?: readonly Department[];
  assigneeId: string | null;
  /** Where `resume` returns to. */
  resumeStatus: TicketStatus | null;
  repair: RepairFacts | null;
  documents: readonly DocumentKind[];
  /** Someone to call back (a reporter's phone, or an owner on file); absent: assumed. */
  hasReporter?: boolean;
  /** A deadline has passed unmet (a clock breached and still running): an explanation is owed. */
  overdue?: boolean;
  /** An alarm's procedure as it stands (steps and whether each is done). */
  procedure?: Pick<ProcedureView, 'steps'> | null;
}

/**
 * Repair work follows the repair rules (slip, sheet, check, repair clocks) whatever the
 * ticket became: a repair reported twice is a complaint that still needs the work done.
 */
export function isRepairWork(ticket: Pick<TicketFacts, 'kind' | 'repair'>): boolean {
  return ticket.repair !== null && (ticket.kind === 'repair' || ticket.kind === 'complaint');
}

/**
 * Documents a repair must have before it is closed: every repair a dispatch slip (维修调度单);
 * paid or public-area work a repair sheet (工程维修单); public-area work a customer-service check.
 */
export function requiredDocuments(ticket: Pick<TicketFacts, 'kind' | 'repair'>): DocumentKind[] {
  if (!isRepairWork(ticket) || !ticket.repair) return [];
  const documents: DocumentKind[] = ['dispatch_slip'];
  if (ticket.repair.paid || !ticket.repair.inUnit) documents.push('repair_sheet');
  if (!ticket.repair.inUnit) documents.push('cs_check');
  return documents;
}

/** Fields the action needs on this ticket: the table's, plus the repair sheet where one is due. */
export function requiredFields(ticket: Pick<TicketFacts, 'kind' | 'repair' | 'hasReporter'>, action: TicketAction): ActionField[] {
  let fields = [...TICKET_ACTION_TABLE[action].requires];
  if (action === 'complete' && requiredDocuments(ticket).includes('repair_sheet')) fields.push('repairSheet');
  // Nobody to call back: the callback records the outcome `no_owner` instead of a satisfaction.
  if (action === 'callback' && ticket.hasReporter === false) fields = [...fields.filter((field) => field !== 'satisfaction'), 'outcome'];
  return fields;
}

export type ActionRefusal = 'forbidden' | 'illegal_transition' | 'missing_field' | 'unexpected_field' | 'documents_missing' | 'steps_open';

export type Decision =
  | { ok: true; to: TicketStatus }
  | { ok: false; refusal: ActionRefusal; reason: string; field?: string };

export type ActionInput = Partial<Record<ActionField, unknown>>;

const present = (value: unknown) => value !== undefined && value !== null && value !== '';

/**
 * Whether `actor` may do `action` on `ticket` with `input`, and the status it leads to.
 * Checked in this order: who (forbidden), from where (illegal transition), with what
 * (missing or unexpected field), and for close the required documents.
 */
export function decide(ticket: TicketFacts, action: TicketAction, actor: Actor, input: ActionInput): Decision {
  const rule = TICKET_ACTION_TABLE[action];
  if (!rule.roles.includes(actor.role)) {
    return { ok: false, refusal: 'forbidden', reason: `a ${actor.role} may not ${action} a ticket` };
  }
  if (!canSeeTicket(actor, ticket)) {
    return { ok: false, refusal: 'forbidden', reason: `the ticket belongs to ${ticket.department}` };
  }
  if (!rule.from.includes(ticket.status)) {
    return { ok: false, refusal: 'illegal_transition', reason: `cannot ${action} a ticket that is ${ticket.status}` };
  }
  if (rule.kinds && !rule.kinds.includes(ticket.kind)) {
    return { ok: false, refusal: 'illegal_transition', reason: `cannot ${action} a ${ticket.kind}; only ${rule.kinds.join(' or ')}` };
  }
  if (rule.overdueOnly && !ticket.overdue) {
    return { ok: false, refusal: 'illegal_transition', reason: `nothing is overdue: ${action} explains a deadline that has passed` };
  }
  if (rule.publicRepairOnly && !(ticket.kind === 'repair' && ticket.repair && !ticket.repair.inUnit)) {
    return { ok: false, refusal: 'illegal_transition', reason: `only a public-area repair needs a ${action}` };
  }
  if (action === 'step' && !ticket.procedure?.steps.some((step) => !step.done)) {
    return { ok: false, refusal: 'illegal_transition', reason: 'every step of the procedure is done' };
  }
  const required = requiredFields(ticket, action);
  for (const field of required) {
    if (!present(input[field])) return { ok: false, refusal: 'missing_field', field, reason: `${action} needs ${field}` };
  }
  if (present(input.outcome) && rule.outcomes && !rule.outcomes.includes(input.outcome as string)) {
    return { ok: false, refusal: 'unexpected_field', field: 'outcome', reason: `${action} takes an outcome of ${rule.outcomes.join(', ')}` };
  }
  const accepted = new Set<ActionField>([...required, ...rule.optional]);
  for (const [field, value] of Object.entries(input) as Array<[ActionField, unknown]>) {
    if (value !== undefined && !accepted.has(field)) {
      return { ok: false, refusal: 'unexpected_field', field, reason: `${action} does not take ${field}` };
    }
  }
  if (action === 'step') {
    const problem = stepProblem(ticket.procedure?.steps ?? [], input);
    if (problem) return problem;
  }
  if (action === 'clear') {
    const open = openRequiredSteps(ticket.procedure);
    if (open.length > 0) return { ok: false, refusal: 'steps_open', field: 'procedure', reason: `cannot clear before the required steps ${open.join(', ')}` };
  }
  if (action === 'close') {
    const missing = requiredDocuments(ticket).filter((document) => !ticket.documents.includes(document));
    if (missing.length > 0) {
      return { ok: false, refusal: 'documents_missing', field: 'documents', reason: `cannot close before ${missing.join(', ')}` };
    }
  }
  return { ok: true, to: destination(rule, ticket) };
}

/** Which step, and with what: a known step not yet done; a question answered, a check not. */
function stepProblem(steps: NonNullable<TicketFacts['procedure']>['steps'], input: ActionInput): Decision | null {
  const step = steps.find((one) => one.key === input.step);
  if (!step) return { ok: false, refusal: 'unexpected_field', field: 'step', reason: `no step ${String(input.step)} in this alarm's procedure (${steps.map((one) => one.key).join(', ')})` };
  if (step.done) return { ok: false, refusal: 'illegal_transition', reason: `step ${step.key} is already done` };
  if (step.kind === 'question' && !present(input.outcome)) return { ok: false, refusal: 'missing_field', field: 'outcome', reason: `step ${step.key} is a question: outcome yes or no` };
  if (step.kind === 'check' && present(input.outcome)) return { ok: false, refusal: 'unexpected_field', field: 'outcome', reason: `step ${step.key} is ticked, not answered` };
  return null;
}

function destination(rule: ActionRule, ticket: TicketFacts): TicketStatus {
  if (rule.to === 'same') return ticket.status;
  if (rule.to === 'previous') return ticket.resumeStatus ?? 'received';
  return rule.to;
}

/** The actions `actor` could take on `ticket` now (the console shows exactly these buttons). */
export function availableActions(ticket: TicketFacts, actor: Actor): TicketAction[] {
  return TICKET_ACTIONS.filter((action) => {
    const decision = decide(ticket, action, actor, {});
    return decision.ok || decision.refusal === 'missing_field' || decision.refusal === 'documents_missing' || decision.refusal === 'steps_open';
  });
}

/** An unsatisfied callback (不满意) does not close: it reopens the ticket to the same department. */
export function reopensAfterCallback(satisfaction: Satisfaction): boolean {
  return satisfaction === 'unsatisfied';
}
