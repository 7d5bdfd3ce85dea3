import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { client, login } from '../support/api';
import { nthUnit, repairFrom } from '../support/fixtures';
import { runApiToExit, spawnApi } from '../support/process';
import { listen, sleep } from '../support/socket';

describe('start-up', () => {
  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://127.0.0.1/test' }, 'DATABASE_URL'],
    [{ NODE_ENV: 'production' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL'],
  ])('refuses %j and names %s', async (env, name) => {
    const { code, output } = await runApiToExit(env);
    expect(code).toBe(1);
    expect(output).toContain(`${name}:`);
  });

  describe('the embedded default (no DATABASE_URL, no REDIS_URL): a real PostgreSQL server', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dispatch-embedded-'));
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

    it('seeds the demo estate, takes tickets, and keeps them in its folder across restarts', async () => {
      const firstRun = await spawnApi({ EMBEDDED_DB_DIR: dataDir, LOG_LEVEL: 'info' });
      let id: string;
      try {
        expect((await request(firstRun.url).get('/api/health')).body).toEqual({ status: 'ok', db: 'up', redis: 'disabled' });
        const token = await login(firstRun.url, 'dispatcher');
        // The same push path as production: elected publisher, LISTEN/NOTIFY.
        const wallboard = await listen(firstRun.url, token);
        const created = await client(firstRun.url, token).post('/api/tickets').send(repairFrom('4-2-301'));
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        id = created.body.id;
        const pushed = await wallboard.waitForEvent((event) => event.ticketId === created.body.id);
        expect(pushed.seq).toBe(created.body.seq);
        wallboard.close();
        expect(firstRun.output()).toContain('demo estate seeded');
        expect(firstRun.output()).toContain('embedded PostgreSQL 17.');
      } finally {
        await firstRun.stop();
      }
      // A clean stop leaves no server behind and frees the folder.
      expect(existsSync(join(dataDir, 'api.pid'))).toBe(false);
      expect(existsSync(join(dataDir, 'pgdata', 'postmaster.pid'))).toBe(false);

      const secondRun = await spawnApi({ EMBEDDED_DB_DIR: dataDir, LOG_LEVEL: 'info' });
      try {
        const again = await client(secondRun.url, await login(secondRun.url, 'dispatcher')).get(`/api/tickets/${id}`);
        expect(again.status).toBe(200);
        expect(again.body.timeline.map((event: { type: string }) => event.type)).toEqual(['ticket.created']);
        // Seeding happens once: the second start found the estate and left it alone.
        expect(secondRun.output()).not.toContain('demo estate seeded');
      } finally {
        await secondRun.stop();
      }
    });

    it('answers 50 overlapping reads and writes of 8 users, each with its own answer and no 5xx', async () => {
      const api = await spawnApi({ EMBEDDED_DB_DIR: dataDir });
      try {
        const users = ['dispatcher', 'guard', 'guard2', 'technician', 'technician2', 'cleaner', 'supervisor', 'manager'];
        const tokens = new Map(await Promise.all(users.map(async (user) => [user, await login(api.url, user)] as const)));
        const answers = await Promise.all(
          Array.from({ length: 50 }, async (_, i) => {
            const user = users[i % users.length];
            const as = client(api.url, tokens.get(user));
            if (user === 'dispatcher' && i % 2 === 0) return { user, kind: 'create', res: await as.post('/api/tickets').send(repairFrom(nthUnit(i))) };
            if (i % 3 === 0) return { user, kind: 'list', res: await as.get('/api/tickets') };
            return { user, kind: 'me', res: await as.get('/api/auth/me') };
          }),
        );
        const statuses = answers.map(({ res }) => res.status);
        expect(statuses.filter((status) => status >= 500)).toEqual([]);
        expect(statuses.filter((status) => status === 401)).toEqual([]);
        for (const { user, kind, res } of answers) {
          if (kind === 'me') expect(res.body.name, `GET /api/auth/me as ${user}`).toBe((await meOf(api.url, tokens.get(user) ?? '')).name);
          if (kind === 'create') expect(res.status).toBe(201);
          if (kind === 'list') expect(res.status).toBe(200);
        }
        expect(new Set(answers.filter(({ kind }) => kind === 'me').map(({ res }) => res.body.id)).size).toBe(users.length - 1);
      } finally {
        await api.stop();
      }
    });

    it('refuses a second api on a folder in use, naming the folder', async () => {
      const api = await spawnApi({ EMBEDDED_DB_DIR: dataDir });
      try {
        const second = await runApiToExit({ EMBEDDED_DB_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' });
        expect(second.code).toBe(1);
        expect(second.output).toContain(dataDir);
        expect(second.output).toContain('in use by another api process');
        // The first one is untouched.
        expect((await request(api.url).get('/api/health')).status).toBe(200);
      } finally {
        await api.stop();
      }
    });

    it('after a kill -9 while creating, the next start recovers the orphaned server and every 201 is there', async () => {
      const api = await spawnApi({ EMBEDDED_DB_DIR: dataDir });
      const token = await login(api.url, 'dispatcher');
      const acknowledged: string[] = [];
      let sent = 0;
      const writers = Array.from({ length: 4 }, async (_, writer) => {
        for (;;) {
          sent += 1;
          const res = await client(api.url, token)
            .post('/api/tickets')
            .send(repairFrom(nthUnit(writer * 30 + (sent % 30))))
            .catch(() => undefined);
          if (!res) return; // the process is gone
          if (res.status === 201) acknowledged.push(res.body.id as string);
        }
      });
      // Kill once a good number of creations were acknowledged (bounded, not timed).
      for (let i = 0; i < 600 && acknowledged.length < 20; i++) await sleep(50);
      const orphan = readFileSync(join(dataDir, 'pgdata', 'postmaster.pid'), 'utf8').split('\n')[0];
      api.child.kill('SIGKILL');
      await Promise.all(writers);
      expect(acknowledged.length).toBeGreaterThanOrEqual(20);
      // The server outlived its api, holding the folder.
      expect(() => process.kill(Number(orphan), 0)).not.toThrow();

      const restarted = await spawnApi({ EMBEDDED_DB_DIR: dataDir, LOG_LEVEL: 'info' });
      try {
        expect(restarted.output()).toContain('was left running');
        const as = client(restarted.url, await login(restarted.url, 'dispatcher'));
        const found = await Promise.all(acknowledged.map(async (id) => (await as.get(`/api/tickets/${id}`)).status));
        expect(found.filter((status) => status !== 200)).toEqual([]);
      } finally {
        await restarted.stop();
      }
      expect(() => process.kill(Number(orphan), 0)).toThrow();
    });
  });
});

async function meOf(url: string, token: string): Promise<{ id: string; name: string }> {
  return (await client(url, token).get('/api/auth/me')).body as { id: string; name: string };
}
