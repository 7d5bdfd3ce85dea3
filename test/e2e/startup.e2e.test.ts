import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { client, login } from '../support/api';
import { repairFrom } from '../support/fixtures';
import { runApiToExit, spawnApi } from '../support/process';
import { listen } from '../support/socket';

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

  describe('the embedded default (no DATABASE_URL, no REDIS_URL)', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dispatch-embedded-'));
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

    it('seeds the demo estate, takes tickets, and keeps them in its folder across restarts', async () => {
      const firstRun = await spawnApi({ EMBEDDED_DB_DIR: dataDir, LOG_LEVEL: 'info' });
      let id: string;
      try {
        expect((await request(firstRun.url).get('/api/health')).body).toEqual({ status: 'ok', db: 'up', redis: 'disabled' });
        const token = await login(firstRun.url, 'dispatcher');
        // The same push path as production: elected publisher, LISTEN/NOTIFY, on PGlite.
        const wallboard = await listen(firstRun.url, token);
        const created = await client(firstRun.url, token).post('/api/tickets').send(repairFrom('4-2-301'));
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        id = created.body.id;
        const pushed = await wallboard.waitForEvent((event) => event.ticketId === created.body.id);
        expect(pushed.seq).toBe(created.body.seq);
        wallboard.close();
        expect(firstRun.output()).toContain('demo estate seeded');
      } finally {
        await firstRun.stop();
      }

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
  });
});
