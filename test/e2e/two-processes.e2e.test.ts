import { Client } from 'pg';
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
    const env = { DATABASE_URL: TEST_DATABASE_URL, REDIS_URL: TEST_REDIS_URL, SEED_DEMO: '1', NODE_ENV: 'test', JWT_SECRET: 'two-process-test-secret-0123456789abcdef', WATCH_SWEEP_SECONDS: '1' };
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

  it("the alarm journal is taken by both processes: each receipt acts once, and a device's restore comes after its alarm", async () => {
    const db = new Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    const run = `journal-${Date.now()}`;
    try {
      // Twelve panels of their own at demo units.
      await db.query(
        `INSERT INTO device (id, estate_id, name, unit_id, key_hash, key_rotated_at, active)
         SELECT $1 || '-' || g, u.estate_id, '日志测试 ' || g, u.id, md5(g::text), now(), true
           FROM generate_series(1, 12) g JOIN LATERAL (SELECT id, estate_id FROM unit ORDER BY code OFFSET g LIMIT 1) u ON true`,
        [run],
      );
      // Each: a burglary, its repeat, its restore; written as the receiver writes them, in that order.
      const receipts: Array<[string, string, object]> = [];
      for (let g = 1; g <= 12; g++) {
        const deviceId = `${run}-${g}`;
        const alarm = (n: number) => ({ alarm: { deviceId, eventId: `${deviceId}:${n}`, kind: 'intrusion', note: 'journal' } });
        receipts.push([deviceId, `${deviceId}:1`, alarm(1)], [deviceId, `${deviceId}:2`, alarm(2)], [deviceId, `${deviceId}:3`, { restore: { eventId: `${deviceId}:3`, code: 'BR' } }]);
      }
      for (const [deviceId, eventId, message] of receipts) {
        await db.query(`INSERT INTO alarm_receipt (device_id, event_id, message, received_at) VALUES ($1, $2, $3, now())`, [deviceId, eventId, JSON.stringify(message)]);
      }
      // Both processes sweep the journal every second.
      const waiting = async () => Number((await db.query(`SELECT count(*) FROM alarm_receipt WHERE device_id LIKE $1`, [`${run}-%`])).rows[0].count);
      const deadline = Date.now() + 30_000;
      while ((await waiting()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await waiting()).toBe(0);

      const deliveries = await db.query(`SELECT event_id FROM alarm_delivery WHERE device_id LIKE $1 ORDER BY event_id`, [`${run}-%`]);
      expect(deliveries.rows).toHaveLength(24);
      const alarms = await db.query<{ ticket_id: string; count: number }>(`SELECT ticket_id, count FROM alarm WHERE device_id LIKE $1`, [`${run}-%`]);
      expect(alarms.rows.map((row) => row.count)).toEqual(Array(12).fill(2));
      for (const { ticket_id } of alarms.rows) {
        const events = await db.query<{ type: string }>(`SELECT type FROM event_log WHERE ticket_id = $1 ORDER BY seq`, [ticket_id]);
        expect(events.rows.map((row) => row.type)).toEqual(['alarm.received', 'alarm.repeated', 'alarm.restored', 'alarm.cleared']);
      }
    } finally {
      await db.query(`UPDATE device SET active = false WHERE id LIKE $1`, [`${run}-%`]);
      await db.end();
    }
  });
});

