import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApi, startApi } from '../support/api';
import { launchChromium, waitLive } from '../support/browser';

/** Collects every content-security-policy violation the page reports, from its first script on. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  return () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

/** The console under its content-security policy, signed in with the refresh cookie only. */
describe('the console under its security policy', () => {
  let api: RunningApi;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    api = await startApi();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1680, height: 1000 } });
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('signs in, goes live over the socket and reloads still signed in, with no policy violation and no token in storage', async () => {
    const page = await context.newPage();
    const violations = await watchViolations(page);
    const first = await page.goto(`${api.url}/login`);
    expect(first?.headers()['content-security-policy']).toMatch(/script-src 'self' 'sha256-[\w+/=]+'/);
    await page.fill('input[name="username"]', 'dispatcher');
    await page.fill('input[name="password"]', 'demo1234');
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/dispatch$/);
    await waitLive(page);

    await page.reload();
    await waitLive(page);
    expect(page.url()).toMatch(/\/dispatch$/);
    expect(await violations()).toEqual([]);

    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
    expect(stored).not.toMatch(/eyJ|dispatch_refresh|refreshToken|accessToken/);
    expect(await page.evaluate(() => document.cookie)).not.toContain('dispatch_refresh'); // httpOnly
    const [cookie] = (await context.cookies()).filter((one) => one.name === 'dispatch_refresh');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/auth' });
    await page.close();
  });

  it('two tabs of one browser reloading at the same moment both stay signed in (renewals take turns)', async () => {
    const tabs = await Promise.all([context.newPage(), context.newPage(), context.newPage()]);
    await Promise.all(tabs.map((tab) => tab.goto(`${api.url}/wallboard`)));
    for (const tab of tabs) await waitLive(tab);
    await Promise.all(tabs.map((tab) => tab.reload()));
    for (const tab of tabs) {
      await waitLive(tab);
      expect(tab.url()).toMatch(/\/wallboard$/);
    }
    // Nobody's renewal was taken for a stolen copy: the session is still good for a new tab.
    const later = await context.newPage();
    await later.goto(`${api.url}/dispatch`);
    await waitLive(later);
    await Promise.all([...tabs, later].map((tab) => tab.close()));
  });

  it('signing out in one tab ends the sign-in: a reload goes to the sign-in page', async () => {
    const page = await context.newPage();
    await page.goto(`${api.url}/dispatch`);
    await waitLive(page);
    await page.getByRole('button', { name: /退出|Sign out/ }).click();
    await page.waitForURL(/\/login$/);
    await page.goto(`${api.url}/dispatch`);
    await page.waitForURL(/\/login$/);
    expect((await context.cookies()).filter((one) => one.name === 'dispatch_refresh')).toEqual([]);
  });
});
