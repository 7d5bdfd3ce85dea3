import type { IncomingMessage } from 'node:http';

/** The origins CORS_ORIGINS lists, normalised (no trailing slash, lower case). */
export function allowedOrigins(configured: string | undefined): string[] {
  return (configured ?? '')
    .split(',')
    .map((origin) => origin.trim().replace(/\/+$/, '').toLowerCase())
    .filter(Boolean);
}

/**
 * May this handshake open a socket? A browser always names the page's origin: it must be the
 * console's own (same host and port as the request) or one CORS_ORIGINS lists, so another
 * site's page cannot open a socket with a user's token. No Origin: not a browser (a device,
 * a script), which still has to sign in with a token.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (host && parsed.host.toLowerCase() === host.toLowerCase()) return true;
  return allowed.includes(parsed.origin.toLowerCase());
}

/** Socket.IO's `allowRequest` from the rule above; refused handshakes get 403 before any event. */
export function socketOriginCheck(allowed: readonly string[]) {
  return (request: IncomingMessage, callback: (error: string | null | undefined, success: boolean) => void): void => {
    callback(null, originAllowed(request.headers.origin, request.headers.host, allowed));
  };
}
