import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { OPEN_STATUSES, type TicketView } from '@dispatch/domain';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { hashToken } from '../../apps/api/src/common/token-hash';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, client, login, type RunningApi, resetTickets, startApi } from '../support/api';
import { launchChromium, seriousAxeProblems, signedInPage, waitLive } from '../support/browser';
import { nthUnit, repairFrom } from '../support/fixtures';
import { createAs, stepAs } from '../support/loop';

const SCREENSHOTS = resolve(__dirname, '../../test-results/screenshots');
const DEMO_KEYS: Record<string, string> = { 'ir-3-201': 'demo-device-key', 'smoke-lobby-4-2': 'demo-device-key-smoke', 'lift-4-2': 'demo-device-key-lift', 'leak-b1': 'demo-device-key-leak' };

/** How many tickets of the load go to each state: 80 in all, most waiting for dispatch. */
const LOAD: Array<[TicketView['status'], number]> = [
  ['received', 34],
  ['dispatched', 14],
  ['accepted', 10],
  ['on_site', 9],
  ['done', 6],
  ['callback_done', 3],
  ['waiting', 4],
];

/** Everything on the board lies inside the screen: no scrollbar, nothing cut off at an edge. */
async function outsideViewport(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const { innerWidth: width, innerHeight: height } = window;
    if (document.documentElement.scrollWidth > width) out.push(`page is ${document.documentElement.scrollWidth}px wide`);
    if (document.documentElement.scrollHeight > height) out.push(`page is ${document.documentElement.scrollHeight}px tall`);
    for (const element of document.querySelectorAll('main.wallboard *')) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      // Inside a card that is itself clipped (its text ellipsed) only the card's box counts.
      if (element.closest('.cards') && !element.matches('.cards, .card, .more')) continue;
      if (box.left < -1 || box.top < -1 || box.right > width + 1 || box.bottom > height + 1) out.push(`${element.tagName.toLowerCase()}.${element.className} at ${Math.round(box.right)}x${Math.round(box.bottom)}`);
    }
    return out.slice(0, 10);
  });
}

