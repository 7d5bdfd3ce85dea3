import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { DATABASE_CONNECTION, type DatabaseConnection } from '../../apps/api/src/database/database.module';
import { client, login, type RunningApi, startApi } from '../support/api';
import { repairFrom } from '../support/fixtures';

/** Each case on an embedded database of its own, so stopping or freezing it harms nobody else. */
describe('faults of the database answered as faults', () => {
  const folders: string[] = [];
  const apis: RunningApi[] = [];
  afterAll(async () => {
    for (const api of apis) await api.close().catch(() => undefined);
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });
  async function ownDatabase(env: Record<string, string> = {}): Promise<{ api: RunningApi; folder: string }> {
    const folder = mkdtempSync(join(tmpdir(), 'dispatch-faults-'));
    folders.push(folder);
    const api = await startApi({ DATABASE_URL: '', EMBEDDED_DB_DIR: folder, SEED_DEMO: '1', ...env });
    apis.push(api);
    return { api, folder };
  }

  it('stopped: health 503 naming the database; requests 503 with Retry-After at once, never "signed out"', async () => {
    const { api } = await ownDatabase();
    expect((await request(api.url).get('/api/health')).body).toEqual({ status: 'ok', db: 'up', redis: 'disabled' });
    const desk = client(api.url, await login(api.url, 'dispatcher'));

    await api.app.get<DatabaseConnection>(DATABASE_CONNECTION).embedded?.stop();
    const down = await request(api.url).get('/api/health');
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ statusCode: 503, status: 'error', db: 'down', redis: 'disabled' });

    for (const attempt of [() => desk.post('/api/tickets').send(repairFrom('4-2-301')), () => desk.get('/api/tickets')]) {
      const startedAt = Date.now();
      const res = await attempt();
      expect(res.status, JSON.stringify(res.body)).toBe(503);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(res.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
      // Refused connections fail fast: bounded well below any client's patience.
      expect(Date.now() - startedAt).toBeLessThan(4_000);
    }
  });

  it('frozen: requests end with 503 within the statement bound, and nothing they tried is committed after the thaw', async () => {
    const { api, folder } = await ownDatabase({ DB_STATEMENT_TIMEOUT_MS: '1000' });
    const token = await login(api.url, 'dispatcher');
    const desk = client(api.url, token);
    const before = await desk.get('/api/tickets?limit=200');
    const postmaster = Number(readFileSync(join(folder, 'pgdata', 'postmaster.pid'), 'utf8').split('\n')[0]);
    // The whole server: the postmaster and every backend (each in a session of its own).
    const server = [postmaster, ...execFileSync('pgrep', ['-P', String(postmaster)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number)];
    for (const pid of server) process.kill(pid, 'SIGSTOP');
    let answers: request.Response[];
    try {
      const startedAt = Date.now();
      answers = await Promise.all(Array.from({ length: 4 }, (_, i) => desk.post('/api/tickets').send(repairFrom(`4-2-30${i + 1}`, { description: `冻结 ${i}` }))));
      // query_timeout = statement bound + 2 s; the pool wait is 5 s: all well under a hang.
      expect(Date.now() - startedAt).toBeLessThan(10_000);
    } finally {
      for (const pid of server) process.kill(pid, 'SIGCONT');
    }
    expect(answers.map((res) => res.status)).toEqual([503, 503, 503, 503]);
    // After the thaw the api serves again, and none of the refused creations exists.
    let after: request.Response | undefined;
    for (let i = 0; i < 50; i++) {
      after = await desk.get('/api/tickets?limit=200');
      if (after.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(after?.status).toBe(200);
    const descriptions = (after?.body.items as Array<{ description: string }>).map((ticket) => ticket.description);
    expect(descriptions.filter((text) => text.startsWith('冻结'))).toEqual([]);
    expect(after?.body.items.length).toBe(before.body.items.length);
  });
});
