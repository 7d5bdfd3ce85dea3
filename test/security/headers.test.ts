import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { io } from 'socket.io-client';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type RunningApi, startApi } from '../support/api';

const ROOT = resolve(__dirname, '../..');

/** Does a socket handshake from this page origin (undefined: not a browser) reach `hello`? */
function handshake(url: string, token: string, origin?: string): Promise<'hello' | string> {
  return new Promise((done) => {
    const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token }, extraHeaders: origin ? { origin } : {} });
    const finish = (outcome: string) => {
      socket.close();
      done(outcome);
    };
    socket.once('hello', () => finish('hello'));
    socket.once('connect_error', (error) => finish(`refused: ${error.message}`));
    setTimeout(() => finish('no answer in 5 s'), 5_000);
  });
}

/** The headers a browser gets: the content-security policy, the cookie's flags, and who may open a socket. */
describe('security headers', () => {
  let api: RunningApi;
  let page: request.Response;

  beforeAll(async () => {
    api = await startApi({ CORS_ORIGINS: 'https://wall.example.com' });
    page = await request(api.url).get('/wallboard');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('serves the console with a policy that allows its own scripts and the one inline start-up script, by hash', () => {
    expect(page.status).toBe(200);
    const policy = String(page.headers['content-security-policy']);
    const inline = [...page.text.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1]);
    expect(inline).toHaveLength(1);
    const hash = createHash('sha256').update(inline[0]).digest('base64');
    const scriptSrc = /script-src ([^;]+)/.exec(policy)?.[1].split(' ') ?? [];
    expect(scriptSrc).toEqual(["'self'", `'sha256-${hash}'`]);
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("connect-src 'self'");
    // The page itself carries the same policy (SvelteKit's <meta>), less what only a header can say.
    const meta = /<meta http-equiv="content-security-policy" content="([^"]+)"/.exec(page.text)?.[1];
    expect(`${meta}; frame-ancestors 'none'`).toBe(policy);
  });

  it('sends the policy on api answers too, and on the console\'s assets', async () => {
    const answer = await request(api.url).get('/api/tickets');
    expect(answer.status).toBe(401);
    expect(answer.headers['content-security-policy']).toBe(page.headers['content-security-policy']);
    const asset = /href="(\/_app\/immutable\/[^"]+\.js)"/.exec(page.text)?.[1];
    expect(asset).toBeDefined();
    expect((await request(api.url).get(asset as string)).headers['content-security-policy']).toBe(page.headers['content-security-policy']);
  });

  it('the shipped nginx sends the same headers as the api: its snippet and the generated policy line', () => {
    const snippet = readFileSync(resolve(ROOT, 'deploy/security-headers.conf'), 'utf8');
    const lines = [...snippet.matchAll(/^add_header ([\w-]+) "([^"]+)" always;$/gm)];
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const [, name, value] of lines) expect([name, page.headers[name.toLowerCase()]]).toEqual([name, value]);
    // What the console image runs at build time gives the api's policy, byte for byte.
    const generated = execFileSync(process.execPath, [resolve(ROOT, 'apps/api/dist/common/content-security-policy.js'), resolve(ROOT, 'apps/console/build')], { encoding: 'utf8' });
    expect(generated).toBe(`add_header Content-Security-Policy "${page.headers['content-security-policy']}" always;\n`);
    const nginx = readFileSync(resolve(ROOT, 'deploy/nginx.conf'), 'utf8');
    expect(nginx).toContain('include /etc/nginx/snippets/security-headers.conf;');
    expect(nginx).toContain('include /etc/nginx/snippets/csp.conf;');
  });

  it('opens a socket for the console\'s own origin and a listed one, refuses any other site\'s page', async () => {
    const token = await login(api.url, 'dispatcher');
    const own = new URL(api.url).origin;
    expect(await handshake(api.url, token, own)).toBe('hello');
    expect(await handshake(api.url, token, 'https://wall.example.com')).toBe('hello');
    expect(await handshake(api.url, token, undefined)).toBe('hello');
    expect(await handshake(api.url, token, 'https://evil.example.net')).toMatch(/^refused/);
    expect(await handshake(api.url, token, 'null')).toMatch(/^refused/);
  });

  it('keeps the refresh token in an httpOnly, SameSite=Strict cookie on /api/auth, out of the answer', async () => {
    const res = await request(api.url).post('/api/auth/login').send({ username: 'dispatcher', password: 'demo1234' });
    expect(res.status).toBe(200);
    expect(res.body.refreshToken).toBeUndefined();
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((one) => one.startsWith('dispatch_refresh='));
    expect(cookie?.split(';').map((part) => part.trim().split('=')[0].toLowerCase()).sort()).toEqual(['dispatch_refresh', 'httponly', 'max-age', 'path', 'samesite', 'expires'].sort());
    expect(cookie).toMatch(/; Path=\/api\/auth;/);
    expect(cookie).toMatch(/; SameSite=Strict/);
  });

  it('answers CORS only for the listed origin', async () => {
    const listed = await request(api.url).options('/api/tickets').set('origin', 'https://wall.example.com').set('access-control-request-method', 'GET');
    expect(listed.headers['access-control-allow-origin']).toBe('https://wall.example.com');
    const other = await request(api.url).options('/api/tickets').set('origin', 'https://evil.example.net').set('access-control-request-method', 'GET');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
