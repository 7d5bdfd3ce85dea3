import type { Role } from '@dispatch/domain';
import { goto } from '$app/navigation';
import { resolve } from '$app/paths';
import { homeOf, NEXT_KEY, type Screen } from './navigation';
import { session } from './stores/session.svelte';

/**
 * On a screen's mount: sends a visitor without a session to sign in (and back here after),
 * and a role this screen is not for to its own. True when the screen may go on.
 */
export function requireSession(screen: Screen, roles: readonly Role[]): boolean {
  if (!session.accessToken || !session.user) {
    sessionStorage.setItem(NEXT_KEY, screen);
    void goto(resolve('/login'));
    return false;
  }
  if (!roles.includes(session.user.role)) {
    void goto(resolve(homeOf(session.user.role)));
    return false;
  }
  return true;
}
