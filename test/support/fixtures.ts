import { expect } from 'vitest';

let caller = 0;

/**
 * A repair from an owner's unit, as a dispatcher would log a phone call. Each call comes
 * from its own phone number, so only reports meant as repeats are treated as repeats.
 */
export function repairFrom(unit = '4-2-301', overrides: Record<string, unknown> = {}): Record<string, unknown> {
  caller += 1;
  return {
    kind: 'repair',
    channel: 'phone',
    category: 'water_leak',
    description: '卫生间天花板漏水',
    location: { unit },
    reporter: { name: '王先生', phone: `1390100${String(caller).padStart(4, '0')}` },
    repair: { inUnit: true, paid: false },
    ...overrides,
  };
}

interface ErrorResponse {
  status: number;
  body: { statusCode?: number; error?: string; message?: string; details?: Array<{ field: string; reason: string }> };
}

/** The shared error shape: status, and the field named in `details`. */
export function expectFieldError(res: ErrorResponse, status: number, field: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.statusCode).toBe(status);
  expect(typeof res.body.error).toBe('string');
  expect(typeof res.body.message).toBe('string');
  expect(res.body.details?.map((detail) => detail.field)).toContain(field);
  expect(JSON.stringify(res.body)).not.toMatch(/\bat .*\.(ts|js):\d+/);
}

/** The i-th of the demo estate's 144 units (6 buildings, 2 entrances, 6 floors, 2 flats): distinct for i < 144. */
export function nthUnit(i: number): string {
  const building = (i % 6) + 1;
  const entrance = (Math.floor(i / 6) % 2) + 1;
  const floor = (Math.floor(i / 12) % 6) + 1;
  const flat = (Math.floor(i / 72) % 2) + 1;
  return `${building}-${entrance}-${floor}0${flat}`;
}
