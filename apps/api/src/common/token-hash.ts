import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Secrets that are long random tokens (device keys, refresh tokens), not passwords: a fast
 * hash is the right one to keep at rest (argon2 is for guessable passwords).
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Whether a presented token matches a stored hash, compared in constant time. */
export function tokenMatches(presented: string | undefined, storedHash: string): boolean {
  if (!presented) return false;
  const a = Buffer.from(hashToken(presented), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
