import request from 'supertest';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, DEMO_PASSWORD, type RunningApi, startApi } from '../support/api';
import { listen } from '../support/socket';

let api: RunningApi;

beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api?.close();
});

/** A sign-in as a client that is not a browser does it: the refresh token in the answer's body. */
async function signIn(username: string) {
  const res = await request(api.url).post('/api/auth/login').send({ username, password: DEMO_PASSWORD, refreshIn: 'body' });
  expect(res.status).toBe(200);
  return res.body as { accessToken: string; refreshToken: string; expiresIn: number; user: { id: string; role: string } };
}

function refreshCookieOf(res: request.Response): string {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return cookies.find((cookie) => cookie.startsWith('dispatch_refresh=')) ?? '';
}

const disconnected = (socket: ReturnType<typeof io>) => new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));

describe('sessions', () => {
  it('gives a 15-minute access token and a refresh token; refreshing rotates it; a reused refresh token ends the session', async () => {
    const first = await signIn('dispatcher');
    expect(first.expiresIn).toBe(900);
    expect(first.user.role).toBe('dispatcher');
    const renewed = await request(api.url).post('/api/auth/refresh').send({ refreshToken: first.refreshToken });
    expect(renewed.status).toBe(200);
    expect(renewed.body.refreshToken).not.toBe(first.refreshToken);
    expect((await client(api.url, renewed.body.accessToken).get('/api/auth/me')).body.id).toBe(first.user.id);

    const replay = await request(api.url).post('/api/auth/refresh').send({ refreshToken: first.refreshToken });
    expect(replay.status).toBe(401);
    // Whoever held the copy and whoever held the real one are both signed out.
    expect((await client(api.url, renewed.body.accessToken).get('/api/auth/me')).status).toBe(401);
    expect((await request(api.url).post('/api/auth/refresh').send({ refreshToken: renewed.body.refreshToken })).status).toBe(401);
  });

  it('a browser sign-in keeps the refresh token in an httpOnly, SameSite=Strict cookie on /api/auth, never in the answer', async () => {
    const browser = request.agent(api.url);
    const signedIn = await browser.post('/api/auth/login').send({ username: 'dispatcher', password: DEMO_PASSWORD });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.refreshToken).toBeUndefined();
    const cookie = refreshCookieOf(signedIn);
    expect(cookie).toMatch(/^dispatch_refresh=[\w-]{36}\.[\w-]{43};/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Path=\/api\/auth;/);
    expect(cookie).toMatch(/; Max-Age=\d+;/);
    expect(cookie).not.toMatch(/; Secure/); // plain http here; Secure whenever the request came over https

    // A reload: renewed from the cookie alone, rotated, and the spent one refused as a copy.
    const spent = cookie.split(';')[0];
    const renewed = await browser.post('/api/auth/refresh').send({});
    expect(renewed.status).toBe(200);
    expect(renewed.body.refreshToken).toBeUndefined();
    expect(renewed.body.user.id).toBe(signedIn.body.user.id);
    expect(refreshCookieOf(renewed).split(';')[0]).not.toBe(spent);
    expect((await client(api.url, renewed.body.accessToken).get('/api/auth/me')).status).toBe(200);

    // Logout drops the cookie: the next renewal has nothing to present.
    const out = await browser.post('/api/auth/logout').set('authorization', `Bearer ${renewed.body.accessToken}`);
    expect(out.status).toBe(204);
    expect(refreshCookieOf(out)).toMatch(/^dispatch_refresh=;.*Expires=Thu, 01 Jan 1970/);
    const after = await browser.post('/api/auth/refresh').send({});
    expect(after.status).toBe(401);
    expect(after.body.message).toBe('No refresh token');
    const replayed = await request(api.url).post('/api/auth/refresh').set('cookie', spent).send({});
    expect(replayed.status).toBe(401);
  });

  it('marks the cookie Secure when the request came over https through the trusted proxy', async () => {
    const proxied = await startApi({ TRUST_PROXY: '1' });
    try {
      const res = await request(proxied.url).post('/api/auth/login').set('x-forwarded-proto', 'https').send({ username: 'guard', password: DEMO_PASSWORD });
      expect(res.status).toBe(200);
      expect(refreshCookieOf(res)).toMatch(/; Secure/);
    } finally {
      await proxied.close();
    }
  });

  it('logout ends that sign-in and disconnects its sockets, not the same person\'s other sign-in', async () => {
    const tablet = await signIn('guard');
    const phone = await signIn('guard');
    const tabletSocket = await listen(api.url, tablet.accessToken);
    const phoneSocket = await listen(api.url, phone.accessToken);
    const gone = disconnected(tabletSocket.socket);
    expect((await client(api.url, tablet.accessToken).post('/api/auth/logout')).status).toBe(204);
    expect(await gone).toBe('io server disconnect');
    expect((await client(api.url, tablet.accessToken).get('/api/tickets')).status).toBe(401);
    expect((await request(api.url).post('/api/auth/refresh').send({ refreshToken: tablet.refreshToken })).status).toBe(401);
    expect((await client(api.url, phone.accessToken).get('/api/tickets')).status).toBe(200);
    expect(phoneSocket.socket.connected).toBe(true);
    tabletSocket.close();
    phoneSocket.close();
  });

  it('disabling an account (admin only) ends all its sign-ins and disconnects its sockets at once', async () => {
    const admin = await signIn('admin');
    const cleaner = await signIn('cleaner');
    const socket = await listen(api.url, cleaner.accessToken);
    expect((await client(api.url, cleaner.accessToken).patch(`/api/staff/${cleaner.user.id}`).send({ active: false })).status).toBe(403);
    const gone = disconnected(socket.socket);
    const disabled = await client(api.url, admin.accessToken).patch(`/api/staff/${cleaner.user.id}`).send({ active: false });
    expect(disabled.status).toBe(200);
    expect(await gone).toBe('io server disconnect');
    expect((await client(api.url, cleaner.accessToken).get('/api/tickets')).status).toBe(401);
    expect((await request(api.url).post('/api/auth/login').send({ username: 'cleaner', password: DEMO_PASSWORD })).status).toBe(401);
    const reconnect = io(api.url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token: cleaner.accessToken } });
    const refused = await new Promise<Error>((resolve) => reconnect.once('connect_error', resolve));
    expect(refused.message).toMatch(/^unauthorized/);
    reconnect.close();
    await client(api.url, admin.accessToken).patch(`/api/staff/${cleaner.user.id}`).send({ active: true });
    socket.close();
  });
});

