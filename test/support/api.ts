import request from 'supertest';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createApp } from '../../apps/api/src/bootstrap';
import { loadConfig } from '../../apps/api/src/config/env';
import { TEST_DATABASE_URL } from './env';

export interface RunningApi {
  app: INestApplication;
  url: string;
  db: DataSource;
  close: () => Promise<void>;
}

/** Boots the real app (same bootstrap as production) on a free port against the real PostgreSQL. */
export async function startApi(env: Record<string, string> = {}): Promise<RunningApi> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: TEST_DATABASE_URL,
    SEED_DEMO: '1',
    LOG_LEVEL: 'warn',
    // A whole suite signs in from one address; the limit itself has its own test.
    LOGIN_ATTEMPTS_PER_MINUTE: '10000',
    LOGIN_FAILURES_PER_ADDRESS: '100000',
    // Tests sweep supervision themselves, at the time they choose.
    WATCH_SWEEP_SECONDS: '0',
    ...env,
  });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, url, db: app.get(DataSource), close: () => app.close() };
}

/**
 * Clean ticket tables for a test file; the seeded estate stays. TRUNCATE is not a row DELETE,
 * so the log's trigger allows it. Seqs go on from where they were, as in production: the
 * publisher's cursor must never be ahead of the log.
 */
export async function resetTickets(db: Pick<DataSource, 'query'> | { query: (sql: string) => Promise<unknown> }): Promise<void> {
  // The app just started may be firing clocks that fell due (tickets an earlier file left):
  // TRUNCATE's locks can then deadlock with the scheduler's; PostgreSQL breaks it, we try again.
  for (let attempt = 1; ; attempt++) {
    try {
      await db.query('TRUNCATE event_log, alarm_delivery, alarm, ticket_document, ticket_clock, ticket');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '40P01' || attempt === 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

/** The tables a ticket's life writes to: what "no row changed" compares. */
export const TICKET_TABLES = ['ticket', 'ticket_clock', 'ticket_document', 'event_log'];

/** Row counts of the given tables (a rejected request must leave them all as they were). */
export async function rowCounts(db: DataSource, tables: readonly string[] = TICKET_TABLES): Promise<Record<string, number>> {
  const [row] = await db.query<Array<Record<string, string>>>(`SELECT ${tables.map((table) => `(SELECT count(*) FROM "${table}") AS "${table}"`).join(', ')}`);
  return Object.fromEntries(tables.map((table) => [table, Number(row[table])]));
}

export const DEMO_PASSWORD = 'demo1234';

/** Signs a demo account in and returns its bearer token. */
export async function login(url: string, username: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await request(url).post('/api/auth/login').send({ username, password });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken as string;
}

/** supertest with the caller's bearer token already set. */
export function client(url: string, token?: string) {
  const signed = (test: request.Test) => (token ? test.set('Authorization', `Bearer ${token}`) : test);
  return {
    get: (path: string) => signed(request(url).get(path)),
    post: (path: string) => signed(request(url).post(path)),
    patch: (path: string) => signed(request(url).patch(path)),
    put: (path: string) => signed(request(url).put(path)),
    delete: (path: string) => signed(request(url).delete(path)),
  };
}
export type Client = ReturnType<typeof client>;

/** A request whose answer is a file (an export): its body read as bytes, whatever the content type. */
export function asFile(test: request.Test): request.Test {
  return test.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });
}
