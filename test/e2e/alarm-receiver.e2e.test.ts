import type { AnyDomainEvent } from '@dispatch/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceSupervision } from '../../apps/api/src/alarms/device-supervision';
import { AlarmReceipts } from '../../apps/api/src/alarm-receiver/alarm-receipts';
import { AlarmReceiver } from '../../apps/api/src/alarm-receiver/alarm-receiver.service';
import { client, login, type RunningApi, resetTickets, startApi } from '../support/api';
import { answerOf, openAnswer, panelFrame, sendTcp, sendUdp } from '../support/dc09-panel';
import { listen, type Listener } from '../support/socket';

/** Alarm panels over SIA DC-09: the demo panel, account 1234 at 3-1-201, zone 015 its infrared detector. */
describe('the DC-09 alarm receiver', () => {
  let api: RunningApi;
  let tcp: number;
  let udp: number;
  let guard: Listener;
  let sequence = 1;
  const next = () => sequence++;

  beforeAll(async () => {
    api = await startApi({ ALARM_RECEIVER_PORT: '0', ALARM_RECEIVER_HOST: '127.0.0.1' });
    await resetTickets(api.db);
    const receiver = api.app.get(AlarmReceiver);
    tcp = receiver.tcpPort ?? 0;
    udp = receiver.udpPort ?? 0;
    guard = await listen(api.url, await login(api.url, 'guard'));
  });
  afterAll(async () => {
    guard?.close();
    await api?.close();
  });

  /** The alarms of a device once the receiver's journal has been taken (an ACK means kept, not yet opened). */
  const alarmsOf = async (deviceId: string) => {
    await api.app.get(AlarmReceipts).settled();
    return api.db.query<Array<{ ticket_id: string; alarm_kind: string; count: number }>>('SELECT ticket_id, alarm_kind, count FROM alarm WHERE device_id = $1 ORDER BY first_seen_at', [deviceId]);
  };

  it('a burglary from account 1234 zone 015 is acknowledged and reaches the guard\'s tablet as an intrusion at 3-1-201 within 2 s', async () => {
    const seq = next();
    const [answer] = await sendTcp(tcp, [panelFrame({ id: 'ADM-CID', sequence: seq, account: '1234', data: '#1234|1130 01 015' })]);
    expect(answerOf(answer)).toEqual({ kind: 'ACK', sequence: String(seq).padStart(4, '0') });
    expect(answer).toMatch(/"ACK"\d{4}R0L0#1234\[\]_\d{2}:\d{2}:\d{2},\d{2}-\d{2}-\d{4}\r$/);
    const pushed = await guard.waitForEvent((event) => event.type === 'alarm.received', 2_000);
    const ticket = (pushed as Extract<AnyDomainEvent, { type: 'alarm.received' }>).data.ticket;
    expect(ticket.location.label).toBe('3-1-201');
    expect(ticket.alarm).toMatchObject({ alarmKind: 'intrusion', deviceId: 'ir-3-201' });
    expect(ticket.channel).toBe('device');
  });

  it('the same message twice (a panel that missed the ACK) is one alarm', async () => {
    const before = (await alarmsOf('panel-1234')).length;
    const frame = panelFrame({ id: 'ADM-CID', sequence: next(), account: '1234', data: '#1234|1110 01 003' });
    const answers = await sendTcp(tcp, [frame, frame]);
    expect(answers.map((answer) => answerOf(answer).kind)).toEqual(['ACK', 'ACK']);
    // Zone 003 has no device of its own: the panel reports it at its own place.
    const fires = await alarmsOf('panel-1234');
    expect(fires.length).toBe(before + 1);
    expect(fires.at(-1)?.alarm_kind).toBe('smoke_fire');
    const [deliveries] = await api.db.query<Array<{ count: string }>>(`SELECT count(*) FROM alarm_delivery WHERE event_id LIKE 'dc09:1234:%:1110:003'`);
    expect(Number(deliveries.count)).toBe(1);
  });

  /** A receipt written to the journal as the receiver writes it, `waiting` for its retry when given. */
  const receipt = async (deviceId: string, message: object, options: { receivedAt?: Date; attempts?: number; retryIn?: string } = {}) => {
    const eventId = `test:${deviceId}:${next()}`;
    const [row] = await api.db.query<Array<{ id: string }>>(
      `INSERT INTO alarm_receipt (event_id, device_id, message, received_at, attempts, next_attempt_at)
       VALUES ($1, $2, $3, $4, $5, now() + $6::interval) RETURNING id`,
      [eventId, deviceId, JSON.stringify(message), options.receivedAt ?? new Date(), options.attempts ?? 0, options.retryIn ?? '0 s'],
    );
    return { id: row.id, eventId };
  };
  const burglary = (deviceId: string) => ({ alarm: { deviceId, eventId: `test-alarm:${next()}`, kind: 'intrusion', note: 'test' } });
  const restoreOf = { restore: { eventId: 'test-restore', code: 'BR' } };

  it('an ACK means kept: an alarm and its restore sent back to back are both taken, the restore after its alarm', async () => {
    await api.db.query(`UPDATE alarm SET last_seen_at = last_seen_at - interval '1 day'`);
    const before = (await alarmsOf('ir-3-201')).length;
    const answers = await sendTcp(tcp, [
      panelFrame({ id: 'ADM-CID', sequence: next(), account: '1234', data: '#1234|1130 01 015' }),
      panelFrame({ id: 'ADM-CID', sequence: next(), account: '1234', data: '#1234|3130 01 015' }),
    ]);
    expect(answers.map((answer) => answerOf(answer).kind)).toEqual(['ACK', 'ACK']);
    const added = (await alarmsOf('ir-3-201')).slice(before);
    expect(added).toHaveLength(1);
    const events = await api.db.query<Array<{ type: string }>>('SELECT type FROM event_log WHERE ticket_id = $1 ORDER BY seq', [added[0].ticket_id]);
    expect(events.map((event) => event.type)).toEqual(['alarm.received', 'alarm.restored', 'alarm.cleared']);
    expect(await api.db.query('SELECT id FROM alarm_receipt')).toEqual([]);
  });

  it("a device's later message waits for its earlier one; one that keeps failing stops holding it back", async () => {
    await api.db.query(`UPDATE alarm SET last_seen_at = last_seen_at - interval '1 day'`);
    const receipts = api.app.get(AlarmReceipts);
    const before = (await alarmsOf('ir-3-201')).length;
    // The burglary failed once and waits for its retry: the restore behind it must not go first.
    const alarm = await receipt('ir-3-201', burglary('ir-3-201'), { attempts: 1, retryIn: '1 hour' });
    const restore = await receipt('ir-3-201', restoreOf);
    await receipts.settled();
    expect((await api.db.query<Array<{ id: string }>>('SELECT id FROM alarm_receipt ORDER BY id')).map((row) => row.id)).toEqual([alarm.id, restore.id]);
    // Its retry falls due: the burglary, then its restore, which ends it.
    await api.db.query('UPDATE alarm_receipt SET next_attempt_at = now() WHERE id = $1', [alarm.id]);
    await receipts.settled();
    const added = (await alarmsOf('ir-3-201')).slice(before);
    expect(added).toHaveLength(1);
    const events = await api.db.query<Array<{ type: string }>>('SELECT type FROM event_log WHERE ticket_id = $1 ORDER BY seq', [added[0].ticket_id]);
    expect(events.map((event) => event.type)).toEqual(['alarm.received', 'alarm.restored', 'alarm.cleared']);

    // Failed three times: still kept and tried, but the device's next message goes on.
    const stuck = await receipt('ir-3-201', burglary('ir-3-201'), { attempts: 3, retryIn: '1 hour' });
    await receipt('ir-3-201', burglary('ir-3-201'));
    await receipts.settled();
    expect((await alarmsOf('ir-3-201')).length).toBe(before + 2);
    expect((await api.db.query<Array<{ id: string }>>('SELECT id FROM alarm_receipt')).map((row) => row.id)).toEqual([stuck.id]);
    await api.db.query('DELETE FROM alarm_receipt');
  });

  it('a receipt the alarm path refuses is kept with its error and tried again, then opens its alarm at the time it was received', async () => {
    const receipts = api.app.get(AlarmReceipts);
    const receivedAt = new Date(Date.now() - 90_000);
    // A zone mapped to a device not (yet) registered.
    await api.db.query(`DELETE FROM device WHERE id = 'late-device'`);
    const kept = await receipt('late-device', burglary('late-device'), { receivedAt });
    await receipts.settled();
    const [failed] = await api.db.query<Array<{ attempts: number; last_error: string; waits: boolean }>>('SELECT attempts, last_error, next_attempt_at > now() AS waits FROM alarm_receipt WHERE id = $1', [kept.id]);
    // Tried again after 2 s: on a machine busy enough, settled() may see that second try fail too.
    expect(failed.attempts).toBeGreaterThanOrEqual(1);
    expect(failed.waits).toBe(true);
    expect(failed.last_error).toMatch(/Unknown device/);
    expect(await alarmsOf('late-device')).toEqual([]);

    await api.db.query(
      `INSERT INTO device (id, estate_id, name, unit_id, key_hash, key_rotated_at, active)
       SELECT 'late-device', estate_id, '补登设备', unit_id, key_hash, now(), true FROM device WHERE id = 'ir-3-201'`,
    );
    await api.db.query('UPDATE alarm_receipt SET next_attempt_at = now() WHERE id = $1', [kept.id]);
    await receipts.settled();
    const [opened] = await alarmsOf('late-device');
    expect(opened.alarm_kind).toBe('intrusion');
    const [ticket] = await api.db.query<Array<{ received_at: Date }>>('SELECT received_at FROM ticket WHERE id = $1', [opened.ticket_id]);
    expect(new Date(ticket.received_at).getTime()).toBe(receivedAt.getTime());
    expect(await api.db.query('SELECT id FROM alarm_receipt')).toEqual([]);
    await api.db.query(`UPDATE device SET active = false WHERE id = 'late-device'`);
  });

  it('answers NAK to a bad CRC and to a stale timestamp, DUH to what it cannot read, and records nothing', async () => {
    const before = await api.db.query<Array<{ count: string }>>('SELECT count(*) FROM alarm');
    const answers = await sendTcp(tcp, [
      panelFrame({ id: 'ADM-CID', sequence: next(), account: '1234', data: '#1234|1130 01 015', badCrc: true }),
      panelFrame({ id: 'ADM-CID', sequence: next(), account: '1234', data: '#1234|1130 01 015', at: new Date(Date.now() - 5 * 60_000) }),
      panelFrame({ id: 'ADM-CID', sequence: next(), account: '1234', data: 'garbage' }),
      panelFrame({ id: 'ADM-CID', sequence: next(), account: '9999', data: '#9999|1130 01 015' }),
      panelFrame({ id: '*ADM-CID', sequence: next(), account: '1234', data: '0123456789ABCDEF' }),
    ]);
    expect(answers.map((answer) => answerOf(answer).kind)).toEqual(['NAK', 'NAK', 'DUH', 'DUH', 'DUH']);
    // NAK carries the receiver's time for the panel to set its clock by.
    expect(answers[1]).toMatch(/"NAK"0000R0L0A0\[\]_\d{2}:\d{2}:\d{2},\d{2}-\d{2}-\d{4}\r$/);
    expect(await api.db.query('SELECT count(*) FROM alarm')).toEqual(before);
    expect(await api.db.query('SELECT event_id FROM alarm_receipt')).toEqual([]);
  });

  it('a link test (NULL) is acknowledged and marks the panel seen', async () => {
    await api.db.query(`UPDATE device SET last_seen_at = NULL WHERE id = 'panel-1234'`);
    const [answer] = await sendTcp(tcp, [panelFrame({ id: 'NULL', sequence: next(), account: '1234', data: '' })]);
    expect(answerOf(answer).kind).toBe('ACK');
    const [row] = await api.db.query<Array<{ last_seen_at: Date | null }>>(`SELECT last_seen_at FROM device WHERE id = 'panel-1234'`);
    expect(row.last_seen_at).not.toBeNull();
  });

  it('SIA DCS over UDP: a burglary, then its restore before anyone picked it up completes it as restored', async () => {
    await api.db.query(`UPDATE alarm SET last_seen_at = last_seen_at - interval '1 day'`);
    const before = (await alarmsOf('ir-3-201')).length;
    const answer = await sendUdp(udp, panelFrame({ id: 'SIA-DCS', sequence: next(), account: '1234', data: '#1234|NBA015' }));
    expect(answerOf(answer).kind).toBe('ACK');
    const after = await alarmsOf('ir-3-201');
    expect(after.length).toBe(before + 1);
    const restored = await sendUdp(udp, panelFrame({ id: 'SIA-DCS', sequence: next(), account: '1234', data: '#1234|NBR015' }));
    expect(answerOf(restored).kind).toBe('ACK');
    await api.app.get(AlarmReceipts).settled();
    const events = await api.db.query<Array<{ type: string; data: { code: string } }>>(`SELECT type, data FROM event_log WHERE ticket_id = $1 ORDER BY seq`, [after.at(-1)?.ticket_id]);
    expect(events.map((event) => event.type)).toContain('alarm.restored');
    expect(events.find((event) => event.type === 'alarm.restored')?.data.code).toBe('BR');
    // An intrusion's procedure lets a restore end it while nobody has acknowledged it: logged as the system's clear.
    const cleared = events.find((event) => event.type === 'alarm.cleared') as unknown as { data: { automatic: boolean; actor: unknown; ticket: { status: string; alarm: { outcome: string; restoredAt: string } } } };
    expect(cleared.data).toMatchObject({ automatic: true, actor: null, ticket: { status: 'done', alarm: { outcome: 'restored' } } });
    expect(cleared.data.ticket.alarm.restoredAt).not.toBeNull();
  });

  it('a restore after acknowledgement is shown on the alarm, which stays open for its procedure', async () => {
    await api.db.query(`UPDATE alarm SET last_seen_at = last_seen_at - interval '1 day'`);
    await sendTcp(tcp, [panelFrame({ id: 'ADM-CID', sequence: next(), account: '1234', data: '#1234|1130 01 015' })]);
    const [row] = (await alarmsOf('ir-3-201')).slice(-1);
    const desk = client(api.url, await login(api.url, 'dispatcher'));
    const alarm = (await desk.get(`/api/tickets/${row.ticket_id}`)).body.ticket;
    const acknowledged = await desk.post(`/api/tickets/${alarm.id}/actions`).send({ action: 'acknowledge', version: alarm.version });
    expect(acknowledged.status).toBe(200);
    const [answer] = await sendTcp(tcp, [panelFrame({ id: 'ADM-CID', sequence: next(), account: '1234', data: '#1234|3130 01 015' })]);
    expect(answerOf(answer).kind).toBe('ACK');
    await api.app.get(AlarmReceipts).settled();
    const after = (await desk.get(`/api/tickets/${alarm.id}`)).body.ticket;
    expect(after.status).toBe('received');
    expect(after.alarm.outcome).toBeNull();
    expect(Date.parse(after.alarm.restoredAt)).toBeGreaterThan(Date.parse(after.alarm.acknowledgedAt) - 1);
  });

  it('a storm is one kind repeating: a fire after a burglary on the same panel is an alarm of its own', async () => {
    await api.db.query(`UPDATE alarm SET last_seen_at = last_seen_at - interval '1 day'`);
    const before = await alarmsOf('panel-1234');
    const answers = await sendTcp(tcp, [
      panelFrame({ id: 'ADM-CID', sequence: next(), account: '1234', data: '#1234|1130 01 099' }),
      panelFrame({ id: 'ADM-CID', sequence: next(), account: '1234', data: '#1234|1130 01 099' }),
      panelFrame({ id: 'ADM-CID', sequence: next(), account: '1234', data: '#1234|1110 01 099' }),
    ]);
    expect(answers.map((answer) => answerOf(answer).kind)).toEqual(['ACK', 'ACK', 'ACK']);
    const added = (await alarmsOf('panel-1234')).slice(before.length);
    expect(added.map((alarm) => alarm.alarm_kind)).toEqual(['intrusion', 'smoke_fire']);
  });

  it('an encrypted panel (AES-128): its alarm is taken and its ACK sealed; plain or wrongly keyed messages are not', async () => {
    const key = Buffer.from('00112233445566778899AABBCCDDEEFF', 'hex');
    await api.db.query(`INSERT INTO alarm_account (account, device_id, encryption_key) VALUES ('A5A5', 'panel-1234', $1) ON CONFLICT (account) DO UPDATE SET encryption_key = $1`, [key.toString('hex')]);
    await api.db.query(`UPDATE alarm SET last_seen_at = last_seen_at - interval '1 day'`);
    const before = (await alarmsOf('panel-1234')).length;
    const seq = next();
    const [sealed, plain, wrongKey, stale] = await sendTcp(tcp, [
      panelFrame({ id: 'ADM-CID', sequence: seq, account: 'A5A5', data: '#A5A5|1120 01 004', key }),
      panelFrame({ id: 'ADM-CID', sequence: next(), account: 'A5A5', data: '#A5A5|1120 01 004' }),
      panelFrame({ id: 'ADM-CID', sequence: next(), account: 'A5A5', data: '#A5A5|1120 01 004', key: Buffer.alloc(16, 7) }),
      panelFrame({ id: 'ADM-CID', sequence: next(), account: 'A5A5', data: '#A5A5|1120 01 004', key, at: new Date(Date.now() - 5 * 60_000) }),
    ]);
    expect(sealed).toMatch(new RegExp(`"\\*ACK"${String(seq).padStart(4, '0')}R0L0#A5A5\\[[0-9A-F]+\\r$`));
    expect(openAnswer(sealed, key)).toMatch(/^\]_\d{2}:\d{2}:\d{2},\d{2}-\d{2}-\d{4}$/);
    expect([plain, wrongKey, stale].map((answer) => answerOf(answer).kind)).toEqual(['DUH', 'DUH', 'NAK']);
    const panics = await alarmsOf('panel-1234');
    expect(panics.length).toBe(before + 1);
    expect(panics.at(-1)?.alarm_kind).toBe('panic');
  });

  it('supervision: a panel that misses its link test raises one fault, which its next message ends', async () => {
    const supervision = api.app.get(DeviceSupervision);
    await api.db.query(`UPDATE alarm SET last_seen_at = last_seen_at - interval '1 day'`);
    // Promised a test every 5 minutes (the time is the test's, not the wall clock's).
    const now = new Date();
    await api.db.query(`UPDATE device SET test_interval_seconds = NULL WHERE id <> 'panel-1234'`);
    // Heard 7 minutes ago: one test late is within the grace (1.5 intervals), left alone.
    await api.db.query(`UPDATE device SET test_interval_seconds = 300, offline_since = NULL, last_seen_at = $1 WHERE id = 'panel-1234'`, [new Date(now.getTime() - 7 * 60_000)]);
    expect(await supervision.supervise(now)).toEqual([]);
    // Heard 20 minutes ago: silent.
    await api.db.query(`UPDATE device SET last_seen_at = $1 WHERE id = 'panel-1234'`, [new Date(now.getTime() - 20 * 60_000)]);
    const faultsBefore = (await alarmsOf('panel-1234')).filter((alarm) => alarm.alarm_kind === 'fault').length;
    // Two processes sweeping at once raise it once.
    const [one, two] = await Promise.all([supervision.supervise(now), supervision.supervise(now)]);
    expect([...one, ...two]).toEqual(['panel-1234']);
    // A second sweep (the next round) raises nothing more.
    expect(await supervision.supervise(new Date(now.getTime() + 30_000))).toEqual([]);
    const faults = (await alarmsOf('panel-1234')).filter((alarm) => alarm.alarm_kind === 'fault');
    expect(faults.length).toBe(faultsBefore + 1);
    const fault = faults.at(-1);
    const [ticket] = await api.db.query<Array<{ department: string; description: string }>>('SELECT department, description FROM ticket WHERE id = $1', [fault?.ticket_id]);
    expect(ticket).toMatchObject({ department: 'engineering' });
    expect(ticket.description).toContain('1234');


    const [answer] = await sendTcp(tcp, [panelFrame({ id: 'NULL', sequence: next(), account: '1234', data: '' })]);
    expect(answerOf(answer).kind).toBe('ACK');
    const [panel] = await api.db.query<Array<{ offline_since: Date | null }>>(`SELECT offline_since FROM device WHERE id = 'panel-1234'`);
    expect(panel.offline_since).toBeNull();
    const events = await api.db.query<Array<{ type: string; data: { code?: string } }>>('SELECT type, data FROM event_log WHERE ticket_id = $1 ORDER BY seq', [fault?.ticket_id]);
    expect(events.find((event) => event.type === 'alarm.restored')?.data.code).toBe('ONLINE');
    // Nobody had picked the fault up: the panel's return completes it.
    expect(events.map((event) => event.type)).toContain('alarm.cleared');
    const device = await api.db.query<Array<{ type: string }>>(`SELECT type FROM event_log WHERE type LIKE 'device.%' AND data->'device'->>'id' = 'panel-1234' ORDER BY seq`);
    expect(device.map((event) => event.type).slice(-2)).toEqual(['device.offline', 'device.online']);
  });

  it("an admin's own meaning for a code: a trouble code opens an intrusion of severity 3, its restore restores; another is ignored; removed, the built-in table is back", async () => {
    const admin = client(api.url, await login(api.url, 'admin'));
    const desk = client(api.url, await login(api.url, 'dispatcher'));
    expect((await desk.put('/api/alarm-codes/ADM-CID/380').send({ action: 'alarm', kind: 'intrusion' })).status).toBe(403);
    expect((await admin.put('/api/alarm-codes/ADM-CID/38').send({ action: 'alarm', kind: 'intrusion' })).status).toBe(400);
    expect((await admin.put('/api/alarm-codes/ADM-CID/380').send({ action: 'alarm' })).body.details[0].field).toBe('kind');
    expect((await admin.put('/api/alarm-codes/SIA-DCS/YT').send({ action: 'ignore', severity: 2 })).body.details[0].field).toBe('severity');
    expect((await admin.put('/api/alarm-codes/ADM-CID/380').send({ action: 'alarm', kind: 'intrusion', severity: 3 })).status).toBe(200);
    expect((await admin.put('/api/alarm-codes/SIA-DCS/YT').send({ action: 'ignore' })).status).toBe(200);
    expect((await desk.get('/api/alarm-codes')).body.own.map((row: { code: string }) => row.code)).toEqual(['380', 'YT']);

    await api.db.query(`UPDATE alarm SET last_seen_at = last_seen_at - interval '1 day'`);
    const before = await alarmsOf('ir-3-201');
    const panelBefore = await alarmsOf('panel-1234');
    const answers = await sendTcp(tcp, [
      panelFrame({ id: 'ADM-CID', sequence: next(), account: '1234', data: '#1234|1380 01 015' }),
      panelFrame({ id: 'SIA-DCS', sequence: next(), account: '1234', data: '#1234|NYT099' }),
    ]);
    expect(answers.map((answer) => answerOf(answer).kind)).toEqual(['ACK', 'ACK']);
    const added = (await alarmsOf('ir-3-201')).slice(before.length);
    expect(added.map((alarm) => alarm.alarm_kind)).toEqual(['intrusion']);
    const [opened] = await api.db.query<Array<{ severity: number; priority: string }>>('SELECT a.severity, t.priority FROM alarm a JOIN ticket t ON t.id = a.ticket_id WHERE a.ticket_id = $1', [added[0].ticket_id]);
    expect(opened).toEqual({ severity: 3, priority: 'urgent' });
    // Ignored: ACKed, nothing opened (built in, YT would have been a fault).
    expect((await alarmsOf('panel-1234')).length).toBe(panelBefore.length);

    expect((await admin.delete('/api/alarm-codes/SIA-DCS/YT')).status).toBe(204);
    await sendTcp(tcp, [panelFrame({ id: 'SIA-DCS', sequence: next(), account: '1234', data: '#1234|NYT099' })]);
    expect((await alarmsOf('panel-1234')).slice(panelBefore.length).map((alarm) => alarm.alarm_kind)).toEqual(['fault']);
    const changes = await api.db.query<Array<{ data: { code: string; meaning: unknown; previous: unknown } }>>(`SELECT data FROM event_log WHERE type = 'alarm.code_changed' ORDER BY seq`);
    expect(changes.map((change) => [change.data.code, change.data.meaning === null, change.data.previous === null])).toEqual([
      ['380', false, true],
      ['YT', false, true],
      ['YT', true, false],
    ]);
    await api.db.query('DELETE FROM alarm_code');
  });
});
