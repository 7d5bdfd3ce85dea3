import { type Browser, chromium, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's chromium, headless, as root, with nothing reaching for the outside network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface Viewport {
  width: number;
  height: number;
}

/** A page already signed in as `username` (the session the login page would store), at `path`. */
export async function signedInPage(browser: Browser, baseUrl: string, username: string, path: string, viewport: Viewport, password = 'demo1234'): Promise<Page> {
  const response = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!response.ok) throw new Error(`sign-in of ${username} failed: ${response.status}`);
  const session = (await response.json()) as { accessToken: string; refreshToken: string; user: unknown };
  const context = await browser.newContext({ viewport });
  await context.addInitScript((stored) => {
    if (!sessionStorage.getItem('test.signed-in')) {
      localStorage.setItem('dispatch.session', stored);
      sessionStorage.setItem('test.signed-in', '1');
    }
  }, JSON.stringify({ accessToken: session.accessToken, refreshToken: session.refreshToken, user: session.user }));
  const page = await context.newPage();
  await page.goto(`${baseUrl}${path}`);
  return page;
}

/** Waits until the page's socket is live (snapshot loaded after the first hello). */
export async function waitLive(page: Page, timeout = 10_000): Promise<void> {
  await page.locator('[data-testid="connection"][data-status="live"]').waitFor({ timeout });
}
