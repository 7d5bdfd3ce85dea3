import { redirect } from '@sveltejs/kit';
import { homeOf } from '$lib/navigation';
import { session } from '$lib/stores/session.svelte';
import type { PageLoad } from './$types';

/** `/`: the signed-in user's own screen; the wallboard for a control-room screen nobody signed in to yet. */
export const load: PageLoad = async ({ parent }) => {
  await parent(); // the layout has picked up the sign-in first
  redirect(307, session.user ? homeOf(session.user.role) : '/wallboard');
};
