import request from 'supertest';
import { EventLogRooms1763940000000 } from '../../apps/api/src/database/migrations/1763940000000-event-log-rooms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, client, login, type RunningApi, resetTickets, startApi } from '../support/api';
import { repairFrom } from '../support/fixtures';
import { stepAs, createAs } from '../support/loop';
import { type Listener, listen, sleep } from '../support/socket';

/**
 * One scope rule for pushes and the log: for each listener, what its socket received is
 * exactly what `GET /api/events` gives that same person for the same span, through a
 * ticket moved to another department, a fire routed to two departments and a task handed
 * from one person to another.
 */
const LISTENERS = ['technician', 'technician2', 'guard', 'cleaner', 'eng_supervisor', 'supervisor', 'cs_supervisor', 'dispatcher', 'manager'] as const;
type Username = (typeof LISTENERS)[number];

describe('pushes and the event log answer alike, per scope case', () => {
  let api: RunningApi;
  let desk: Client;
  const tokens = {} as Record<Username, string>;
  const sockets = {} as Record<Username, Listener>;
  const ids = {} as Record<string, string>;

  beforeAll(async () => {
    api = await startApi();
    await resetTickets(api.db);
    desk = client(api.url, await login(api.url, 'dispatcher'));
    for (const username of LISTENERS) {
      tokens[username] = await login(api.url, username);
      sockets[username] = await listen(api.url, tokens[username]);
    }
    for (const row of await api.db.query<Array<{ id: string; username: string }>>(`SELECT id, username FROM staff`)) ids[row.username] = row.id;
  });
  afterAll(async () => {
    for (const socket of Object.values(sockets)) socket.close();
    await api?.close();
  });

  it('each socket got exactly its own log: no event it may not read, none it may read missing', async () => {

    // Moved department: an engineering repair, taken by the technician, moved to security and a guard.
    let moved = await createAs(desk, repairFrom('5-1-402', { category: 'door_lock', description: '单元门禁坏了' }));
    moved = await stepAs(desk, moved, 'dispatch', { assigneeId: ids.technician });
    moved = await stepAs(client(api.url, tokens.technician), moved, 'accept');
    moved = await stepAs(desk, moved, 'reassign', { department: 'security', assigneeId: ids.guard, reason: '门禁归安保' });
    await stepAs(client(api.url, tokens.guard), moved, 'accept');

    // Two departments: a fire reported by the smoke detector, acknowledged by the technician.
    await api.db.query(`UPDATE alarm SET last_seen_at = last_seen_at - interval '1 day'`);
    const fire = await request(api.url).post('/api/alarms').set('x-device-key', 'demo-device-key-smoke').send({ deviceId: 'smoke-lobby-4-2', eventId: `scope-${Date.now()}`, kind: 'smoke_fire' });
    expect(fire.status).toBe(201);
    await stepAs(client(api.url, tokens.technician), fire.body, 'acknowledge');

    // Another person: a repair given to the technician, handed to technician2 by the desk.
    let handed = await createAs(desk, repairFrom('6-2-501', { category: 'lights' }));
    handed = await stepAs(desk, handed, 'dispatch', { assigneeId: ids.technician });
    handed = await stepAs(desk, handed, 'reassign', { assigneeId: ids.technician2, reason: '张伟在忙' });
    await stepAs(client(api.url, tokens.technician2), handed, 'accept');

    // A cleaning job nobody else should hear of.
    const mess = await createAs(desk, repairFrom('2-2-602', { category: 'hygiene', description: '楼道有垃圾' }));
    await stepAs(desk, mess, 'dispatch');

    const logged = {} as Record<Username, number[]>;
    for (const username of LISTENERS) {
      const page = await client(api.url, tokens[username]).get(`/api/events?after=${sockets[username].hello.lastSeq}&limit=1000`);
      expect(page.status).toBe(200);
      logged[username] = (page.body.items as Array<{ seq: number }>).map((event) => event.seq);
    }
    // The pushes are sent from the log after commit: wait (bounded) until each socket has its log's last.
    const deadline = Date.now() + 10_000;
    const pushed = () => Object.fromEntries(LISTENERS.map((username) => [username, sockets[username].events.map((event) => event.seq)]));
    while (LISTENERS.some((username) => (pushed()[username].at(-1) ?? 0) < (logged[username].at(-1) ?? 0)) && Date.now() < deadline) await sleep(25);
    await sleep(300); // anything extra that was going to arrive, arrives
    expect(pushed()).toEqual(logged);

    // And the cases are really in it: who heard of what.
    const heard = (username: Username, ticketId: string) => sockets[username].events.some((event) => event.ticketId === ticketId);
    expect(heard('guard', moved.id)).toBe(true);
    expect(heard('supervisor', moved.id)).toBe(true);
    expect(heard('technician', fire.body.id)).toBe(true);
    expect(heard('supervisor', fire.body.id) && heard('eng_supervisor', fire.body.id)).toBe(true);
    expect(heard('cleaner', moved.id) || heard('cleaner', fire.body.id) || heard('cleaner', handed.id)).toBe(false);
    expect(heard('guard', mess.id) || heard('technician', mess.id) || heard('guard', handed.id)).toBe(false);
    expect(heard('cleaner', mess.id)).toBe(true);
  });
});

describe('the rooms column of a log written before it existed', () => {
  it('is filled by the migration with what roomsForEvent names for each row, and the log stays append-only', async () => {
    const api = await startApi();
    try {
      const before = await api.db.query<Array<{ seq: string; rooms: string[] }>>('SELECT seq, rooms FROM event_log ORDER BY seq');
      expect(before.length).toBeGreaterThan(10);
      const runner = api.db.createQueryRunner();
      await runner.startTransaction();
      try {
        const migration = new EventLogRooms1763940000000();
        await migration.down(runner);
        await migration.up(runner);
        const after = await runner.query('SELECT seq, rooms FROM event_log ORDER BY seq');
        expect(after).toEqual(before);
        await expect(runner.query(`UPDATE event_log SET rooms = '{}' WHERE seq = $1`, [before[0].seq])).rejects.toThrow(/append-only|not allowed|refuse/i);
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    } finally {
      await api.close();
    }
  });
});
