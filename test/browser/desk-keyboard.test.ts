import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, client, login, type RunningApi, resetTickets, startApi } from '../support/api';
import { launchChromium, seriousAxeProblems, signedInPage, waitLive } from '../support/browser';
import { repairFrom } from '../support/fixtures';
import { createAs, stepAs } from '../support/loop';

const SCREENSHOTS = resolve(__dirname, '../../test-results/screenshots');

describe('the desk by keyboard, and every ticket findable', () => {
  let api: RunningApi;
  let browser: Browser;
  let desk: Page;
  let deskApi: Client;

  beforeAll(async () => {
    api = await startApi();
    await resetTickets(api.db);
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
    deskApi = client(api.url, await login(api.url, 'dispatcher'));
    desk = await signedInPage(browser, api.url, 'dispatcher', '/dispatch', { width: 1440, height: 900 });
    await waitLive(desk);
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('logs and dispatches a call without the mouse: the cursor starts in the unit field, arrows and Enter pick, Ctrl+Enter logs, the form starts again, Alt+P then Ctrl+Enter dispatches', async () => {
    await expect.poll(() => desk.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('unit');
    await desk.keyboard.type('4-2-30');
    await desk.locator('[data-testid="unit-suggestions"]').waitFor();
    await desk.keyboard.press('ArrowDown');
    await desk.keyboard.press('ArrowDown');
    await desk.keyboard.press('Enter');
    await expect.poll(() => desk.inputValue('input[name="unit"]')).toBe('4-2-302');
    expect(await desk.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('unit');
    await desk.locator('[data-testid="owner-card"]').waitFor();

    await desk.locator('textarea[name="description"]').focus();
    await desk.keyboard.type('厨房水龙头漏水');
    await desk.keyboard.press('Control+Enter');
    await expect.poll(() => desk.locator('[data-testid="intake-message"]').textContent()).toMatch(/已受理 \d{6}-\d{4}/);
    // A clean form for the next call, the cursor back in the unit field, no warning about the ticket just logged.
    expect(await desk.inputValue('input[name="unit"]')).toBe('');
    expect(await desk.inputValue('textarea[name="description"]')).toBe('');
    expect(await desk.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('unit');
    expect(await desk.locator('[data-testid="repeat-warning"]').count()).toBe(0);

    // The new ticket is open beside the form: Alt+P opens its dispatch with the cursor in it, Ctrl+Enter sends.
    const detail = desk.locator('[data-testid="ticket-detail"]');
    await expect.poll(() => detail.getAttribute('data-status')).toBe('received');
    expect(await detail.locator('[data-action="dispatch"]').getAttribute('aria-keyshortcuts')).toBe('Alt+P');
    await desk.keyboard.press('Alt+P');
    await expect.poll(() => desk.evaluate(() => document.activeElement?.closest('form')?.getAttribute('data-form-action'))).toBe('dispatch');
    await desk.keyboard.press('Control+Enter');
    await expect.poll(() => detail.getAttribute('data-status')).toBe('dispatched');
    const [dispatched] = await api.db.query<Array<{ status: string }>>(`SELECT status FROM ticket WHERE id = $1`, [await detail.getAttribute('data-ticket-id')]);
    expect(dispatched.status).toBe('dispatched');
    // Alt+P on a ticket that has nothing to dispatch does nothing.
    await desk.keyboard.press('Alt+P');
    expect(await desk.locator('[data-testid="action-form"]').count()).toBe(0);
    await desk.locator('input[name="unit"]').focus();

    // Typing the next unit clears the last call's message.
    await desk.keyboard.type('1');
    await expect.poll(() => desk.locator('[data-testid="intake-message"]').count()).toBe(0);
    await desk.fill('input[name="unit"]', '');
  });

  it('finds a closed ticket by its number in the queue\'s search, and shows the unit\'s history at intake', async () => {
    const tech = client(api.url, await login(api.url, 'technician'));
    let ticket = await createAs(deskApi, repairFrom('3-2-401', { category: 'lights', description: '走廊灯不亮' }));
    ticket = await stepAs(deskApi, ticket, 'dispatch');
    ticket = await stepAs(tech, ticket, 'accept');
    ticket = await stepAs(tech, ticket, 'arrive');
    ticket = await stepAs(tech, ticket, 'complete', { note: '已修' });
    ticket = await stepAs(deskApi, ticket, 'callback', { result: '满意', satisfaction: 'satisfied' });
    const closed = await stepAs(deskApi, ticket, 'close');

    await desk.fill('input[name="filter-search"]', closed.number.slice(-4));
    const row = desk.locator(`[data-testid="queue"] [data-ticket-id="${closed.id}"]`);
    await row.waitFor({ timeout: 3_000 });
    expect(await row.getAttribute('data-status')).toBe('closed');
    await desk.fill('input[name="filter-search"]', '');
    await expect.poll(() => row.count()).toBe(0);

    await desk.fill('input[name="unit"]', '3-2-401');
    const history = desk.locator('[data-testid="unit-history"]');
    await history.waitFor({ timeout: 3_000 });
    await history.locator('summary').click();
    await history.locator(`[data-ticket-id="${closed.id}"]`).click();
    await expect.poll(() => desk.locator('[data-testid="ticket-detail"]').getAttribute('data-ticket-id')).toBe(closed.id);
    await desk.screenshot({ path: resolve(SCREENSHOTS, 'dispatch-history.png') });
  });

  it('has no serious accessibility problem on the sign-in page, the desk, the field tablet, the SLA board, the wallboard and the handover', async () => {
    const problems: Record<string, string[]> = {};
    problems.dispatch = await seriousAxeProblems(desk);
    const signIn = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await signIn.goto(`${api.url}/login`);
    await signIn.locator('input[name="username"]').waitFor();
    problems.login = await seriousAxeProblems(signIn);
    await signIn.close();
    for (const [username, path, width, height] of [
      ['technician', '/field', 1024, 768],
      ['technician', '/field', 390, 844],
      ['manager', '/sla', 1600, 1000],
      ['dispatcher', '/wallboard', 1920, 1080],
      ['dispatcher', '/handover', 1440, 900],
    ] as const) {
      const page = await signedInPage(browser, api.url, username, path, { width, height });
      await waitLive(page);
      if (path === '/sla') await page.locator('[data-testid="sla-board"]').waitFor();
      if (path === '/handover') await page.locator('[data-testid="handover-list"]').waitFor();
      problems[`${path} ${width}`] = await seriousAxeProblems(page);
      await page.context().close();
    }
    expect(problems).toEqual({ dispatch: [], login: [], '/field 1024': [], '/field 390': [], '/sla 1600': [], '/wallboard 1920': [], '/handover 1440': [] });
  });
});
