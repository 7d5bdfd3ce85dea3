import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AnyDomainEvent } from '@dispatch/domain';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, client, login, type RunningApi, resetTickets, startApi } from '../support/api';
import { launchChromium, signedInPage, waitLive } from '../support/browser';
import { type CuttableProxy, cuttableProxy } from '../support/cuttable-proxy';
import { repairFrom } from '../support/fixtures';
import { shortenPolicy } from '../support/sla';

const SCREENSHOTS = resolve(__dirname, '../../test-results/screenshots');

describe('wallboard: deadlines, alarms and a network drop', () => {
  let api: RunningApi;
  let proxy: CuttableProxy;
  let browser: Browser;
  let board: Page;
  let desk: Client;
  let admin: Client;

  beforeAll(async () => {
    api = await startApi();
    await resetTickets(api.db);
    mkdirSync(SCREENSHOTS, { recursive: true });
    proxy = await cuttableProxy(api.url);
    browser = await launchChromium();
    desk = client(api.url, await login(api.url, 'dispatcher'));
    admin = client(api.url, await login(api.url, 'admin'));
    board = await signedInPage(browser, proxy.url, 'dispatcher', '/wallboard', { width: 1920, height: 1080 });
    await waitLive(board);
  });
  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await api?.close();
  });

  it('a countdown turns amber at the warning share and, at the deadline, a solid red chip counting up', async () => {
    const restore = await shortenPolicy(admin, { clock: 'dispatch', kind: 'help' }, { durationSeconds: 4, warningShare: 0.5 });
    try {
      const created = await desk.post('/api/tickets').send(repairFrom('3-1-101', { kind: 'help', category: 'other', description: '老人摔倒求助', repair: undefined }));
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const countdown = board.locator(`[data-ticket-id="${created.body.id}"] [data-testid="countdown"]`);
      await countdown.waitFor({ timeout: 2_000 });
      await expect.poll(() => countdown.getAttribute('data-phase'), { timeout: 4_000, interval: 100 }).toBe('warning');
      await board.screenshot({ path: resolve(SCREENSHOTS, 'wallboard-amber.png') });
      await expect.poll(() => countdown.getAttribute('data-phase'), { timeout: 4_000, interval: 100 }).toBe('breached');
      const first = await countdown.textContent();
      expect(first).toMatch(/^\+0:0\d$/);
      await expect.poll(() => countdown.textContent(), { timeout: 3_000 }).not.toBe(first);
      // A solid chip, white on red, that never fades (WCAG AA: at least 4.5:1).
      const style = await countdown.evaluate((element) => ({ animation: getComputedStyle(element).animationName, color: getComputedStyle(element).color, background: getComputedStyle(element).backgroundColor }));
      expect(style).toEqual({ animation: 'none', color: 'rgb(255, 255, 255)', background: 'rgb(185, 28, 28)' });
      await board.screenshot({ path: resolve(SCREENSHOTS, 'wallboard-red.png') });
    } finally {
      await restore();
    }
  });

  it('a new alarm rides on top and rings until muted; the mute is logged and shows when it ends', async () => {
    const delivered = await request(api.url)
      .post('/api/alarms')
      .set('X-Device-Key', 'demo-device-key-smoke')
      .send({ deviceId: 'smoke-lobby-4-2', eventId: `wb-${Date.now()}`, kind: 'smoke_fire' });
    expect(delivered.status, JSON.stringify(delivered.body)).toBeLessThan(300);
    const alarm = board.locator(`[data-testid="alarm-strip"] [data-ticket-id="${delivered.body.id}"]`);
    await alarm.waitFor({ timeout: 2_000 });
    expect(await alarm.getAttribute('data-sounding')).toBe('true');
    expect(await board.locator('[data-testid="alarm-total"]').getAttribute('data-ringing')).toBe('true');
    await board.click('[data-testid="sound"]');
    await board.screenshot({ path: resolve(SCREENSHOTS, 'wallboard-alarm.png') });

    await board.click('[data-testid="mute-15"]');
    await expect.poll(() => alarm.getAttribute('data-sounding')).toBe('false');
    await board.locator('[data-testid="muted-until"]').waitFor();
    expect(await board.locator('[data-testid="alarm-total"]').getAttribute('data-ringing')).toBe('false');
    const detail = await desk.get(`/api/tickets/${delivered.body.id}`);
    const muted = (detail.body.timeline as AnyDomainEvent[]).find((event) => event.type === 'alarm.muted');
    expect(muted?.data).toMatchObject({ input: { minutes: 15 }, actor: { name: '王敏' } });

    // Acknowledged by a guard elsewhere: it stays on top until dispatched, silent.
    const guard = client(api.url, await login(api.url, 'guard'));
    const acknowledged = await guard.post(`/api/tickets/${delivered.body.id}/actions`).send({ action: 'acknowledge', version: detail.body.ticket.version });
    expect(acknowledged.status).toBe(200);
    await expect.poll(() => board.locator('[data-testid="muted-until"]').count()).toBe(0);
    expect(await alarm.getAttribute('data-sounding')).toBe('false');
    // Nothing left to acknowledge: no count of unacknowledged alarms, no button.
    expect(await board.locator('[data-testid="alarm-total"]').count()).toBe(0);
    expect(await board.locator('[data-testid="acknowledge"]').count()).toBe(0);
  });

  it('after a network drop it reconnects and shows what happened meanwhile, each once', async () => {
    const before = await desk.post('/api/tickets').send(repairFrom('5-2-101'));
    await board.locator(`[data-ticket-id="${before.body.id}"]`).waitFor({ timeout: 2_000 });

    proxy.cut();
    await board.locator('[data-testid="connection"][data-status="offline"]').waitFor({ timeout: 5_000 });
    await board.screenshot({ path: resolve(SCREENSHOTS, 'wallboard-offline.png') });
    const meanwhile = [];
    for (const unit of ['5-2-201', '5-2-301', '5-2-401']) meanwhile.push((await desk.post('/api/tickets').send(repairFrom(unit))).body);
    const dispatched = await desk.post(`/api/tickets/${before.body.id}/actions`).send({ action: 'dispatch', version: before.body.version });
    expect(dispatched.status).toBe(200);
    await new Promise((settle) => setTimeout(settle, 500));
    expect(await board.locator(`[data-ticket-id="${meanwhile[0].id}"]`).count()).toBe(0);

    proxy.restore();
    await waitLive(board, 15_000);
    for (const ticket of meanwhile) await board.locator(`[data-status="received"] [data-ticket-id="${ticket.id}"]`).waitFor({ timeout: 3_000 });
    await board.locator(`[data-status="dispatched"] [data-ticket-id="${before.body.id}"]`).waitFor({ timeout: 3_000 });
    // Once each: no card twice after the replay.
    for (const ticket of [...meanwhile, before.body]) expect(await board.locator(`[data-ticket-id="${ticket.id}"]`).count()).toBe(1);
    await board.screenshot({ path: resolve(SCREENSHOTS, 'wallboard-resumed.png') });
  });

  it('a link that goes silent (open, but nothing comes) turns the board grey within seconds, and back when it speaks', async () => {
    await waitLive(board);
    const main = board.locator('main.wallboard');
    expect(await main.getAttribute('data-stale')).toBe('false');
    proxy.freeze();
    // The heartbeat goes unanswered: stale after 10 s of silence (polled, bounded).
    await expect.poll(() => main.getAttribute('data-stale'), { timeout: 20_000, intervals: [500] }).toBe('true');
    expect(await board.locator('[data-testid="connection"]').textContent()).toContain('无数据');
    await board.screenshot({ path: resolve(SCREENSHOTS, 'wallboard-stale.png') });
    proxy.thaw();
    await expect.poll(() => main.getAttribute('data-stale'), { timeout: 10_000, intervals: [250] }).toBe('false');
  });
});

