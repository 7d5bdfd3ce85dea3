import { plainToInstance } from 'class-transformer';
import { IsNumber, validateSync } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { MaxDecimals } from './decimals';
import { nulCharacters } from './validation';

class Price {
  @IsNumber()
  @MaxDecimals(2)
  unitPrice!: number;
}

describe('MaxDecimals', () => {
  it.each([
    [35.5, true],
    [35.55, true],
    [0, true],
    [1e6, true],
    [35.555, false],
    // Written with an exponent and no '.': class-validator's own check threw on these (500).
    [1e-7, false],
    [5e-324, false],
    [Number.POSITIVE_INFINITY, false],
  ])('%s is valid: %s', (unitPrice, valid) => {
    const errors = validateSync(plainToInstance(Price, { unitPrice }));
    expect(errors.length === 0).toBe(valid);
  });
});

describe('nulCharacters', () => {
  it('names every field holding U+0000, nested and in keys, and nothing else', () => {
    expect(nulCharacters({ username: 'a\u0000b', password: 'fine' })).toEqual([{ field: 'username', reason: 'must not contain a NUL character' }]);
    expect(nulCharacters({ repairSheet: { parts: [{ name: 'x' }, { name: '\u0000' }] } }).map((p) => p.field)).toEqual(['repairSheet.parts.1.name']);
    expect(nulCharacters({ 'a\u0000': 1 }).map((p) => p.field)).toEqual(['a\\0']);
    expect(nulCharacters('\u0000', 'q')).toEqual([{ field: 'q', reason: 'must not contain a NUL character' }]);
    expect(nulCharacters({ description: '卫生间漏水', n: 1, list: [null, true] })).toEqual([]);
  });
});
