import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, client, login, type RunningApi, resetTickets, startApi } from '../support/api';
import { launchChromium, signedInPage, waitLive } from '../support/browser';
import { repairFrom } from '../support/fixtures';

const SCREENSHOTS = resolve(__dirname, '../../test-results/screenshots');

/** Intake to close by clicks: the dispatcher's desk and the technician's tablet, on the real api. */
describe('the repair loop, driven by clicks', () => {
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
    desk = await signedInPage(browser, api.url, 'dispatcher', '/dispatch', { width: 1680, height: 1000 });
    tablet = await signedInPage(browser, api.url, 'technician', '/field', { width: 1024, height: 768 });
    await waitLive(desk);
    await waitLive(tablet);
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  let ticketId = '';

  it('logs a call: unit autocomplete, the owner masked with the key-owner badge, then the ticket', async () => {
    await desk.fill('input[name="unit"]', '1-1-10');
    await desk.locator('[data-testid="unit-suggestions"] button', { hasText: '1-1-101' }).click();
    const owner = desk.locator('[data-testid="owner-card"]');
    await expect.poll(() => owner.locator('[data-testid="owner-phone"]').textContent()).toMatch(/^139\*{4}\d{4}$/);
    await owner.locator('[data-testid="key-owner"]').waitFor();

    await desk.selectOption('select[name="category"]', 'lights');
    // Building 1 was handed over six years ago: the lights are out of warranty, arrival 30 minutes.
    const warranty = desk.locator('[data-testid="warranty"]');
    await expect.poll(() => warranty.getAttribute('data-covered')).toBe('false');
    expect(await desk.locator('input[name="inWarranty"]').isChecked()).toBe(false);
    const arrival = desk.locator('[data-testid="deadline-preview"] [data-clock="arrival"]');
    await expect.poll(() => arrival.getAttribute('data-seconds')).toBe('1800');
    // Urgent shortens it before anything is logged; back to normal for this call.
    await desk.selectOption('select[name="priority"]', 'urgent');
    await expect.poll(() => arrival.getAttribute('data-seconds')).toBe('300');
    await desk.selectOption('select[name="priority"]', 'normal');
    await expect.poll(() => arrival.getAttribute('data-seconds')).toBe('1800');
    // Ticking "in warranty" against the computed answer asks why; unticking it again does not.
    await desk.check('input[name="inWarranty"]');
    await desk.locator('input[name="warrantyReason"]').waitFor();
    await desk.uncheck('input[name="inWarranty"]');
    await desk.locator('input[name="warrantyReason"]').waitFor({ state: 'detached' });
    await desk.fill('textarea[name="description"]', '客厅吊灯不亮');
    await desk.check('input[name="paid"]');
    await desk.screenshot({ path: resolve(SCREENSHOTS, 'dispatch-intake-preview.png') });
    await desk.click('[data-testid="intake-submit"]');
    await expect.poll(() => desk.locator('[data-testid="intake-message"]').textContent()).toMatch(/已受理 \d{6}-\d{4}/);

    const detail = desk.locator('[data-testid="ticket-detail"]');
    await detail.waitFor();
    ticketId = (await detail.getAttribute('data-ticket-id')) ?? '';
    expect(ticketId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await detail.getAttribute('data-status')).toBe('received');
    expect(await detail.locator('[data-testid="detail-warranty"]').getAttribute('data-source')).toBe('computed');
    // Only the steps the state allows: no accept, complete or close at intake.
    const actions = await detail.locator('[data-testid="actions"] button[data-action]').evaluateAll((buttons) => buttons.map((button) => button.getAttribute('data-action')));
    expect(actions).toEqual(expect.arrayContaining(['dispatch', 'wait', 'contact', 'cancel']));
    expect(actions).not.toContain('accept');
    expect(actions).not.toContain('close');
  });

  it('warns at once when the same owner reports the same thing again', async () => {
    await desk.fill('input[name="unit"]', '1-1-101');
    await desk.locator('[data-testid="owner-card"]').waitFor();
    await desk.selectOption('select[name="category"]', 'lights');
    const warning = desk.locator('[data-testid="repeat-warning"]');
    await warning.waitFor({ timeout: 2_000 });
    const [ticket] = await api.db.query<Array<{ number: string }>>(`SELECT number FROM ticket WHERE id = $1`, [ticketId]);
    expect(await warning.textContent()).toContain(ticket.number);
    await desk.screenshot({ path: resolve(SCREENSHOTS, 'dispatch-intake-repeat.png') });
    await desk.selectOption('select[name="category"]', 'door_lock');
    await warning.waitFor({ state: 'detached', timeout: 2_000 });
  });

  it('dispatches to a named on-duty technician, shown with his load', async () => {
    await desk.locator(`[data-testid="queue"] [data-ticket-id="${ticketId}"]`).click();
    const detail = desk.locator(`[data-testid="ticket-detail"][data-ticket-id="${ticketId}"]`);
    await detail.locator('button[data-action="dispatch"]').click();
    const form = detail.locator('[data-testid="action-form"]');
    const person = form.locator('select[name="assigneeId"] option', { hasText: '张伟' });
    await expect.poll(() => person.textContent()).toMatch(/张伟 · 在办 \d+/);
    await form.locator('select[name="assigneeId"]').selectOption({ label: (await person.textContent()) ?? '' });
    await form.locator('[data-testid="action-submit"]').click();
    await expect.poll(() => detail.getAttribute('data-status')).toBe('dispatched');
    await desk.screenshot({ path: resolve(SCREENSHOTS, 'dispatch-detail.png') });
  });

  it('the technician accepts, arrives and completes on the tablet, with the owner\'s opinion for paid work', async () => {
    const task = tablet.locator(`[data-testid="list-mine"] [data-ticket-id="${ticketId}"]`);
    await task.waitFor({ timeout: 2_000 });
    await tablet.screenshot({ path: resolve(SCREENSHOTS, 'field-1024.png') });
    // One primary button: the next step forward.
    expect(await task.locator('button.primary').evaluateAll((buttons) => buttons.map((button) => button.getAttribute('data-action')))).toEqual(['accept']);
    await task.locator('button[data-action="accept"]').click();
    await expect.poll(() => task.getAttribute('data-status')).toBe('accepted');
    // His own deadline is the big one: arrival, though the contact clock may fall due sooner.
    await expect.poll(() => task.locator('.due [data-testid="countdown"]').evaluate((node) => node.parentElement?.textContent ?? '')).toContain('到场');
    // 拨打业主: a logged reveal gives him the number to dial.
    await task.locator('[data-testid="call-owner"]').click();
    await expect.poll(() => task.locator('[data-testid="dial"]').getAttribute('href')).toMatch(/^tel:\d{11}$/);
    const [revealed] = await api.db.query<Array<{ count: string }>>(`SELECT count(*) FROM event_log WHERE type = 'ticket.pii_revealed' AND ticket_id = $1 AND data->'actor'->>'name' = '张伟'`, [ticketId]);
    expect(Number(revealed.count)).toBe(1);
    await task.locator('button[data-action="arrive"]').click();
    await expect.poll(() => task.getAttribute('data-status')).toBe('on_site');
    await expect.poll(() => task.locator('.due').textContent()).toContain('到场反馈');

    await task.locator('button[data-action="complete"]').click();
    const form = task.locator('[data-testid="action-form"]');
    await form.locator('textarea[name="note"]').fill('已更换灯管，试灯正常');
    await form.locator('textarea[name="labour"]').fill('更换LED灯管');
    await form.locator('textarea[name="parts"]').fill('LED灯管×2');
    // Paid work without the owner's opinion is refused by the form (required) before anything is sent.
    await form.locator('[data-testid="action-submit"]').click();
    expect(await task.getAttribute('data-status')).toBe('on_site');
    await form.locator('textarea[name="ownerOpinion"]').fill('满意，已付款');
    await form.locator('[data-testid="action-submit"]').click();
    // Done: it leaves his tasks but stays under 已完工 until the callback, for a further report.
    await task.waitFor({ state: 'detached', timeout: 2_000 });
    const finished = tablet.locator(`[data-testid="list-finished"] [data-ticket-id="${ticketId}"]`);
    await finished.waitFor({ timeout: 2_000 });
    expect(await finished.getAttribute('data-status')).toBe('done');
    await finished.locator('button[data-action="report"]').click();
    await finished.locator('textarea[name="note"]').fill('业主又来电：另一盏灯也闪，明天上午带灯管再来');
    await finished.locator('[data-testid="action-submit"]').click();
    await expect.poll(() => finished.locator('[data-testid="action-message"]').textContent()).toContain('已提交');
    const [report] = await api.db.query<Array<{ note: string }>>(`SELECT data->'input'->>'note' AS note FROM event_log WHERE type = 'ticket.report' AND ticket_id = $1`, [ticketId]);
    expect(report.note).toContain('明天上午');
    await tablet.screenshot({ path: resolve(SCREENSHOTS, 'field-finished.png') });
    const [sheet] = await api.db.query<Array<{ data: { ownerOpinion: string; parts: unknown[] } }>>(
      `SELECT data FROM ticket_document WHERE ticket_id = $1 AND kind = 'repair_sheet'`,
      [ticketId],
    );
    expect(sheet.data).toMatchObject({ ownerOpinion: '满意，已付款', parts: [{ name: 'LED灯管', quantity: 2 }] });
  });

  it('the desk calls back with satisfaction and closes; the timeline holds every step', async () => {
    const detail = desk.locator(`[data-testid="ticket-detail"][data-ticket-id="${ticketId}"]`);
    await expect.poll(() => detail.getAttribute('data-status')).toBe('done');
    await detail.locator('button[data-action="callback"]').click();
    const form = detail.locator('[data-testid="action-form"]');
    await form.locator('textarea[name="result"]').fill('业主表示灯已正常');
    await form.locator('input[name="satisfaction"][value="satisfied"]').check();
    await form.locator('[data-testid="action-submit"]').click();
    await expect.poll(() => detail.getAttribute('data-status')).toBe('callback_done');
    // Called back: the finished task leaves the technician's tablet.
    await tablet.locator(`[data-testid="list-finished"] [data-ticket-id="${ticketId}"]`).waitFor({ state: 'detached', timeout: 2_000 });
    await detail.locator('button[data-action="close"]').click();
    await expect.poll(() => detail.getAttribute('data-status')).toBe('closed');
    await expect
      .poll(() => detail.locator('[data-testid="timeline"] li').evaluateAll((items) => items.map((item) => item.getAttribute('data-type'))))
      .toEqual(expect.arrayContaining(['ticket.created', 'ticket.dispatch', 'ticket.accept', 'ticket.arrive', 'ticket.complete', 'ticket.callback', 'ticket.close']));
    await desk.screenshot({ path: resolve(SCREENSHOTS, 'dispatch-closed.png') });
    const [row] = await api.db.query<Array<{ status: string; closed_at: Date | null }>>(`SELECT status, closed_at FROM ticket WHERE id = $1`, [ticketId]);
    expect(row.status).toBe('closed');
    expect(row.closed_at).not.toBeNull();
  });

  it('a ticket created over HTTP reaches the right department\'s tablet within 2 s, and not another\'s', async () => {
    const cleanerTablet = await signedInPage(browser, api.url, 'cleaner', '/field', { width: 390, height: 844 });
    await waitLive(cleanerTablet);
    const leak = await deskApi.post('/api/tickets').send(repairFrom('2-2-601', { category: 'water_leak' }));
    await deskApi.post(`/api/tickets/${leak.body.id}/actions`).send({ action: 'dispatch', version: leak.body.version });
    await tablet.locator(`[data-testid="list-department"] [data-ticket-id="${leak.body.id}"]`).waitFor({ timeout: 2_000 });
    const mess = await deskApi.post('/api/tickets').send(repairFrom('2-2-602', { category: 'hygiene', description: '楼道有垃圾' }));
    await deskApi.post(`/api/tickets/${mess.body.id}/actions`).send({ action: 'dispatch', version: mess.body.version });
    await cleanerTablet.locator(`[data-ticket-id="${mess.body.id}"]`).waitFor({ timeout: 2_000 });
    // Each department sees its own: the leak never reaches the cleaner, the mess never the technician.
    expect(await cleanerTablet.locator(`[data-ticket-id="${leak.body.id}"]`).count()).toBe(0);
    expect(await tablet.locator(`[data-ticket-id="${mess.body.id}"]`).count()).toBe(0);
    await cleanerTablet.screenshot({ path: resolve(SCREENSHOTS, 'field-390.png'), fullPage: true });

    // In English, with a task of her own (accepted: the call button, the big clock, the buttons) and
    // one new: nothing wider than the 390 px phone.
    const cleaner = client(api.url, await login(api.url, 'cleaner'));
    await cleaner.post(`/api/tickets/${mess.body.id}/actions`).send({ action: 'accept', version: mess.body.version + 1 });
    const more = await deskApi.post('/api/tickets').send(repairFrom('2-1-601', { category: 'hygiene', description: 'Rubbish left on the 6th floor landing by the lift' }));
    await deskApi.post(`/api/tickets/${more.body.id}/actions`).send({ action: 'dispatch', version: more.body.version });
    await cleanerTablet.click('[data-testid="locale-switch"]');
    await cleanerTablet.locator(`[data-testid="list-mine"] [data-ticket-id="${mess.body.id}"]`).waitFor({ timeout: 2_000 });
    await cleanerTablet.locator(`[data-testid="list-department"] [data-ticket-id="${more.body.id}"]`).waitFor({ timeout: 2_000 });
    await expect.poll(() => cleanerTablet.locator('h2').first().textContent()).toContain('My tasks');
    const overflow = await cleanerTablet.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      wide: [...document.querySelectorAll('body *')].filter((node) => node.getBoundingClientRect().right > window.innerWidth + 0.5).map((node) => `${node.tagName.toLowerCase()}.${node.className}`.slice(0, 60)),
    }));
    expect(overflow).toEqual({ page: 390, wide: [] });
    await cleanerTablet.screenshot({ path: resolve(SCREENSHOTS, 'field-390-en.png'), fullPage: true });
    await cleanerTablet.context().close();
  });
});
