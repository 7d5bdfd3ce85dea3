import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, client, login, type RunningApi, resetTickets, startApi } from '../support/api';
import { launchChromium, signedInPage, waitLive } from '../support/browser';
import { repairFrom } from '../support/fixtures';

const SCREENSHOTS = resolve(__dirname, '../../test-results/screenshots');

/** What a tablet holds follows the one scope rule as tickets move: moved away, it goes; routed in, it works. */
describe('the field tablet follows the scope rule', () => {
  let api: RunningApi;
  let browser: Browser;
  let tablet: Page;
  let desk: Client;

  beforeAll(async () => {
    api = await startApi();
    await resetTickets(api.db);
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
    desk = client(api.url, await login(api.url, 'dispatcher'));
    tablet = await signedInPage(browser, api.url, 'technician', '/field', { width: 1024, height: 768 });
    await waitLive(tablet);
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('a ticket the desk moves to security leaves the engineering tablet within 2 s', async () => {
    const created = await desk.post('/api/tickets').send(repairFrom('5-1-402', { category: 'door_lock', description: '单元门禁坏了' }));
    expect(created.status).toBe(201);
    const card = tablet.locator(`[data-ticket-id="${created.body.id}"]`);
    await card.waitFor({ timeout: 2_000 });
    const dispatched = await desk.post(`/api/tickets/${created.body.id}/actions`).send({ action: 'dispatch', version: created.body.version });
    expect(dispatched.status).toBe(200);
    const moved = await desk.post(`/api/tickets/${created.body.id}/actions`).send({ action: 'reassign', version: dispatched.body.version, department: 'security', reason: '门禁归安保' });
    expect(moved.status).toBe(200);
    await card.waitFor({ state: 'detached', timeout: 2_000 });
    // And the guard's tablet has it now.
    const guard = await signedInPage(browser, api.url, 'guard', '/field', { width: 1024, height: 768 });
    await waitLive(guard);
    await guard.locator(`[data-ticket-id="${created.body.id}"]`).waitFor({ timeout: 2_000 });
    await guard.context().close();
  });

  it('an engineering technician on a fire alarm routed to security and engineering sees its buttons and uses them', async () => {
    const alarm = await request(api.url)
      .post('/api/alarms')
      .set('x-device-key', 'demo-device-key-smoke')
      .send({ deviceId: 'smoke-lobby-4-2', eventId: `fire-${Date.now()}`, kind: 'smoke_fire', note: '4栋2单元大堂烟感' });
    expect(alarm.status).toBe(201);
    const ticketId = alarm.body.id as string;
    expect(alarm.body.department).toBe('security');
    const task = tablet.locator(`[data-testid="task"][data-ticket-id="${ticketId}"]`);
    await task.waitFor({ timeout: 2_000 });
    const acknowledge = task.locator('button[data-action="acknowledge"]');
    await acknowledge.waitFor({ timeout: 2_000 });
    await tablet.screenshot({ path: resolve(SCREENSHOTS, 'field-fire-alarm.png') });
    await acknowledge.click();
    await expect.poll(async () => (await api.db.query<Array<{ acknowledged_at: Date | null }>>('SELECT acknowledged_at FROM alarm WHERE ticket_id = $1', [ticketId]))[0]?.acknowledged_at ?? null, { timeout: 5_000 }).not.toBeNull();
    const [event] = await api.db.query<Array<{ actor: string }>>(`SELECT actor FROM event_log WHERE ticket_id = $1 AND type = 'alarm.acknowledged'`, [ticketId]);
    const [technician] = await api.db.query<Array<{ id: string }>>(`SELECT id FROM staff WHERE username = 'technician'`);
    expect(event?.actor).toBe(technician.id);
  });
});