/** The wallboard of a real shift's peak: 80 live tickets and 5 alarms, zh and en, HD and 4K. */
describe('the wallboard at full load', () => {
  let api: RunningApi;
  let browser: Browser;
  let desk: Client;
  const expected = new Map<string, number>();

  beforeAll(async () => {
    api = await startApi();
    await resetTickets(api.db);
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
    desk = client(api.url, await login(api.url, 'dispatcher'));
    const field = client(api.url, await login(api.url, 'technician'));
    let n = 0;
    for (const [status, count] of LOAD) {
      expected.set(status, count);
      await Promise.all(
        Array.from({ length: count }, async () => {
          const i = n++;
          let ticket = await createAs(desk, repairFrom(nthUnit(i % 144), { category: ['lights', 'water_leak', 'door_lock', 'lift'][Math.floor(i / 144)] }));
          if (status === 'received') return;
          ticket = await stepAs(desk, ticket, 'dispatch');
          if (status === 'waiting') return void (await stepAs(desk, ticket, 'wait', { reason: '等配件', agreedAt: new Date(Date.now() + 3 * 86_400_000).toISOString(), ownerToldVia: 'phone' }));
          if (status === 'dispatched') return;
          ticket = await stepAs(field, ticket, 'accept');
          if (status === 'accepted') return;
          ticket = await stepAs(field, ticket, 'arrive');
          if (status === 'on_site') return;
          ticket = await stepAs(field, ticket, 'complete', { note: '已修好' });
          if (status === 'done') return;
          await stepAs(desk, ticket, 'callback', { result: '满意', satisfaction: 'satisfied' });
        }),
      );
    }
    // Five alarms: four devices, one of them twice (the first aged out of its storm window).
    // The demo keys as seeded (earlier files rotate some of them).
    for (const [deviceId, key] of Object.entries(DEMO_KEYS)) await api.db.query('UPDATE device SET key_hash = $2 WHERE id = $1', [deviceId, hashToken(key)]);
    const devices = [
      ['ir-3-201', 'intrusion'],
      ['smoke-lobby-4-2', 'smoke_fire'],
      ['lift-4-2', 'lift_entrapment'],
      ['leak-b1', 'water_leak'],
      ['ir-3-201', 'intrusion'],
    ].map(([deviceId, kind]) => [deviceId, DEMO_KEYS[deviceId], kind]);
    for (const [index, [deviceId, key, kind]] of devices.entries()) {
      await api.db.query(`UPDATE alarm SET last_seen_at = last_seen_at - interval '1 day' WHERE device_id = $1`, [deviceId]);
      const res = await request(api.url).post('/api/alarms').set('x-device-key', key).send({ deviceId, eventId: `load-${index}`, kind });
      expect(res.status).toBe(201);
    }
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  for (const [width, height] of [
    [1920, 1080],
    [3840, 2160],
  ]) {
    for (const locale of ['zh', 'en'] as const) {
      it(`fits ${width}×${height} in ${locale}: every column counted, the rest as "+N", nothing off-screen`, async () => {
        const page = await signedInPage(browser, api.url, 'dispatcher', '/wallboard', { width, height });
        await waitLive(page);
        if (locale === 'en') await page.click('[data-testid="locale-switch"]');
        await expect.poll(() => page.locator('[data-testid="open-total"]').textContent()).toBe('85');

        for (const status of OPEN_STATUSES) {
          const column = page.locator(`.column[data-status="${status}"]`);
          const count = expected.get(status) ?? 0;
          expect(await column.locator('[data-testid="column-count"]').textContent(), status).toBe(String(count));
          // Read in one go: the board may still be settling its measured capacity.
          const shownPlusMore = () =>
            column.evaluate((node) => node.querySelectorAll('[data-testid="ticket-card"]').length + Number(node.querySelector('[data-testid="column-more"]')?.getAttribute('data-more') ?? 0));
          await expect.poll(shownPlusMore, { message: status }).toBe(count);
        }
        // Alarms: one row, three cards and "+2".
        expect(await page.locator('[data-testid="alarm-strip"] [data-testid="ticket-card"]').count()).toBe(3);
        expect(await page.locator('[data-testid="alarm-more"]').textContent()).toMatch(/\+2/);
        await expect.poll(() => outsideViewport(page)).toEqual([]);
        for (const always of ['server-clock', 'connection', 'open-total']) expect(await page.locator(`[data-testid="${always}"]`).isVisible(), always).toBe(true);
        expect(await page.locator('.department').count()).toBe(5);

        expect(await seriousAxeProblems(page, 'main.wallboard')).toEqual([]);
        await page.screenshot({ path: resolve(SCREENSHOTS, `wallboard-load-${width}-${locale}.png`) });
        await page.context().close();
      });
    }
  }

  it('counts every open ticket when more are open than one page of the snapshot holds (500)', async () => {
    const more = 440;
    for (let batch = 0; batch < more; batch += 20) {
      await Promise.all(Array.from({ length: 20 }, (_, i) => createAs(desk, repairFrom(nthUnit((batch + i) % 144), { category: 'hygiene', description: `楼道清洁 ${batch + i}` }))));
    }
    const [{ count }] = await api.db.query<Array<{ count: string }>>(`SELECT count(*) FROM ticket WHERE status = ANY($1)`, [OPEN_STATUSES]);
    expect(Number(count)).toBeGreaterThan(500);
    const page = await signedInPage(browser, api.url, 'dispatcher', '/wallboard', { width: 1920, height: 1080 });
    await waitLive(page);
    await expect.poll(() => page.locator('[data-testid="open-total"]').textContent(), { timeout: 10_000 }).toBe(count);
    expect(await page.locator('.column[data-status="received"] [data-testid="column-count"]').textContent()).toBe(String((expected.get('received') ?? 0) + more));
    await page.context().close();
  }, 120_000);
});
