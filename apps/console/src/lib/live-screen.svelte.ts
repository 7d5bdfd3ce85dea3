import type { Role } from '@dispatch/domain';
import { onDestroy, onMount } from 'svelte';
import { goto } from '$app/navigation';
import { resolve } from '$app/paths';
import type { Screen } from './navigation';
import { requireSession } from './require-session';
import { liveBoard } from './stores/live-board.svelte';
import { serverClock } from './stores/server-clock.svelte';

/**
 * What every live screen does, called once from its script: sign-in and role check, the
 * shared ticker and the socket while the screen is shown, back to sign-in when the session ends.
 */
export function liveScreen(screen: Screen, roles: readonly Role[], hooks: { mounted?: () => void; destroyed?: () => void } = {}): void {
  onMount(() => {
    if (!requireSession(screen, roles)) return;
    serverClock.start();
    liveBoard.connect();
    hooks.mounted?.();
  });
  $effect(() => {
    if (liveBoard.status === 'signed_out') void goto(resolve('/login'));
  });
  onDestroy(() => {
    hooks.destroyed?.();
    liveBoard.disconnect();
    serverClock.stop();
  });
}
