import { session } from '$lib/stores/session.svelte';

// A client-rendered console: live data comes over the socket, nothing to prerender.
export const ssr = false;
export const prerender = false;

/** Before any screen decides where to go: pick up the sign-in this browser holds (its refresh cookie). */
export async function load(): Promise<Record<string, never>> {
  await session.restore();
  return {};
}
