import { redirect } from '@sveltejs/kit';
import { homeOf } from '$lib/navigation';
import { session } from '$lib/stores/session.svelte';

/** `/`: the signed-in user's own screen; the wallboard for a control-room screen nobody signed in to yet. */
export function load(): never {
  redirect(307, session.user ? homeOf(session.user.role) : '/wallboard');
}
