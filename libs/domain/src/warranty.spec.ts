import { describe, expect, it } from 'vitest';
import { settleWarranty, warrantyOf } from './warranty';

const zone = 'Asia/Shanghai';
/** Noon in Shanghai on a local date. */
const on = (date: string) => new Date(`${date}T12:00:00+08:00`);

describe('warranty from the handover date and the category', () => {
  it.each([
    // handover, category, day, covered, until
    ['2024-06-30', 'lights', '2026-06-29', true, '2026-06-29'],
    ['2024-06-30', 'lights', '2026-06-30', false, '2026-06-29'],
    ['2024-06-30', 'water_leak', '2026-06-30', true, '2029-06-29'],
    ['2021-06-30', 'water_leak', '2026-06-29', true, '2026-06-29'],
    ['2021-06-30', 'water_leak', '2026-06-30', false, '2026-06-29'],
    // Handed over on a leap day: the anniversary is 28 February, the cover ends the day before.
    ['2024-02-29', 'door_lock', '2026-02-28', false, '2026-02-27'],
    ['2024-02-29', 'door_lock', '2026-02-27', true, '2026-02-27'],
  ] as const)('handed over %s, %s on %s: covered %s through %s', (handoverDate, category, day, covered, until) => {
    const answer = warrantyOf({ handoverDate, category, at: on(day), timezone: zone });
    expect(answer).toMatchObject({ covered, until });
  });

  it('counts the day in the estate\'s zone: 23:30 UTC on the last day is already the next day in Shanghai', () => {
    expect(warrantyOf({ handoverDate: '2024-06-30', category: 'lights', at: new Date('2026-06-29T15:30:00Z'), timezone: zone }).covered).toBe(true);
    expect(warrantyOf({ handoverDate: '2024-06-30', category: 'lights', at: new Date('2026-06-29T16:30:00Z'), timezone: zone }).covered).toBe(false);
  });

  it('has no cover for what is not building work, and cannot tell without a handover date', () => {
    expect(warrantyOf({ handoverDate: '2025-01-01', category: 'hygiene', at: on('2025-02-01'), timezone: zone })).toMatchObject({ covered: false, until: null });
    expect(warrantyOf({ handoverDate: null, category: 'lights', at: on('2025-02-01'), timezone: zone })).toMatchObject({ covered: null, years: 2 });
  });

  it('reads an estate\'s own periods instead of the national defaults', () => {
    expect(warrantyOf({ handoverDate: '2024-06-30', category: 'lights', at: on('2027-01-01'), timezone: zone, years: { lights: 3 } })).toMatchObject({ covered: true, until: '2027-06-29' });
    expect(warrantyOf({ handoverDate: '2024-06-30', category: 'water_leak', at: on('2025-01-01'), timezone: zone, years: { lights: 3 } }).covered).toBe(false);
  });
});

describe('settling the flag a repair is logged with', () => {
  const inCover = warrantyOf({ handoverDate: '2025-06-30', category: 'lights', at: on('2026-01-01'), timezone: zone });
  const unknown = warrantyOf({ handoverDate: null, category: 'lights', at: on('2026-01-01'), timezone: zone });

  it.each([
    ['computed, the desk silent', inCover, {}, { ok: true, inWarranty: true, source: 'computed' }],
    ['computed, the desk agreeing', inCover, { inWarranty: true }, { ok: true, inWarranty: true, source: 'computed' }],
    ['overridden with a reason', inCover, { inWarranty: false, reason: '业主自行改装的灯具' }, { ok: true, inWarranty: false, source: 'override' }],
    ['overridden without a reason', inCover, { inWarranty: false }, { ok: false, field: 'repair.warrantyReason' }],
    ['overridden with a blank reason', inCover, { inWarranty: false, reason: '   ' }, { ok: false, field: 'repair.warrantyReason' }],
    ['unknown, the desk saying so', unknown, { inWarranty: true }, { ok: true, inWarranty: true, source: 'desk' }],
    ['unknown, the desk silent', unknown, {}, { ok: true, inWarranty: false, source: 'desk' }],
  ] as const)('%s', (_, answer, desk, expected) => {
    expect(settleWarranty(answer, desk)).toMatchObject(expected);
  });
});