describe('hardening', () => {
  it('sends secure headers and no stack traces', async () => {
    const res = await request(api.url).get('/api/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['strict-transport-security']).toBeDefined();
  });
});

describe('access is recorded (事事有记录)', () => {
  it('sign-in, sign-out, a reused refresh token and disabling are in the log with who and from where, never a secret; managers only', async () => {
    const manager = await signIn('manager');
    const managerSocket = await listen(api.url, manager.accessToken);
    const deskSocket = await listen(api.url, (await signIn('dispatcher')).accessToken);
    const from = managerSocket.hello.lastSeq;

    const gardener = await signIn('gardener');
    const renewed = await request(api.url).post('/api/auth/refresh').send({ refreshToken: gardener.refreshToken });
    expect((await request(api.url).post('/api/auth/refresh').send({ refreshToken: gardener.refreshToken })).status).toBe(401);
    const again = await signIn('gardener');
    expect((await client(api.url, again.accessToken).post('/api/auth/logout')).status).toBe(204);
    const admin = await signIn('admin');
    expect((await client(api.url, admin.accessToken).patch(`/api/staff/${gardener.user.id}`).send({ active: false })).status).toBe(200);
    expect((await client(api.url, admin.accessToken).patch(`/api/staff/${gardener.user.id}`).send({ active: true })).status).toBe(200);

    const records = (await client(api.url, manager.accessToken).get(`/api/events?after=${from}&limit=200`)).body.items as Array<{ type: string; data: Record<string, unknown> }>;
    const ofGardener = records.filter((event) => event.type.startsWith('access.') && (event.data.staff as { id: string }).id === gardener.user.id);
    expect(ofGardener.map((event) => event.type)).toEqual([
      'access.signed_in',
      'access.session_revoked',
      'access.signed_in',
      'access.signed_out',
      'access.account_changed',
      'access.account_changed',
    ]);
    expect(ofGardener[0].data).toMatchObject({ staff: { name: '陈静', role: 'field' }, address: expect.stringMatching(/127\.0\.0\.1/) });
    expect(ofGardener[4].data).toMatchObject({ active: false, actor: { role: 'admin' } });
    const text = JSON.stringify(records);
    for (const secret of [DEMO_PASSWORD, gardener.accessToken, gardener.refreshToken, renewed.body.refreshToken]) expect(text).not.toContain(secret);

    // Pushed to the managers' room, not to the control room's screens, and not replayed to the desk.
    await managerSocket.waitForEvent((event) => event.type === 'access.account_changed');
    expect(deskSocket.events.filter((event) => event.type.startsWith('access.'))).toEqual([]);
    const deskLog = (await client(api.url, (await signIn('dispatcher')).accessToken).get(`/api/events?after=${from}&limit=200`)).body.items as Array<{ type: string }>;
    expect(deskLog.filter((event) => event.type.startsWith('access.'))).toEqual([]);
    managerSocket.close();
    deskSocket.close();
  });
});

describe('sign-in rate limit', () => {
  let limited: RunningApi;
  beforeAll(async () => {
    limited = await startApi({ LOGIN_ATTEMPTS_PER_MINUTE: '3' });
  });
  afterAll(async () => {
    await limited?.close();
  });

  it('refuses the fourth attempt on one username within a minute with 429, while another username still signs in', async () => {
    const attempts = [];
    for (let i = 0; i < 4; i++) attempts.push(await request(limited.url).post('/api/auth/login').send({ username: 'manager', password: 'guess' }));
    expect(attempts.map((res) => res.status)).toEqual([401, 401, 401, 429]);
    expect(attempts[3].body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    // Even the right password waits now: the guesser cannot tell.
    expect((await request(limited.url).post('/api/auth/login').send({ username: 'manager', password: DEMO_PASSWORD })).status).toBe(429);
    expect((await request(limited.url).post('/api/auth/login').send({ username: 'supervisor', password: DEMO_PASSWORD })).status).toBe(200);
  });
});
