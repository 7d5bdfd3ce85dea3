import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** What a response that is not the console's page may load: nothing (JSON is not rendered). */
export const API_ONLY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/**
 * The content-security policy to send as a header, read from the console's built page: the
 * policy is written once in svelte.config.js (`kit.csp`), and SvelteKit puts it, with the
 * hash of its inline start-up script, in a <meta> of index.html. A header also carries what
 * a <meta> cannot: `frame-ancestors` (no other site may frame the console).
 */
export function policyOfPage(html: string): string | null {
  const meta = /<meta\s+http-equiv="content-security-policy"\s+content="([^"]+)"/i.exec(html);
  if (!meta) return null;
  const policy = meta[1].replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').trim();
  return `${policy.replace(/;\s*$/, '')}; frame-ancestors 'none'`;
}

/** The header for a console build folder; the api-only policy when there is no build or no policy in it. */
export function consolePolicy(consoleDir: string): string {
  try {
    return policyOfPage(readFileSync(resolve(consoleDir, 'index.html'), 'utf8')) ?? API_ONLY_POLICY;
  } catch {
    return API_ONLY_POLICY;
  }
}

// `node content-security-policy.js <console build>` prints the nginx lines that send the same
// policy (the console image runs it at build time, so nginx and the api cannot disagree).
if (require.main === module) {
  const policy = consolePolicy(process.argv[2] ?? '.');
  process.stdout.write(`add_header Content-Security-Policy "${policy}" always;\n`);
}
