import { describe, expect, it } from 'vitest';
import { depthExceeds } from './bootstrap';

describe('depthExceeds', () => {
  const nest = (levels: number): unknown => (levels === 0 ? 1 : { a: nest(levels - 1) });
  it.each([
    [nest(3), 16, false],
    [nest(17), 16, true],
    [nest(16), 16, false],
    [[[[[1]]]], 3, true],
    ['flat', 0, false],
  ])('%j deeper than %i: %s', (value, limit, expected) => {
    expect(depthExceeds(value, limit)).toBe(expected);
  });

  it('walks 100,000 levels without overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(depthExceeds(deep, 16)).toBe(true);
  });
});
