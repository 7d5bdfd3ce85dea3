import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApi, startApi } from '../support/api';
import { launchChromium, seriousAxeProblems, signedInPage, waitLive } from '../support/browser';

const SCREENSHOTS = resolve(__dirname, '../../test-results/screenshots');
/** Residents this file adds are named so: removed afterwards. */
const PREFIX = '页面';
const UNIT = '2-2-502';

/** 业主档案 on screen: find a unit, keep its people, and the whole archive in and out. */
describe('the owner archive screen', () => {
  let api: RunningApi;
  let browser: Browser;
  let desk: Page;

  beforeAll(async () => {
    api = await startApi();
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
    desk = await signedInPage(browser, api.url, 'dispatcher', '/archive', { width: 1440, height: 900 });
    await waitLive(desk);
  });
  afterAll(async () => {
    await api?.db.query(`DELETE FROM resident WHERE name LIKE $1`, [`${PREFIX}%`]);
    await browser?.close();
    await api?.close();
  });


  it('the desk finds a unit, adds a family member, reads them in full with a logged reason, verifies and moves them out', async () => {
    await desk.locator('[data-testid="archive-accuracy"] .figure').waitFor();
    await desk.fill('input[name="archive-unit"]', UNIT);
    await desk.locator('[data-testid="archive-suggestions"] button', { hasText: UNIT }).click();
    await desk.locator('[data-testid="archive-residents"] h2', { hasText: UNIT }).waitFor();

    await desk.click('[data-testid="resident-add"]');
    const form = desk.locator('[data-testid="archive-form"][data-form="add"]');
    await form.locator('select[name="role"]').selectOption('family');
    await form.locator('input[name="name"]').fill(`${PREFIX}陈桂兰`);
    await form.locator('input[name="phone"]').fill('13622223333');
    await form.locator('textarea[name="householdNotes"]').fill('独居老人，心脏病');
    await form.locator('input[name="keyOwner"]').check();
    await form.locator('input[name="keyOwnerReason"]').fill('独居老人');
    await form.locator('input[name="greeting"]').fill('陈阿姨');
    await form.locator('[data-testid="archive-submit"]').click();

    // Listed masked: the name and phone hidden, the notes said to exist.
    const card = desk.locator('[data-testid="archive-resident"][data-masked="true"]', { hasText: '陈阿姨' });
    await card.waitFor();
    expect(await card.textContent()).not.toContain('13622223333');
    expect(await card.textContent()).not.toContain('心脏病');
    expect(await card.textContent()).toContain('136****3333');

    await card.locator('[data-testid="resident-reveal"]').click();
    await card.locator('input[name="reveal-reason"]').fill('核对紧急联系人');
    await card.locator('[data-testid="archive-submit"]').click();
    const full = desk.locator('[data-testid="archive-resident"][data-masked="false"]', { hasText: '陈阿姨' });
    await full.waitFor();
    expect(await full.textContent()).toContain('心脏病');
    const [reveal] = await api.db.query<Array<{ reason: string; name: string }>>(
      `SELECT data->>'reason' AS reason, data->'actor'->>'name' AS name FROM event_log WHERE type = 'resident.revealed' ORDER BY seq DESC LIMIT 1`,
    );
    expect(reveal.reason).toBe('核对紧急联系人');

    await full.locator('[data-testid="resident-verify"]').click();
    await expect.poll(() => desk.locator('[data-testid="archive-resident"]', { hasText: '陈阿姨' }).locator('[data-testid="verified"]').textContent()).toContain(new Date().toISOString().slice(0, 10));
    await desk.screenshot({ path: resolve(SCREENSHOTS, 'archive-desk.png') });

    // The desk keeps records; the whole archive in or out is not theirs.
    expect(await desk.locator('[data-testid="archive-sheet"]').count()).toBe(0);
    expect(await seriousAxeProblems(desk)).toEqual([]);

    const row = desk.locator('[data-testid="archive-resident"]', { hasText: '陈阿姨' });
    await row.locator('[data-testid="resident-move-out"]').click();
    await row.locator('input[name="move-out-reason"]').fill('搬去与子女同住');
    await row.locator('[data-testid="archive-submit"]').click();
    await row.waitFor({ state: 'detached' });
    const [moved] = await api.db.query<Array<{ moved_out_at: Date | null }>>(`SELECT moved_out_at FROM resident WHERE name = $1`, [`${PREFIX}陈桂兰`]);
    expect(moved.moved_out_at).not.toBeNull();
  });

  it('a supervisor checks a spreadsheet, sees the rows it would refuse and why, imports it, and exports the archive', async () => {
    const page = await signedInPage(browser, api.url, 'supervisor', '/archive', { width: 1440, height: 900 });
    await waitLive(page);
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('业主档案');
    sheet.addRow(['房号', '身份', '姓名', '电话']);
    sheet.addRow([UNIT, '租户', `${PREFIX}周杰`, '13533334444']);
    sheet.addRow(['9-9-999', '租户', `${PREFIX}无此户`, '13533335555']);
    sheet.addRow([UNIT, '房东', `${PREFIX}身份错`, '13533336666']);
    await page.locator('input[name="archive-file"]').setInputFiles({ name: '档案.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from(await book.xlsx.writeBuffer()) });
    await page.click('[data-testid="archive-check"]');
    await expect.poll(() => page.locator('[data-testid="archive-report"]').textContent()).toContain('新增 1');
    const refused = page.locator('[data-testid="archive-refused"] li');
    expect(await refused.count()).toBe(2);
    expect(await refused.nth(0).textContent()).toContain('第 3 行');
    expect(await refused.nth(1).textContent()).toContain('房东');
    await page.screenshot({ path: resolve(SCREENSHOTS, 'archive-import.png') });
    // Checked, nothing written yet.
    expect((await api.db.query(`SELECT 1 FROM resident WHERE name = $1`, [`${PREFIX}周杰`])).length).toBe(0);
    await page.click('[data-testid="archive-import"]');
    await expect.poll(() => page.locator('[data-testid="archive-notice"]').textContent()).toContain('已导入：新增 1');
    expect((await api.db.query(`SELECT 1 FROM resident WHERE name = $1`, [`${PREFIX}周杰`])).length).toBe(1);

    await page.fill('input[name="export-reason"]', '月度档案核对');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="archive-export"]')]);
    expect(download.suggestedFilename()).toMatch(/^业主档案-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const exported = new ExcelJS.Workbook();
    await exported.xlsx.readFile((await download.path()) as string);
    const names: string[] = [];
    exported.worksheets[0].eachRow((row) => names.push(String(row.getCell(3).value ?? '')));
    expect(names[0]).toBe('姓名');
    expect(names).toContain(`${PREFIX}周杰`);
    await page.context().close();
  });
});
