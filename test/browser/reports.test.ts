import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, login, type RunningApi, startApi } from '../support/api';
import { launchChromium, seriousAxeProblems, signedInPage, waitLive } from '../support/browser';
import { repairFrom } from '../support/fixtures';
import { createAs, stepAs } from '../support/loop';

const SCREENSHOTS = resolve(__dirname, '../../test-results/screenshots');

/** 报表 on screen: run, export, print. */
describe('the reports screen', () => {
  let api: RunningApi;
  let browser: Browser;

  beforeAll(async () => {
    api = await startApi();
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
    const desk = client(api.url, await login(api.url, 'dispatcher'));
    const technician = client(api.url, await login(api.url, 'technician'));
    const ticket = await createAs(desk, repairFrom('6-2-501', { category: 'lights', description: '客厅灯不亮' }));
    await stepAs(technician, await stepAs(desk, ticket, 'dispatch'), 'accept');
    await createAs(desk, { kind: 'repair', channel: 'phone', category: 'lights', description: '楼梯灯不亮', location: { area: 'STAIRS-3-1' }, repair: { inUnit: false, paid: false } });
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('the manager runs the KPIs (a rate over too few cases says so), the half-month list, exports XLSX and prints on A4', async () => {
    const page = await signedInPage(browser, api.url, 'manager', '/reports', { width: 1440, height: 900 });
    await waitLive(page);
    const response = page.locator('[data-testid="kpi-responseSeconds"]');
    await response.waitFor();
    const satisfaction = await page.locator('[data-testid="kpi-satisfaction"] td').first().textContent();
    const denominator = Number(await page.locator('[data-testid="kpi-satisfaction"] td').nth(2).textContent());
    if (denominator < 5) expect(satisfaction).toBe('样本不足');
    else expect(satisfaction).toMatch(/%$/);
    expect(await seriousAxeProblems(page)).toEqual([]);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'reports-kpi.png') });

    // The reports kept at each period's end: one opened as it was generated.
    const { ReportKeeper } = await import('../../apps/api/src/reports/report-keeper');
    await api.app.get(ReportKeeper).keepClosed(new Date(Date.now() + 7 * 86_400_000));
    await page.reload();
    await waitLive(page);
    await page.locator('[data-testid="kept-report"]').first().click();
    await page.locator('[data-testid="kept-shown"]').waitFor();

    await page.click('[data-testid="tab-unfinished"]');
    const items = page.locator('[data-testid="unfinished-item"]');
    await items.first().waitFor();
    // Public-area lights first in their department.
    expect(await page.locator('table[data-department="engineering"] [data-testid="unfinished-item"]').first().getAttribute('class')).toContain('light');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="report-xlsx"]')]);
    expect(download.suggestedFilename()).toMatch(/^半月未完成问题-\d{4}-\d{2}-\d{2}\.xlsx$/);

    // The meeting's copy: the controls left out, black on white, A4.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('[data-testid="report-run"]').isVisible()).toBe(false);
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(255, 255, 255)');
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    writeFileSync(resolve(SCREENSHOTS, 'reports-unfinished.pdf'), pdf);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.screenshot({ path: resolve(SCREENSHOTS, 'reports-print.png'), fullPage: true });
    await page.context().close();
  });

  it('工单清单: the tickets of a period as filtered, on screen and as a CSV named for its period', async () => {
    const page = await signedInPage(browser, api.url, 'manager', '/reports', { width: 1440, height: 900 });
    await waitLive(page);
    await page.click('[data-testid="tab-tickets"]');
    await page.locator('[data-testid="ticket-list-item"]').first().waitFor();
    const all = await page.locator('[data-testid="ticket-list-item"]').count();
    expect(all).toBeGreaterThanOrEqual(2);
    expect(await page.locator('[data-testid="ticket-list-total"]').textContent()).toBe(`共 ${all} 件`);
    // Only those still open: the living-room light was accepted, the stair light waits.
    await page.selectOption('select[name="report-status"]', 'open');
    await page.click('[data-testid="report-run"]');
    await expect.poll(async () => page.locator('[data-testid="ticket-list-item"]').count(), { timeout: 10_000 }).toBeLessThanOrEqual(all);
    expect(await page.locator('[data-testid="ticket-list-item"]', { hasText: '6-2-501' }).count()).toBeGreaterThan(0);
    expect(await seriousAxeProblems(page)).toEqual([]);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'reports-tickets.png') });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="report-csv"]')]);
    expect(download.suggestedFilename()).toMatch(/^工单清单-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
    await page.context().close();
  });
});
