import AxeBuilder from '@axe-core/playwright';
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

/**
 * A page already signed in as `username` at `path`: signed in through the page's own context,
 * so the browser holds the refresh cookie exactly as after the sign-in page.
 */
export async function signedInPage(browser: Browser, baseUrl: string, username: string, path: string, viewport: Viewport, password = 'demo1234'): Promise<Page> {
  const context = await browser.newContext({ viewport });
  const response = await context.request.post(`${baseUrl}/api/auth/login`, { data: { username, password } });
  if (!response.ok()) throw new Error(`sign-in of ${username} failed: ${response.status()}`);
  const page = await context.newPage();
  await page.goto(`${baseUrl}${path}`);
  return page;
}

/** Waits until the page's socket is live (snapshot loaded after the first hello). */
export async function waitLive(page: Page, timeout = 10_000): Promise<void> {
  await page.locator('[data-testid="connection"][data-status="live"]').waitFor({ timeout });
}

/**
 * Serious or critical accessibility problems axe finds on the page as it is now (within
 * `include` when given), each as `rule: n × where` (every node's place), for an
 * `expect(...).toEqual([])` that names what to fix.
 */
export async function seriousAxeProblems(page: Page, include?: string): Promise<string[]> {
  const builder = new AxeBuilder({ page });
  const result = await (include ? builder.include(include) : builder).analyze();
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes.length} × ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}
