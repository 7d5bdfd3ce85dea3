import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, client, login, type RunningApi, resetTickets, startApi } from '../support/api';
import { launchChromium } from '../support/browser';
import { repairFrom } from '../support/fixtures';

const SCREENSHOTS = resolve(__dirname, '../../test-results/screenshots');
describe('wallboard in chromium', () => {
  let api: RunningApi;
  let browser: Browser;
  let page: Page;
  let desk: Client;

  beforeAll(async () => {
    api = await startApi();
    await resetTickets(api.db);
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    mkdirSync(SCREENSHOTS, { recursive: true });
    desk = client(api.url, await login(api.url, 'dispatcher'));
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('sends a visitor without a session to sign in, then back to the wallboard', async () => {
    await page.goto(`${api.url}/wallboard`);
    await page.waitForURL(/\/login$/);
    await page.fill('input[name="password"]', 'wrong');
    await page.fill('input[name="username"]', 'dispatcher');
    await page.click('button[type="submit"]');
    await page.locator('[role="alert"]').waitFor();
    await page.screenshot({ path: resolve(SCREENSHOTS, 'login-refused.png') });
    await page.fill('input[name="password"]', 'demo1234');
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/wallboard$/);
  });

  it('shows a ticket created over HTTP within 2 s, with a running countdown to its dispatch deadline', async () => {
    await page.locator('[data-testid="connection"][data-status="live"]').waitFor({ timeout: 10_000 });

    const created = await desk.post('/api/tickets').send(repairFrom('4-2-301', { priority: 'urgent' }));
    expect(created.status).toBe(201);

    const card = page.locator(`[data-ticket-id="${created.body.id}"]`);
    await card.waitFor({ timeout: 2_000 });
    await expect.poll(() => card.textContent()).toContain('4-2-301');
    await expect.poll(() => card.textContent()).toContain(created.body.number);

    // The countdown starts near 1:00 and runs down, green until 80% of the minute is used.
    const countdown = card.locator('[data-testid="countdown"]');
    const first = await countdown.textContent();
    expect(first).toMatch(/^0:[0-5]\d$|^1:00$/);
    expect(await countdown.getAttribute('data-phase')).toBe('ok');
    await expect.poll(async () => countdown.textContent(), { timeout: 3_000 }).not.toBe(first);
    expect(await page.locator('[data-testid="open-total"]').textContent()).toBe('1');

    await page.screenshot({ path: resolve(SCREENSHOTS, 'wallboard.png') });
  });

  it('moves the card to the 派单 column live when the ticket is dispatched, with the assignee', async () => {
    const created = await desk.post('/api/tickets').send(repairFrom('1-1-201', { category: 'lights' }));
    const card = page.locator(`[data-ticket-id="${created.body.id}"]`);
    await page.locator(`[data-status="received"] [data-ticket-id="${created.body.id}"]`).waitFor({ timeout: 2_000 });
    const [technician] = await api.db.query<Array<{ id: string }>>(`SELECT id FROM staff WHERE username = 'technician'`);
    const dispatched = await desk
      .post(`/api/tickets/${created.body.id}/actions`)
      .send({ action: 'dispatch', version: created.body.version, assigneeId: technician.id });
    expect(dispatched.status).toBe(200);
    await page.locator(`[data-status="dispatched"] [data-ticket-id="${created.body.id}"]`).waitFor({ timeout: 2_000 });
    await expect.poll(() => card.textContent()).toContain('张伟');
    await page.screenshot({ path: resolve(SCREENSHOTS, 'wallboard-dispatched.png') });
  });

  it('corrects a browser clock that runs 10 minutes fast', async () => {
    // A second tab of the same browser: signed in by the same refresh cookie.
    const skewed = await page.context().newPage();
    await skewed.addInitScript(() => {
      const skew = 10 * 60 * 1000;
      const realNow = Date.now.bind(Date);
      Date.now = () => realNow() + skew;
    });
    const created = await desk.post('/api/tickets').send(repairFrom('4-2-302'));
    await skewed.goto(`${api.url}/wallboard`);
    const countdown = skewed.locator(`[data-ticket-id="${created.body.id}"] [data-testid="countdown"]`);
    await countdown.waitFor({ timeout: 5_000 });
    // Uncorrected, the browser would think the deadline passed 9 minutes ago.
    await expect.poll(() => countdown.getAttribute('data-phase')).toBe('ok');
    expect(await countdown.textContent()).toMatch(/^0:[0-5]\d$|^1:00$/);
    await skewed.close();
  });
});
