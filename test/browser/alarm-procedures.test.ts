import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, client, login, type RunningApi, resetTickets, startApi } from '../support/api';
import { DeviceSupervision } from '../../apps/api/src/alarms/device-supervision';
import { hashToken } from '../../apps/api/src/common/token-hash';
import { launchChromium, seriousAxeProblems, signedInPage, waitLive } from '../support/browser';

const SCREENSHOTS = resolve(__dirname, '../../test-results/screenshots');

/** The desk's alarm banner sounds, and the guard works the alarm's procedure on the tablet (seed 001). */
describe('alarms at the desk and on the tablet', () => {
  let api: RunningApi;
  let browser: Browser;
  let desk: Page;
  let tablet: Page;
  let deskApi: Client;

  beforeAll(async () => {
    api = await startApi();
    await resetTickets(api.db);
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
    deskApi = client(api.url, await login(api.url, 'dispatcher'));
    desk = await signedInPage(browser, api.url, 'dispatcher', '/dispatch', { width: 1440, height: 900 });
    tablet = await signedInPage(browser, api.url, 'guard', '/field', { width: 1024, height: 768 });
    await Promise.all([waitLive(desk), waitLive(tablet)]);
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  const deliver = (kind: string, note: string, device = 'ir-3-201', key = 'demo-device-key') =>
    request(api.url).post('/api/alarms').set('X-Device-Key', key).send({ deviceId: device, eventId: `banner-${kind}-${Date.now()}`, kind, note });

  it('the desk says plainly that sound is off; a new alarm is pinned, sounds once armed, and stops when acknowledged', async () => {
    const banner = desk.locator('[data-testid="alarm-banner"]');
    await desk.locator('[data-testid="sound-off"]').waitFor({ timeout: 2_000 });
    const intrusion = await deliver('intrusion', '暴雨，业主不在家');
    const fire = await deliver('smoke_fire', '大堂烟感', 'smoke-lobby-4-2', 'demo-device-key-smoke');
    expect([intrusion.status, fire.status]).toEqual([201, 201]);
    const rows = banner.locator('[data-testid="banner-alarm"]');
    await expect.poll(() => rows.count(), { timeout: 2_000 }).toBe(2);
    // Most severe first: the fire (4) above the older intrusion (2); the note is on the row.
    expect(await rows.nth(0).getAttribute('data-ticket-id')).toBe(fire.body.id);
    expect(await rows.nth(1).textContent()).toContain('暴雨，业主不在家');
    expect(await banner.getAttribute('data-ringing')).toBe('true');
    expect(await banner.getAttribute('data-beeping')).toBe('false');
    await desk.click('[data-testid="sound-arm"]');
    await desk.locator('[data-testid="sound-off"]').waitFor({ state: 'detached', timeout: 2_000 });
    await expect.poll(() => banner.getAttribute('data-beeping')).toBe('true');
    await desk.screenshot({ path: resolve(SCREENSHOTS, 'desk-alarm-banner.png') });

    for (const id of [fire.body.id, intrusion.body.id]) await banner.locator(`[data-ticket-id="${id}"] [data-testid="banner-acknowledge"]`).click();
    await expect.poll(() => banner.getAttribute('data-ringing'), { timeout: 2_000 }).toBe('false');
    expect(await banner.getAttribute('data-beeping')).toBe('false');
    const [row] = await api.db.query<Array<{ acknowledged_by: string }>>('SELECT acknowledged_by FROM alarm WHERE ticket_id = $1', [intrusion.body.id]);
    expect(row.acknowledged_by).not.toBeNull();
    await deskApi.post(`/api/tickets/${fire.body.id}/actions`).send({ action: 'cancel', version: (await deskApi.get(`/api/tickets/${fire.body.id}`)).body.ticket.version, reason: '测试' });
  });

  it('the guard ticks the procedure on the tablet; the desk sees who did what, and may clear once the required steps are done', async () => {
    const [alarm] = await api.db.query<Array<{ ticket_id: string }>>(`SELECT ticket_id FROM alarm WHERE device_id = 'ir-3-201' ORDER BY first_seen_at DESC LIMIT 1`);
    const id = alarm.ticket_id;
    const task = tablet.locator(`[data-testid="task"][data-ticket-id="${id}"]`);
    await task.waitFor({ timeout: 2_000 });
    const procedure = task.locator('[data-testid="procedure"]');
    await procedure.waitFor();
    await task.locator('[data-testid="step-cameras"]').click();
    await expect.poll(() => procedure.locator('[data-step="cameras"]').getAttribute('data-done')).toBe('true');
    await task.locator('input[name="step-note"]').fill('业主电话同意入户');
    await task.locator('[data-testid="step-entry_consent-yes"]').click();
    await expect.poll(() => procedure.locator('[data-step="entry_consent"]').getAttribute('data-done')).toBe('true');
    await tablet.screenshot({ path: resolve(SCREENSHOTS, 'field-alarm-procedure.png') });
    const [stored] = await api.db.query<Array<{ procedure: { steps: Array<{ key: string; done: { by: { name: string }; answer: string | null; note: string | null } | null }> } }>>(
      'SELECT procedure FROM alarm WHERE ticket_id = $1',
      [id],
    );
    expect(stored.procedure.steps.find((step) => step.key === 'entry_consent')?.done).toMatchObject({ by: { name: '李强' }, answer: 'yes', note: '业主电话同意入户' });

    // The desk opens it from the banner: the guard's ticks, and the step still required (call_owner) for the desk.
    await desk.locator(`[data-testid="banner-alarm"][data-ticket-id="${id}"] [data-testid="banner-open"]`).click();
    const detail = desk.locator('[data-testid="ticket-detail"]');
    await detail.locator('[data-step="cameras"][data-done="true"]').waitFor({ timeout: 2_000 });
    expect(await detail.locator('[data-step="entry_consent"]').textContent()).toContain('李强');
    // Seed 001: the desk calls the owner from the alarm: the owner card, revealed with a reason the log keeps.
    const owner = detail.locator('[data-testid="owner-card"] [data-testid="resident"]').first();
    expect(await owner.getAttribute('data-masked')).toBe('true');
    await owner.locator('[data-testid="resident-reveal"]').click();
    await owner.locator('input[name="reveal-reason"]').fill('报警核实，致电业主');
    await owner.locator('[data-testid="resident-reveal-confirm"]').click();
    await owner.locator('[data-testid="resident-dial"]').waitFor({ timeout: 2_000 });
    expect(await owner.locator('[data-testid="resident-dial"]').getAttribute('href')).toMatch(/^tel:\d{11}$/);
    const [revealLog] = await api.db.query<Array<{ reason: string }>>(`SELECT data->>'reason' AS reason FROM event_log WHERE type = 'resident.revealed' ORDER BY seq DESC LIMIT 1`);
    expect(revealLog.reason).toBe('报警核实，致电业主');
    await detail.locator('[data-testid="step-call_owner"]').click();
    await detail.locator('[data-step="call_owner"][data-done="true"]').waitFor({ timeout: 2_000 });
    expect(await seriousAxeProblems(desk)).toEqual([]);
    expect(await seriousAxeProblems(tablet)).toEqual([]);
    await desk.screenshot({ path: resolve(SCREENSHOTS, 'desk-alarm-procedure.png') });
  });

  it('a silent device shows on the wallboard as 设备失联 until its heartbeat; the SLA board counts pickups', async () => {
    const board = await signedInPage(browser, api.url, 'dispatcher', '/wallboard', { width: 1920, height: 1080 });
    await waitLive(board);
    // Every other device heard from just now: earlier files leave panels with test intervals that may have run out.
    await api.db.query(`UPDATE device SET last_seen_at = now(), offline_since = NULL WHERE id <> 'lift-4-2'`);
    await api.db.query(`UPDATE device SET test_interval_seconds = 60, last_seen_at = now() - interval '5 minutes', offline_since = NULL, key_hash = $1 WHERE id = 'lift-4-2'`, [hashToken('demo-device-key-lift')]);
    expect(await api.app.get(DeviceSupervision).supervise()).toEqual(['lift-4-2']);
    const chip = board.locator('[data-testid="devices-offline"]');
    await chip.waitFor({ timeout: 5_000 });
    expect(await chip.textContent()).toContain('设备失联 1');
    await board.screenshot({ path: resolve(SCREENSHOTS, 'wallboard-device-offline.png') });
    const beat = await request(api.url).post('/api/devices/heartbeat').set('X-Device-Key', 'demo-device-key-lift').send({ deviceId: 'lift-4-2' });
    expect(beat.body.wasOffline).toBe(true);
    await chip.waitFor({ state: 'detached', timeout: 5_000 });
    await api.db.query(`UPDATE device SET test_interval_seconds = NULL WHERE id = 'lift-4-2'`);
    await board.context().close();

    const sla = await signedInPage(browser, api.url, 'manager', '/sla', { width: 1440, height: 900 });
    const pickup = sla.locator('[data-testid="kpi-pickup"]');
    await pickup.waitFor({ timeout: 5_000 });
    // The two alarms acknowledged from the banner above.
    expect(Number(await pickup.getAttribute('data-count'))).toBeGreaterThanOrEqual(2);
    await sla.screenshot({ path: resolve(SCREENSHOTS, 'sla-alarm-pickup.png') });
    await sla.context().close();
  });
});
