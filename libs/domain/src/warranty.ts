import { DateTime } from 'luxon';
import type { Category } from './ticket';

/**
 * Years of the developer's warranty per problem category, counted from the unit's handover
 * (交房日期). Defaults from the national rule (建设工程质量管理条例 第四十条): waterproofing and
 * leaks of roofs, bathrooms and outer walls 5 years; wiring, pipes, fittings and equipment
 * 2 years. A category with no entry is not building work: never under warranty. An estate
 * may set its own periods (its contract with the developer); these are the defaults.
 */
export const DEFAULT_WARRANTY_YEARS: Readonly<Partial<Record<Category, number>>> = {
  water_leak: 5,
  lights: 2,
  lift: 2,
  door_lock: 2,
};

export type WarrantyYears = Partial<Record<Category, number>>;

/** How a repair's in-warranty flag was settled. */
export type WarrantySource = 'computed' | 'override' | 'desk';

export interface WarrantyAnswer {
  /** Under warranty on that day; null when it cannot be computed (no handover date on file). */
  covered: boolean | null;
  /** Last local day of cover (`yyyy-MM-dd`); null when the category has none or the date is unknown. */
  until: string | null;
  years: number | null;
  handoverDate: string | null;
}

/**
 * Is a repair of `category` in a unit handed over on `handoverDate` still under warranty at
 * `at` (in the estate's time zone)? Cover runs to the day before the anniversary: handed
 * over 2024-06-30 with 2 years, covered through 2026-06-29.
 */
export function warrantyOf(input: { handoverDate: string | null; category: Category; at: Date; timezone: string; years?: WarrantyYears }): WarrantyAnswer {
  const years = (input.years ?? DEFAULT_WARRANTY_YEARS)[input.category] ?? null;
  if (years === null || years <= 0) return { covered: false, until: null, years: null, handoverDate: input.handoverDate };
  if (!input.handoverDate) return { covered: null, until: null, years, handoverDate: null };
  const until = DateTime.fromISO(input.handoverDate, { zone: input.timezone }).plus({ years }).minus({ days: 1 });
  const today = DateTime.fromJSDate(input.at, { zone: input.timezone }).startOf('day');
  return { covered: today <= until, until: until.toFormat('yyyy-MM-dd'), years, handoverDate: input.handoverDate };
}

/**
 * The flag a repair is logged with: what was computed, unless the desk says otherwise with a
 * reason (a replaced boiler with its own guarantee, a developer's extension). Where nothing
 * can be computed the desk's word stands (false when it says nothing).
 */
export function settleWarranty(
  answer: WarrantyAnswer,
  desk: { inWarranty?: boolean; reason?: string },
): { ok: true; inWarranty: boolean; source: WarrantySource } | { ok: false; field: 'repair.warrantyReason'; reason: string } {
  if (answer.covered === null) return { ok: true, inWarranty: desk.inWarranty ?? false, source: 'desk' };
  if (desk.inWarranty === undefined || desk.inWarranty === answer.covered) return { ok: true, inWarranty: answer.covered, source: 'computed' };
  if (!desk.reason?.trim()) {
    const computed = answer.covered ? `in warranty until ${answer.until}` : answer.until ? `out of warranty since ${answer.until}` : 'not covered by warranty';
    return { ok: false, field: 'repair.warrantyReason', reason: `the repair is ${computed}: say why it is not` };
  }
  return { ok: true, inWarranty: desk.inWarranty, source: 'override' };
}
