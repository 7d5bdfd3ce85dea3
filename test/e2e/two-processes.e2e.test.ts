import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, login } from '../support/api';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../support/env';
import { repairFrom } from '../support/fixtures';
import { type ApiProcess, spawnApi } from '../support/process';
import { type Listener, listen } from '../support/socket';

describe('two api processes on one Redis', () => {
  let first: ApiProcess;
  let second: ApiProcess;
  const listeners: Listener[] = [];

  beforeAll(async () => {
    // One secret for both: a token signed by either is honoured by the other.
    const env = { DATABASE_URL: TEST_DATABASE_URL, REDIS_URL: TEST_REDIS_URL, SEED_DEMO: '1', NODE_ENV: 'test', JWT_SECRET: 'two-process-test-secret-0123456789abcdef' };
    // Started together: the migration lock must keep them from migrating and seeding twice.
    [first, second] = await Promise.all([spawnApi(env), spawnApi(env)]);
  });
  afterAll(async () => {
    for (const listener of listeners) listener.close();
    await Promise.all([first?.stop(), second?.stop()]);
  });

  it('both report Redis up', async () => {
    for (const api of [first, second]) {
      expect((await request(api.url).get('/api/health')).body).toEqual({ status: 'ok', db: 'up', redis: 'up' });
    }
  });

  it('a socket on the first receives the event of a ticket created through the second, and vice versa', async () => {
    // Signed in on the first, used on both.
    const token = await login(first.url, 'dispatcher');
    const onFirst = await listen(first.url, token);
    const onSecond = await listen(second.url, token);
    listeners.push(onFirst, onSecond);

    const viaSecond = await client(second.url, token).post('/api/tickets').send(repairFrom('6-2-601'));
    expect(viaSecond.status).toBe(201);
    const viaFirst = await client(first.url, token).post('/api/tickets').send(repairFrom('6-2-602'));
    expect(viaFirst.status).toBe(201);

    for (const listener of [onFirst, onSecond]) {
      for (const created of [viaSecond, viaFirst]) {
        const event = await listener.waitForEvent((e) => e.ticketId === created.body.id);
        expect(event.seq).toBe(created.body.seq);
      }
      // Each event exactly once per socket, whichever process wrote it.
      const seqs = listener.events.map((event) => event.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
    }
  });
});
