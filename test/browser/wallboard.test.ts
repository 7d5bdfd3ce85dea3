import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApi, resetTickets, startApi } from '../support/api';
import { launchChromium } from '../support/browser';
import { repairFrom } from '../support/fixtures';

const SCREENSHOTS = resolve(__dirname, '../../test-results/screenshots');
describe('wallboard in chromium', () => {
  let api: RunningApi;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    api = await startApi();
    await resetTickets(api.db);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('shows a ticket created over HTTP within 2 s, with a running countdown to its dispatch deadline', async () => {
    await page.goto(`${api.url}/wallboard`);
    await page.locator('[data-testid="connection"][data-status="live"]').waitFor({ timeout: 10_000 });

    const created = await request(api.url).post('/api/tickets').send(repairFrom('4-2-301', { priority: 'urgent' }));
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

  it('corrects a browser clock that runs 10 minutes fast', async () => {
    const skewed = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await skewed.addInitScript(() => {
      const skew = 10 * 60 * 1000;
      const realNow = Date.now.bind(Date);
      Date.now = () => realNow() + skew;
    });
    const created = await request(api.url).post('/api/tickets').send(repairFrom('4-2-302'));
    await skewed.goto(`${api.url}/wallboard`);
    const countdown = skewed.locator(`[data-ticket-id="${created.body.id}"] [data-testid="countdown"]`);
    await countdown.waitFor({ timeout: 5_000 });
    // Uncorrected, the browser would think the deadline passed 9 minutes ago.
    await expect.poll(() => countdown.getAttribute('data-phase')).toBe('ok');
    expect(await countdown.textContent()).toMatch(/^0:[0-5]\d$|^1:00$/);
    await skewed.close();
  });
});
