import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, client, login, type RunningApi, resetTickets, startApi } from '../support/api';
import { TEST_DATABASE_URL } from '../support/env';
import { spawnApi } from '../support/process';

const PHONE = '13912345678';
const NAME = '欧阳先生';

describe('reporter data by role', () => {
  let api: RunningApi;
  let desk: Client;
  let guard: Client;
  let technician: Client;
  let ticketId: string;
  let version: number;

  beforeAll(async () => {
    api = await startApi();
    await resetTickets(api.db);
    desk = client(api.url, await login(api.url, 'dispatcher'));
    guard = client(api.url, await login(api.url, 'guard'));
    technician = client(api.url, await login(api.url, 'technician'));
    const created = await desk
      .post('/api/tickets')
      .send({ kind: 'help', channel: 'phone', category: 'security', description: '门口有可疑人员', location: { unit: '2-1-301' }, reporter: { name: NAME, phone: PHONE } });
    expect(created.status).toBe(201);
    ticketId = created.body.id;
    version = created.body.version;
  });
  afterAll(async () => {
    await api?.close();
  });

  it('the desk sees it masked, reveals it in full, and the log records who revealed which fields, not the values', async () => {
    expect((await desk.get(`/api/tickets/${ticketId}`)).body.reporter).toEqual({ name: '欧***', phone: '139****5678', masked: true });
    const revealed = await desk.post(`/api/tickets/${ticketId}/reveal`);
    expect(revealed.body).toEqual({ name: NAME, phone: PHONE, source: 'reporter' });
    const [logged] = await api.db.query<Array<{ data: unknown; actor: string }>>(`SELECT data, actor FROM event_log WHERE type = 'ticket.pii_revealed' AND ticket_id = $1`, [ticketId]);
    expect(logged.data).toMatchObject({ actor: { name: '王敏', role: 'dispatcher' }, fields: ['name', 'phone'] });
    expect(JSON.stringify(logged.data)).not.toContain(PHONE);
    expect((await guard.post(`/api/tickets/${ticketId}/reveal`)).status).toBe(403);
  });

  it('the assigned guard gets the phone while the ticket is open; not before, not after; other departments get nothing', async () => {
    expect((await guard.get(`/api/tickets/${ticketId}`)).body.reporter.phone).toBe('139****5678');
    const [guardRow] = await api.db.query<Array<{ id: string }>>(`SELECT id FROM staff WHERE username = 'guard'`);
    const dispatched = await desk.post(`/api/tickets/${ticketId}/actions`).send({ action: 'dispatch', version, assigneeId: guardRow.id });
    expect((await guard.get(`/api/tickets/${ticketId}`)).body.reporter).toEqual({ name: '欧***', phone: PHONE, masked: true });
    expect((await technician.get(`/api/tickets/${ticketId}`)).status).toBe(404);
    // 拨打业主: the assigned guard's call is a logged reveal; the other guard of the department gets 403.
    expect((await guard.post(`/api/tickets/${ticketId}/reveal`)).body).toEqual({ name: NAME, phone: PHONE, source: 'reporter' });
    const reveals = await api.db.query<Array<{ data: { actor: { name: string } } }>>(`SELECT data FROM event_log WHERE type = 'ticket.pii_revealed' AND ticket_id = $1 ORDER BY seq`, [ticketId]);
    expect(reveals.map((row) => row.data.actor.name)).toEqual(['王敏', '李强']);
    const guard2 = client(api.url, await login(api.url, 'guard2'));
    expect((await guard2.post(`/api/tickets/${ticketId}/reveal`)).status).toBe(403);
    await desk.post(`/api/tickets/${ticketId}/actions`).send({ action: 'cancel', version: dispatched.body.version, reason: '业主已自行处理' });
    expect((await guard.get(`/api/tickets/${ticketId}`)).body.reporter.phone).toBe('139****5678');
    expect((await guard.post(`/api/tickets/${ticketId}/reveal`)).status).toBe(403);
  });

  it('an alarm in a unit has no reporter: the call goes to the owner on file, logged', async () => {
    await api.db.query(`UPDATE alarm SET last_seen_at = last_seen_at - interval '1 day'`);
    const alarm = await request(api.url).post('/api/alarms').set('x-device-key', 'demo-device-key').send({ deviceId: 'ir-3-201', eventId: `pii-${Date.now()}`, kind: 'intrusion' });
    expect(alarm.status).toBe(201);
    const [owner] = await api.db.query<Array<{ owner_name: string; owner_phone: string }>>(`SELECT owner_name, owner_phone FROM unit WHERE code = '3-1-201'`);
    const revealed = await desk.post(`/api/tickets/${alarm.body.id}/reveal`);
    expect(revealed.body).toEqual({ name: owner.owner_name, phone: owner.owner_phone, source: 'owner' });
    const [logged] = await api.db.query<Array<{ data: unknown }>>(`SELECT data FROM event_log WHERE type = 'ticket.pii_revealed' AND ticket_id = $1`, [alarm.body.id]);
    expect(JSON.stringify(logged.data)).not.toContain(owner.owner_phone);
  });

  it('keeps reporter data out of ticket views, lists and pushed events', async () => {
    const list = await desk.get('/api/tickets?limit=500');
    const events = await desk.get('/api/events?after=0&limit=1000');
    for (const body of [list.body, events.body]) {
      expect(JSON.stringify(body)).not.toContain(PHONE);
      expect(JSON.stringify(body)).not.toContain(NAME);
    }
  });
});

describe('no personal data in log lines', () => {
  it('a debug-level run that handles owners\' and reporters\' numbers never writes one', async () => {
    const api = await spawnApi({ DATABASE_URL: TEST_DATABASE_URL, SEED_DEMO: '1', NODE_ENV: 'test', LOG_LEVEL: 'debug', JWT_SECRET: 'pii-log-test-secret-0123456789abcdef-01' });
    try {
      const token = await login(api.url, 'dispatcher');
      const desk = client(api.url, token);
      const reporters = [
        { name: '司马先生', phone: '13655557777' },
        { name: '诸葛女士', phone: '+86 186-2222-3333' },
      ];
      for (const [i, reporter] of reporters.entries()) {
        const created = await desk
          .post('/api/tickets')
          .send({ kind: 'repair', channel: 'phone', category: 'lights', description: '灯不亮', location: { unit: `5-2-${i + 1}01` }, reporter });
        expect(created.status).toBe(201);
        await desk.get(`/api/tickets/${created.body.id}`);
        await desk.post(`/api/tickets/${created.body.id}/reveal`);
      }
      // Rejected input that carries a phone number is not echoed into the logs either.
      await desk.post('/api/tickets').send({ kind: 'repair', reporter: { name: '司马先生', phone: 'call 13655557777 now' } });
      await request(api.url).post('/api/auth/login').send({ username: 'dispatcher', password: 'wrong-13655557777' });
      await desk.get('/api/tickets?status=13655557777');
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      await api.stop();
    }
    const output = api.output();
    expect(output.length).toBeGreaterThan(1000); // it did log, at debug level
    const { rows } = await import('pg').then(async ({ Client }) => {
      const db = new Client({ connectionString: TEST_DATABASE_URL });
      await db.connect();
      const result = await db.query<{ owner_phone: string; owner_name: string }>('SELECT owner_phone, owner_name FROM unit');
      await db.end();
      return result;
    });
    const secrets = ['13655557777', '186-2222-3333', '18622223333', '司马先生', '诸葛女士', ...rows.flatMap((row) => [row.owner_phone, row.owner_name])];
    const leaked = secrets.filter((secret) => output.includes(secret));
    expect(leaked).toEqual([]);
  });
});
