import type { Department } from './ticket';

/** An unsigned handover this long into the shift alerts the customer-service supervisor. */
export const HANDOVER_SIGN_WITHIN_MS = 15 * 60_000;
/** Promises that fall in the next shift: this far ahead of the handover. */
export const HANDOVER_HORIZON_MS = 12 * 3_600_000;

/** What the outgoing desk shift passes on (交接班), drafted from the record. */
export interface HandoverDraft {
  draftedAt: string;
  /** Tickets still open, the next deadline first. */
  open: Array<{ id: string; number: string; location: string; status: string; department: Department; nextDueAt: string | null }>;
  /** Promised to owners within the next shift: agreed times and callbacks falling due. */
  promises: Array<{ id: string; number: string; location: string; what: 'agreed' | 'callback'; dueAt: string }>;
  /** Alarms whose tone is muted now. */
  mutedAlarms: Array<{ id: string; number: string; location: string; mutedUntil: string }>;
  devicesOffline: Array<{ id: string; name: string; offlineSince: string }>;
}

export interface HandoverView {
  id: string;
  department: Department;
  draft: HandoverDraft;
  notes: string | null;
  submittedBy: { id: string; name: string };
  submittedAt: string;
  signedBy: { id: string; name: string } | null;
  signedAt: string | null;
  signNote: string | null;
  /** When the supervisor was alerted that nobody had signed it. */
  alertedAt: string | null;
}

/** Whether a handover submitted at `submittedAt` is overdue for signing at `nowMs`. */
export function handoverOverdue(handover: { submittedAt: string; signedAt: string | null }, nowMs: number): boolean {
  return !handover.signedAt && nowMs - Date.parse(handover.submittedAt) >= HANDOVER_SIGN_WITHIN_MS;
}
