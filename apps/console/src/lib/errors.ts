import { ApiError } from '@dispatch/domain';

type Translate = (key: string, options?: { values?: Record<string, string | number> }) => string;

/**
 * A failed request as the person at the screen reads it: what happened and what to do, in
 * their language; the server's own words (field and reason) only where they name the field
 * to fix. Never "Failed to fetch" or a bare status.
 */
export function describeError(error: unknown, t: Translate): string {
  if (!(error instanceof ApiError)) return t('errors.unexpected');
  if (error.offline) return t('errors.offline');
  if (error.status === 400) return t('errors.invalid', { values: { detail: error.message } });
  if (error.status === 401) return t('errors.signedOut');
  if (error.status === 403) return t('errors.forbidden');
  if (error.status === 404) return t('errors.notFound');
  if (error.status === 409) return t('errors.conflict', { values: { detail: error.message } });
  if (error.status === 429) return t('errors.tooMany');
  if (error.status >= 500) return t('errors.server');
  return t('errors.unexpected');
}
