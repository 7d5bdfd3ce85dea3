import type { Actor } from '@dispatch/domain';

const STORAGE_KEY = 'dispatch.session';

interface StoredSession {
  accessToken: string;
  refreshToken: string;
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

/** The signed-in staff member and their bearer token, kept across reloads of the wallboard. */
class Session {
  accessToken = $state<string | null>(null);
  user = $state<Actor | null>(null);
  private refreshToken: string | null = null;
  private refreshing: Promise<string | null> | null = null;
  /** After a 429 or an outage, no renewal before this moment (ms): the server said when to come back. */
  private renewNotBefore = 0;

  constructor() {
    if (typeof localStorage === 'undefined') return;
    try {
      const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as StoredSession | null;
      if (stored?.accessToken) {
        this.accessToken = stored.accessToken;
        this.refreshToken = stored.refreshToken ?? null;
        this.user = stored.user;
      }
    } catch {
      localStorage.removeItem(STORAGE_KEY);
    }
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
    this.store((await response.json()) as StoredSession);
    return null;
  }

  /**
   * A valid access token: the current one, or a renewed one when it ends within a minute
   * (access tokens live 15 minutes; the wallboard runs for days). Null when signed out.
   */
  async freshToken(): Promise<string | null> {
    if (!this.accessToken) return null;
    if (expiresAt(this.accessToken) - Date.now() / 1000 > 60 || Date.now() < this.renewNotBefore) return this.accessToken;
    this.refreshing ??= this.renew().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  logout(): void {
    const token = this.accessToken;
    if (token) void fetch('/api/auth/logout', { method: 'POST', headers: { authorization: `Bearer ${token}` } }).catch(() => undefined);
    this.forget();
  }

  /** Drop the session locally (the server already ended it). */
  forget(): void {
    this.accessToken = null;
    this.refreshToken = null;
    this.user = null;
    localStorage.removeItem(STORAGE_KEY);
  }

  private async renew(): Promise<string | null> {
    if (!this.refreshToken) return null;
    const response = await fetch('/api/auth/refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: this.refreshToken }),
    }).catch(() => null);
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
    this.store((await response.json()) as StoredSession);
    return this.accessToken;
  }

  private store(body: StoredSession): void {
    this.accessToken = body.accessToken;
    this.refreshToken = body.refreshToken;
    this.user = body.user;
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ accessToken: body.accessToken, refreshToken: body.refreshToken, user: body.user }));
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
