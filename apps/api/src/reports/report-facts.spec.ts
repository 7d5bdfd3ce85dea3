import { describe, expect, it } from 'vitest';
import { receivedSlices, SLICE_DAYS, sliceCount } from './report-facts';

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

describe('how many slices a period is counted in', () => {
  it.each([
    // days, threads, slices
    [1, 2, 1],
    [7, 4, 1],
    [8, 2, 2],
    [14, 4, 2],
    [31, 4, 4],
    [92, 2, 2],
    [92, 1, 2],
    [366, 2, 8],
    [366, 4, 8],
    [366, 1, 8],
  ])('%i days on %i threads: %i slices', (days, threads, slices) => {
    expect(sliceCount(days, threads)).toBe(slices);
  });

  it('keeps every slice within SLICE_DAYS and the threads evenly loaded, for any period and thread count', () => {
    for (let threads = 1; threads <= 4; threads++) {
      for (let days = 8; days <= 366; days++) {
        const count = sliceCount(days, threads);
        expect(days / count).toBeLessThanOrEqual(SLICE_DAYS);
        if (count < Math.ceil(days / 7)) expect(count % threads).toBe(0);
      }
    }
  });
});
