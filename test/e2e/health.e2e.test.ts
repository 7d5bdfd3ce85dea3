import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { DATABASE_CONNECTION, type DatabaseConnection } from '../../apps/api/src/database/database.module';
import { type RunningApi, startApi } from '../support/api';

describe('health when the database goes away', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dispatch-health-'));
  let api: RunningApi | undefined;
  afterAll(async () => {
    await api?.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 200 while it is up and 503 naming the database once it is down', async () => {
    // An embedded database of its own, so stopping it harms nobody else.
    api = await startApi({ DATABASE_URL: '', EMBEDDED_DB_DIR: dataDir, SEED_DEMO: '0' });
    expect((await request(api.url).get('/api/health')).body).toEqual({ status: 'ok', db: 'up', redis: 'disabled' });

    await api.app.get<DatabaseConnection>(DATABASE_CONNECTION).embedded?.stop();
    const down = await request(api.url).get('/api/health');
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ statusCode: 503, status: 'error', db: 'down', redis: 'disabled' });
  });
});
