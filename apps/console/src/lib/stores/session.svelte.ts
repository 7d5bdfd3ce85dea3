import type { Actor } from '@dispatch/domain';

/** Written by older consoles (tokens in localStorage); removed on sight. */
const LEGACY_STORAGE_KEY = 'dispatch.session';
/** Renewals of all this browser's tabs take turns: each spends the cookie the last one set. */
const RENEWAL_LOCK = 'dispatch.refresh';

interface SessionAnswer {
  accessToken: string;
  user: Actor;
}

/** Seconds since the epoch at which a JWT expires (read, not verified: the server verifies). */
function expiresAt(token: string): number {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: number };
    return payload.exp ?? 0;
  } catch {
    return 0;
  }
}

export interface SignInRefusal {
  status: number;
  retryAfter?: number;
}

function retryAfterOf(response: Response): number | undefined {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

/** One renewal at a time across tabs (Web Locks); where the browser has none, this tab's own turn. */
function inTurn<T>(work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return locks ? (locks.request(RENEWAL_LOCK, work) as Promise<T>) : work();
}

/**
 * The signed-in staff member. The access token (15 minutes) lives in memory only; the refresh
 * token is an httpOnly cookie the page's scripts cannot read, so a reload (or a wallboard
 * running for days) renews from the cookie, and nothing that opens a session sits in storage.
 */
class Session {
  accessToken = $state<string | null>(null);
  user = $state<Actor | null>(null);
  private refreshing: Promise<string | null> | null = null;
  private restored: Promise<void> | null = null;
  /** After a 429 or an outage, no renewal before this moment (ms): the server said when to come back. */
  private renewNotBefore = 0;

  /** Once per page load, before any screen decides: is there a sign-in to pick up from the cookie? */
  restore(): Promise<void> {
    if (typeof localStorage !== 'undefined') localStorage.removeItem(LEGACY_STORAGE_KEY);
    this.restored ??= this.accessToken ? Promise.resolve() : this.renewNow().then(() => undefined);
    return this.restored;
  }

  /** Signs in; null on success, else why not (status 0: the server was not reached; 429: wait `retryAfter` s). */
  async login(username: string, password: string): Promise<SignInRefusal | null> {
    const response = await fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    }).catch(() => null);
    if (!response) return { status: 0 };
    if (!response.ok) return { status: response.status, retryAfter: retryAfterOf(response) };
    this.store((await response.json()) as SessionAnswer);
    return null;
  }

  /**
   * A valid access token: the current one, or a renewed one when it ends within a minute
   * (the wallboard runs for days). Null when signed out.
   */
  async freshToken(): Promise<string | null> {
    if (!this.accessToken) return null;
    if (expiresAt(this.accessToken) - Date.now() / 1000 > 60 || Date.now() < this.renewNotBefore) return this.accessToken;
    return this.renewNow();
  }

  /** Ends the sign-in on the server (which drops the refresh cookie), then here; an unreachable server still signs out here. */
  async logout(): Promise<void> {
    const token = this.accessToken;
    this.forget();
    this.restored = Promise.resolve();
    if (token) await fetch('/api/auth/logout', { method: 'POST', headers: { authorization: `Bearer ${token}` } }).catch(() => undefined);
  }

  /** Drop the session locally (the server already ended it). */
  forget(): void {
    this.accessToken = null;
    this.user = null;
  }

  private renewNow(): Promise<string | null> {
    this.refreshing ??= inTurn(() => this.renew()).finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async renew(): Promise<string | null> {
    const response = await fetch('/api/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).catch(() => null);
    if (!response) return this.accessToken; // offline: keep what we have and try again later
    if (response.status === 429 || response.status >= 500) {
      // Too many renewals or the server is down: wait as told and keep the session.
      this.renewNotBefore = Date.now() + (retryAfterOf(response) ?? 5) * 1000;
      return this.accessToken;
    }
    if (!response.ok) {
      this.forget();
      return null;
    }
    this.store((await response.json()) as SessionAnswer);
    return this.accessToken;
  }

  private store(body: SessionAnswer): void {
    this.accessToken = body.accessToken;
    this.user = body.user;
  }
}

export const session = new Session();

/** fetch with the bearer token; a 401 ends the session so the page sends the user to sign in. */
export async function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = await session.freshToken();
  if (token) headers.set('authorization', `Bearer ${token}`);
  const response = await fetch(path, { ...init, headers });
  if (response.status === 401) session.forget();
  return response;
}
