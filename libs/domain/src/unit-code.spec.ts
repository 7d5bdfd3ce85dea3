import { describe, expect, it } from 'vitest';
import { parseUnitCode } from './unit-code';

describe('parseUnitCode', () => {
  it.each([
    ['4-2-301', { building: 4, entrance: 2, room: '301', floor: 3, code: '4-2-301' }],
    [' 12-1-1502 ', { building: 12, entrance: 1, room: '1502', floor: 15, code: '12-1-1502' }],
    ['3-1-201', { building: 3, entrance: 1, room: '201', floor: 2, code: '3-1-201' }],
  ])('reads %s', (input, unit) => {
    expect(parseUnitCode(input)).toEqual({ ok: true, unit });
  });

  it.each(['', '4-2', '4/2/301', '0-1-101', '4-2-3', '4-2-301a', 'A-2-301', '4--301', "4-2-301'; drop"])(
    'refuses %j with the expected shape in the reason',
    (input) => {
      const result = parseUnitCode(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toContain('building-entrance-room');
    },
  );
});
