import type { Role } from '@dispatch/domain';

export type Screen = '/wallboard' | '/dispatch' | '/field' | '/sla' | '/handover' | '/archive' | '/worklog' | '/roster' | '/reports';

/** Which screens each role works on; the first is where sign-in lands. */
export const SCREENS_FOR: Record<Role, readonly Screen[]> = {
  dispatcher: ['/dispatch', '/wallboard', '/handover', '/archive', '/roster', '/worklog'],
  field: ['/field', '/worklog'],
  supervisor: ['/sla', '/reports', '/field', '/dispatch', '/wallboard', '/handover', '/archive', '/roster', '/worklog'],
  manager: ['/sla', '/reports', '/dispatch', '/wallboard', '/handover', '/archive', '/roster', '/worklog'],
  admin: ['/dispatch', '/wallboard', '/sla', '/reports', '/handover', '/archive', '/roster', '/worklog'],
};

export function homeOf(role: Role): Screen {
  return SCREENS_FOR[role][0];
}

/** Where sign-in returns to (the screen that sent the visitor there), kept for this tab only. */
export const NEXT_KEY = 'dispatch.next';

/** Only a path of this console, never another site, is followed after sign-in. */
export function safeNext(next: string | null): Screen | null {
  const screens: readonly string[] = ['/wallboard', '/dispatch', '/field', '/sla', '/handover', '/archive', '/worklog', '/roster', '/reports'];
  return next && screens.includes(next) ? (next as Screen) : null;
}
