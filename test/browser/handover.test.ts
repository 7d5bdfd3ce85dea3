import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, login, type RunningApi, resetTickets, startApi } from '../support/api';
import { launchChromium, seriousAxeProblems, signedInPage, waitLive } from '../support/browser';
import { repairFrom } from '../support/fixtures';
import { createAs, stepAs } from '../support/loop';

const SCREENSHOTS = resolve(__dirname, '../../test-results/screenshots');

/** 交接班 in the console: the outgoing desk submits the drafted handover, the incoming shift signs it. */
describe('the shift handover screen', () => {
  let api: RunningApi;
  let browser: Browser;

  beforeAll(async () => {
    api = await startApi();
    await resetTickets(api.db);
    await api.db.query('DELETE FROM handover');
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('drafts from the record, is submitted by the outgoing desk and signed by the incoming shift', async () => {
    const desk = client(api.url, await login(api.url, 'dispatcher'));
    const waiting = await createAs(desk, repairFrom('5-2-501', { category: 'water_leak', description: '卫生间渗水' }));
    await stepAs(desk, waiting, 'wait', { reason: '等防水师傅', agreedAt: new Date(Date.now() + 4 * 3600_000).toISOString(), ownerToldVia: 'phone' });

    const outgoing = await signedInPage(browser, api.url, 'dispatcher', '/handover', { width: 1440, height: 900 });
    await waitLive(outgoing);
    const promises = outgoing.locator('[data-testid="draft-promises"] li');
    await expect.poll(() => promises.first().textContent(), { timeout: 5_000 }).toContain('5-2-501');
    await outgoing.locator('textarea[name="handover-notes"]').fill('5-2-501业主下午在家，防水师傅已约');
    await outgoing.click('[data-testid="handover-submit"]');
    const kept = outgoing.locator('[data-testid="handover"]');
    await kept.first().waitFor({ timeout: 5_000 });
    expect(await kept.first().getAttribute('data-signed')).toBe('false');
    // The writer does not sign their own handover.
    expect(await kept.first().locator('[data-testid="handover-sign"]').count()).toBe(0);
    await outgoing.screenshot({ path: resolve(SCREENSHOTS, 'handover-submitted.png') });
    await outgoing.context().close();

    const incoming = await signedInPage(browser, api.url, 'cs_supervisor', '/handover', { width: 1440, height: 900 });
    await waitLive(incoming);
    const entry = incoming.locator('[data-testid="handover"]').first();
    await entry.locator('[data-testid="handover-sign"]').waitFor({ timeout: 5_000 });
    await entry.locator('input[name="sign-note"]').fill('已阅');
    await entry.locator('[data-testid="handover-sign"]').click();
    await expect.poll(() => entry.getAttribute('data-signed'), { timeout: 5_000 }).toBe('true');
    const [row] = await api.db.query<Array<{ signed_by: string; notes: string }>>('SELECT s.name AS signed_by, h.notes FROM handover h JOIN staff s ON s.id = h.signed_by');
    expect(row).toEqual({ signed_by: '钱慧', notes: '5-2-501业主下午在家，防水师傅已约' });
    expect(await seriousAxeProblems(incoming)).toEqual([]);
    await incoming.screenshot({ path: resolve(SCREENSHOTS, 'handover-signed.png') });
    await incoming.context().close();
  });
});

describe('a shift on the tablet', () => {
  let api: RunningApi;
  let browser: Browser;
  beforeAll(async () => {
    api = await startApi();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('the technician ends his shift on the tablet and the desk stops being offered him; he starts it again', async () => {
    const tablet = await signedInPage(browser, api.url, 'technician2', '/field', { width: 390, height: 844 });
    await waitLive(tablet);
    const shift = tablet.locator('[data-testid="shift"]');
    await shift.waitFor({ timeout: 5_000 });
    expect(await shift.getAttribute('data-on-duty')).toBe('true');
    await tablet.click('[data-testid="shift-toggle"]');
    await expect.poll(() => shift.getAttribute('data-on-duty')).toBe('false');
    const desk = client(api.url, await login(api.url, 'dispatcher'));
    const staff = (await desk.get('/api/staff').query({ department: 'engineering' })).body as Array<{ name: string; onDuty: boolean }>;
    expect(staff.find((one) => one.name === '吴军')?.onDuty).toBe(false);
    await tablet.screenshot({ path: resolve(SCREENSHOTS, 'field-off-shift.png') });
    await tablet.click('[data-testid="shift-toggle"]');
    await expect.poll(() => shift.getAttribute('data-on-duty')).toBe('true');
    await tablet.context().close();
  });

  it('a department with nobody on duty shows 无人值班 on the wallboard, live', async () => {
    const board = await signedInPage(browser, api.url, 'dispatcher', '/wallboard', { width: 1920, height: 1080 });
    await waitLive(board);
    const security = board.locator('[data-department="security"]');
    await expect.poll(() => security.getAttribute('data-on-duty'), { timeout: 5_000 }).toBe('2');
    const guards = await Promise.all(['guard', 'guard2'].map(async (name) => client(api.url, await login(api.url, name))));
    for (const guard of guards) expect((await guard.post('/api/shift').send({ onDuty: false })).status).toBe(200);
    await security.locator('[data-testid="empty-shift"]').waitFor({ timeout: 2_000 });
    await board.screenshot({ path: resolve(SCREENSHOTS, 'wallboard-empty-shift.png') });
    await guards[0].post('/api/shift').send({ onDuty: true });
    await security.locator('[data-testid="empty-shift"]').waitFor({ state: 'detached', timeout: 2_000 });
    await guards[1].post('/api/shift').send({ onDuty: true });
    await board.context().close();
  });
});
