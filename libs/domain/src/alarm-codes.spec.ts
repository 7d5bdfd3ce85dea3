import { describe, expect, it } from 'vitest';
import { panelCodeKey, readContactId, readSiaDcs, withOwnMeaning } from './alarm-codes';

describe('Contact ID events', () => {
  it.each([
    ['#1234|1130 01 015', { account: '1234', code: '1130', zone: '015', meaning: { alarm: 'intrusion' } }],
    ['#1234|1110 01 003', { code: '1110', meaning: { alarm: 'smoke_fire' } }],
    ['#1234|1120 00 000', { code: '1120', meaning: { alarm: 'panic' } }],
    ['#1234|1137 01 001', { code: '1137', meaning: { alarm: 'fault' } }],
    ['#1234|1154 01 007', { code: '1154', meaning: { alarm: 'water_leak' } }],
    ['#1234|1302 00 000', { code: '1302', meaning: { alarm: 'fault' } }],
    ['#1234|3130 01 015', { code: '3130', meaning: { restore: true } }],
    ['#1234|1401 01 002', { code: '1401', meaning: { ignore: true } }],
    ['#1234|1602 00 000', { code: '1602', meaning: { test: true } }],
    // An unknown code is a fault to look at, never dropped.
    ['#1234|1999 00 000', { code: '1999', meaning: { alarm: 'fault' } }],
    ['#abc1|1130 01 015', { account: 'ABC1' }],
  ])('%s', (data, expected) => {
    expect(readContactId(data)).toMatchObject(expected);
  });

  it('is not fooled by what is not Contact ID', () => {
    for (const data of ['', '#1234', '#1234|2130 01 015', '#1234|1130 01 15', '1234|1130 01 015', '#1234|NBA015']) expect(readContactId(data)).toBeNull();
  });
});

describe('SIA DCS events', () => {
  it.each([
    ['#1234|NBA015', { code: 'BA', zone: '015', meaning: { alarm: 'intrusion' } }],
    ['#1234|Nri1/FA003', { code: 'FA', zone: '003', meaning: { alarm: 'smoke_fire' } }],
    ['#1234|NWA7', { code: 'WA', zone: '007', meaning: { alarm: 'water_leak' } }],
    ['#1234|NBR015', { code: 'BR', meaning: { restore: true } }],
    ['#1234|NRP', { code: 'RP', meaning: { test: true } }],
    ['#1234|NZZ001', { code: 'ZZ', meaning: { alarm: 'fault' } }],
  ])('%s', (data, expected) => {
    expect(readSiaDcs(data)).toMatchObject(expected);
  });
});

describe("an estate's own meaning for a code", () => {
  it('is stored by the code without its qualifier, and a Contact ID restore of an alarm code stays a restore', () => {
    const alarm = readContactId('#1234|1380 01 015');
    const restore = readContactId('#1234|3380 01 015');
    expect(alarm && panelCodeKey('ADM-CID', alarm)).toBe('380');
    expect(alarm && withOwnMeaning('ADM-CID', alarm, { alarm: 'intrusion', severity: 3 }).meaning).toEqual({ alarm: 'intrusion', severity: 3 });
    expect(restore && withOwnMeaning('ADM-CID', restore, { alarm: 'intrusion' }).meaning).toEqual({ restore: true });
    const sia = readSiaDcs('#1234|NYT001');
    expect(sia && panelCodeKey('SIA-DCS', sia)).toBe('YT');
    expect(sia && withOwnMeaning('SIA-DCS', sia, { ignore: true }).meaning).toEqual({ ignore: true });
  });
});
