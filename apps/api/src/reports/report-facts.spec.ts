import { describe, expect, it } from 'vitest';
import { receivedSlices } from './report-facts';

const QUARTER = { from: '2026-06-30T16:00:00.000Z', to: '2026-09-30T16:00:00.000Z' };

describe('a period in slices by receipt', () => {
  it.each([1, 2, 3, 4])('%i slices cover every ticket once: the first from any time before, each from where the last ended, the last to the period\'s end', (count) => {
    const slices = receivedSlices(QUARTER, count);
    expect(slices).toHaveLength(count);
    expect(slices[0].from).toBeNull();
    expect(slices.at(-1)?.to).toBe(QUARTER.to);
    for (let index = 1; index < count; index++) {
      expect(slices[index].from).toBe(slices[index - 1].to);
      expect(Date.parse(slices[index].from as string)).toBeGreaterThan(Date.parse(QUARTER.from));
    }
  });

  it('splits the period evenly', () => {
    expect(receivedSlices(QUARTER, 2)).toEqual([
      { from: null, to: '2026-08-15T16:00:00.000Z' },
      { from: '2026-08-15T16:00:00.000Z', to: QUARTER.to },
    ]);
  });
});
