import { createApiClient } from '@dispatch/domain';
import { apiFetch } from './stores/session.svelte';

/** The typed client of libs/domain, with the signed-in user's bearer token. */
export const api = createApiClient((path, init) => apiFetch(path, init));
