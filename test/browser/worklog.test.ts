import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, login, type RunningApi, startApi } from '../support/api';
import { launchChromium, seriousAxeProblems, signedInPage, waitLive } from '../support/browser';

const SCREENSHOTS = resolve(__dirname, '../../test-results/screenshots');

/** 工作日志 on the phone and on the supervisor's screen; 单元大事记 on the archive. */
describe('the work log and the unit chronicle on screen', () => {
  let api: RunningApi;
  let browser: Browser;

  beforeAll(async () => {
    api = await startApi();
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await api?.db.query(`DELETE FROM roster_shift`);
    await api?.db.query(`UPDATE staff SET on_duty = true WHERE username = 'technician'`);
    await browser?.close();
    await api?.close();
  });

  it('a technician writes a note of his day on the phone; his supervisor finds it in the team\'s day', async () => {
    const phone = await signedInPage(browser, api.url, 'technician', '/worklog', { width: 390, height: 844 });
    await waitLive(phone);
    await phone.locator('[data-testid="worklog-counts"]').waitFor();
    await phone.fill('textarea[name="worklog-text"]', '巡查3号楼水泵房：压力正常，已记录读数');
    await phone.click('[data-testid="worklog-submit"]');
    const note = phone.locator('[data-testid="worklog-entry"][data-source="note"]', { hasText: '3号楼水泵房' });
    await note.waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBe(390);
    expect(await seriousAxeProblems(phone)).toEqual([]);
    await phone.screenshot({ path: resolve(SCREENSHOTS, 'worklog-390.png'), fullPage: true });
    await phone.context().close();

    const desk = await signedInPage(browser, api.url, 'eng_supervisor', '/worklog', { width: 1440, height: 900 });
    await waitLive(desk);
    const person = desk.locator('[data-testid="worklog-person"]', { hasText: '张伟' });
    await person.click();
    await desk.locator('[data-testid="worklog-day"] h2', { hasText: '张伟' }).waitFor();
    await desk.locator('[data-testid="worklog-entry"]', { hasText: '3号楼水泵房' }).waitFor();
    // Reading his log, not writing in it.
    expect(await desk.locator('textarea[name="worklog-text"]').count()).toBe(0);
    expect(await seriousAxeProblems(desk)).toEqual([]);
    await desk.screenshot({ path: resolve(SCREENSHOTS, 'worklog-supervisor.png') });
    await desk.context().close();
  });

  it('a supervisor rosters his department\'s day; the wallboard shows a rostered technician who has not started his shift', async () => {
    const plan = await signedInPage(browser, api.url, 'eng_supervisor', '/roster', { width: 1280, height: 800 });
    await waitLive(plan);
    // His own department only: the choice is fixed.
    await expect.poll(() => plan.locator('select[name="roster-department"]').inputValue()).toBe('engineering');
    expect(await plan.locator('select[name="roster-department"]').isDisabled()).toBe(true);
    await plan.click('[data-testid="roster-add"]');
    await plan.locator('select[name="roster-staff-0"]').selectOption({ label: '张伟 · 现场人员' });
    await plan.fill('input[name="roster-start-0"]', '00:00');
    await plan.fill('input[name="roster-end-0"]', '00:00');
    await plan.click('[data-testid="roster-save"]');
    await expect.poll(() => plan.locator('[data-testid="roster-notice"]').textContent()).toBe('排班已保存');
    expect(await seriousAxeProblems(plan)).toEqual([]);
    await plan.screenshot({ path: resolve(SCREENSHOTS, 'roster.png') });
    await plan.context().close();

    const board = await signedInPage(browser, api.url, 'dispatcher', '/wallboard', { width: 1920, height: 1080 });
    await waitLive(board);
    const engineering = board.locator('.department[data-department="engineering"]');
    expect(await engineering.locator('[data-testid="absent"]').count()).toBe(0);
    // He ends his shift on the tablet while rostered: the board says one rostered is not in.
    await client(api.url, await login(api.url, 'technician')).post('/api/shift').send({ onDuty: false });
    await expect.poll(() => engineering.locator('[data-testid="absent"]').textContent(), { timeout: 5_000 }).toBe('排班未到 1');
    await board.context().close();
  });

  it('the desk records decoration in a unit\'s chronicle and sees it beside the unit\'s tickets and handover date', async () => {
    const desk = await signedInPage(browser, api.url, 'dispatcher', '/archive', { width: 1440, height: 900 });
    await waitLive(desk);
    await desk.fill('input[name="archive-unit"]', '5-1-301');
    await desk.locator('[data-testid="archive-suggestions"] button', { hasText: '5-1-301' }).click();
    const chronicle = desk.locator('[data-testid="chronicle"]');
    await chronicle.locator('[data-kind="handover"]').waitFor();
    await chronicle.locator('select[name="chronicle-kind"]').selectOption('decoration');
    await chronicle.locator('input[name="chronicle-note"]').fill('业主装修：拆改卫生间，工期45天');
    await chronicle.locator('[data-testid="chronicle-add"]').click();
    const entry = chronicle.locator('[data-testid="chronicle-entry"][data-kind="decoration"]', { hasText: '拆改卫生间' });
    await entry.waitFor();
    expect(await entry.textContent()).toContain('王敏');
    expect(await seriousAxeProblems(desk)).toEqual([]);
    await desk.screenshot({ path: resolve(SCREENSHOTS, 'archive-chronicle.png'), fullPage: true });
    await desk.context().close();
  });
});
