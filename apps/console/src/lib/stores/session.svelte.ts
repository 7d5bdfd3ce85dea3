import type { Actor } from '@dispatch/domain';

const STORAGE_KEY = 'dispatch.session';

interface StoredSession {
  accessToken: string;
  user: Actor;
}

/** The signed-in staff member and their bearer token, kept across reloads of the wallboard. */
class Session {
  accessToken = $state<string | null>(null);
  user = $state<Actor | null>(null);

  constructor() {
    if (typeof localStorage === 'undefined') return;
    try {
      const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as StoredSession | null;
      if (stored?.accessToken) {
        this.accessToken = stored.accessToken;
        this.user = stored.user;
      }
    } catch {
      localStorage.removeItem(STORAGE_KEY);
    }
  }

  async login(username: string, password: string): Promise<string | null> {
    const response = await fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (response.status === 401) return '用户名或密码错误';
    if (!response.ok) return `登录失败 (${response.status})`;
    const body = (await response.json()) as StoredSession;
    this.accessToken = body.accessToken;
    this.user = body.user;
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ accessToken: body.accessToken, user: body.user }));
    return null;
  }

  logout(): void {
    this.accessToken = null;
    this.user = null;
    localStorage.removeItem(STORAGE_KEY);
  }
}

export const session = new Session();

/** fetch with the bearer token; a 401 ends the session so the page sends the user to sign in. */
export async function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (session.accessToken) headers.set('authorization', `Bearer ${session.accessToken}`);
  const response = await fetch(path, { ...init, headers });
  if (response.status === 401) session.logout();
  return response;
}
