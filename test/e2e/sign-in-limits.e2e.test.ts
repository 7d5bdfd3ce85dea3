import { randomInt } from 'node:crypto';
import { createClient } from 'redis';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../support/api';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../support/env';
import { type ApiProcess, spawnApi } from '../support/process';

/** Sign-in limits of two api processes behind a proxy (trusted on loopback), counted in one Redis. */
describe('sign-in limits behind a proxy, across processes', () => {
  let apis: ApiProcess[] = [];
  const redis = createClient({ url: TEST_REDIS_URL });
  // Addresses of this run only: counters of an earlier run cannot leak into it.
  const net = `10.${randomInt(1, 250)}.${randomInt(1, 250)}`;
  const address = (host: number) => `${net}.${host}`;
  /** Requests alternate between the processes, as the proxy balances them. */
  let turn = 0;
  const via = () => apis[turn++ % apis.length].url;
  const signIn = (username: string, password: string, from: string) =>
    request(via()).post('/api/auth/login').set('X-Forwarded-For', from).send({ username, password });

  beforeAll(async () => {
    await redis.connect();
    const env = {
      DATABASE_URL: TEST_DATABASE_URL,
      REDIS_URL: TEST_REDIS_URL,
      SEED_DEMO: '1',
      NODE_ENV: 'test',
      JWT_SECRET: 'sign-in-limits-test-secret-0123456789abcdef',
      TRUST_PROXY: 'loopback',
      LOGIN_ATTEMPTS_PER_MINUTE: '6',
      LOGIN_FAILURES_PER_ADDRESS: '20',
    };
    apis = await Promise.all([spawnApi(env), spawnApi(env)]);
    // The per-username counters are keyed by demo usernames: start them from zero.
    for (const key of await redis.keys('signin:username:*')) await redis.del(key);
  });
  afterAll(async () => {
    await Promise.all(apis.map((api) => api.stop()));
    for (const key of await redis.keys('signin:username:*')) await redis.del(key);
    await redis.quit();
  });

  it('20 sessions renewing together through one proxy address are never refused', async () => {
    const users = ['dispatcher', 'guard', 'guard2', 'technician', 'technician2', 'cleaner', 'gardener', 'supervisor', 'manager', 'admin'];
    const sessions = await Promise.all([...users, ...users].map(async (user) => (await request(via()).post('/api/auth/login').send({ username: user, password: DEMO_PASSWORD, refreshIn: 'body' })).body.refreshToken as string));
    for (let round = 0; round < 3; round++) {
      const renewed = await Promise.all(sessions.map((token) => request(via()).post('/api/auth/refresh').send({ refreshToken: token })));
      expect(renewed.map((res) => res.status)).toEqual(sessions.map(() => 200));
      renewed.forEach((res, i) => (sessions[i] = res.body.refreshToken));
    }
  });

  it('one username guessed through both processes is limited as one, with Retry-After', async () => {
    const attacker = address(1);
    const statuses: number[] = [];
    let limited: request.Response | undefined;
    for (let i = 0; i < 8; i++) {
      const res = await signIn('manager', `guess-${i}`, attacker);
      statuses.push(res.status);
      if (res.status === 429) limited ??= res;
    }
    // 6 per minute for the pair: per process it would have been 12 before any 429.
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429, 429]);
    expect(limited?.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited?.headers['retry-after'])).toBeLessThanOrEqual(60);
    // The attacker's address stays walled for this username, even with the right password.
    expect((await signIn('manager', DEMO_PASSWORD, attacker)).status).toBe(429);
  });

  it('the owner still signs in from another address while the guessing one is limited', async () => {
    const res = await signIn('manager', DEMO_PASSWORD, address(2));
    expect(res.status).toBe(200);
    expect(res.body.user.name).toBeTruthy();
  });

  it('30 usernames sprayed from one address are limited after the 20th failure', async () => {
    const sprayer = address(3);
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await signIn(`nobody-${i}`, 'Password1', sprayer)).status);
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses.slice(20)).toEqual(Array(10).fill(429));
    // Successful sign-ins do not count: a control room of many people behind one address is not walled.
    expect((await signIn('dispatcher', DEMO_PASSWORD, address(4))).status).toBe(200);
  });
});