describe('SLA board', () => {
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

  it('shows the KPIs, the tables and the trend chart, live, and switches to English', async () => {
    const page = await signedInPage(browser, api.url, 'manager', '/sla', { width: 1600, height: 1000 });
    const breaches = page.locator('[data-testid="kpi-breaches"] strong');
    await breaches.waitFor();
    const board = (await client(api.url, await login(api.url, 'manager')).get('/api/sla/board')).body as { breachesNow: number; perDepartment: unknown[] };
    expect(Number(await breaches.textContent())).toBe(board.breachesNow);
    expect(await page.locator('[data-testid="per-department"] tbody tr').count()).toBe(board.perDepartment.length);
    await page.locator('[data-testid="trend-chart"]').waitFor();
    expect(await page.locator('[data-testid="trend-chart"]').evaluate((canvas) => (canvas as HTMLCanvasElement).width)).toBeGreaterThan(100);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'sla-board.png') });

    // A new ticket moves the open-by-age count without a reload.
    const openUnderHour = page.locator('[data-bucket="<1h"] strong');
    const before = Number(await openUnderHour.textContent());
    await client(api.url, await login(api.url, 'dispatcher')).post('/api/tickets').send(repairFrom('6-1-101'));
    await expect.poll(() => openUnderHour.textContent().then(Number), { timeout: 5_000 }).toBe(before + 1);

    await page.click('[data-testid="locale-switch"]');
    await expect.poll(() => page.locator('header h1').textContent()).toBe('SLA board');
    expect(await page.locator('[data-testid="kpi-breaches"] span').textContent()).toBe('Breached now');
    await page.screenshot({ path: resolve(SCREENSHOTS, 'sla-board-en.png') });
    // Remembered on this device.
    await page.reload();
    await expect.poll(() => page.locator('header h1').textContent()).toBe('SLA board');
    await page.context().close();
  });
});
