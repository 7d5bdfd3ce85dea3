import { describe, expect, it } from 'vitest';
import { hashToken, tokenMatches } from './token-hash';

describe('token hashes', () => {
  it('stores a SHA-256, never the token', () => {
    expect(hashToken('demo-device-key')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken('demo-device-key')).not.toContain('demo');
  });
  it.each([
    ['demo-device-key', true],
    ['demo-device-key ', false],
    ['', false],
    [undefined, false],
  ])('%j matches the stored hash of demo-device-key: %s', (presented, matches) => {
    expect(tokenMatches(presented, hashToken('demo-device-key'))).toBe(matches);
  });
  it('refuses a malformed stored hash rather than throwing', () => {
    expect(tokenMatches('x', 'not-hex')).toBe(false);
  });
});
