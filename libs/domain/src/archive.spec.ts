import { describe, expect, it } from 'vitest';
import { changedResidentFields, maskPlate, maskResident, type ResidentRecord, verifiedShare } from './archive';

const record: ResidentRecord = {
  role: 'owner',
  name: '王建国',
  phone: '13800001234',
  wechat: 'wjg1960',
  preferredContactTime: '晚上7点后',
  vehicles: ['粤B12345'],
  pets: '一只猫',
  householdNotes: '独居老人，行动不便',
  emergencyContact: '王小明 13900005678',
  keyOwner: true,
  keyOwnerReason: '业委会委员',
  greeting: '王先生',
};

describe('the owner archive', () => {
  it('masks names, phones and plates, and hides notes while saying they exist', () => {
    const masked = maskResident({ ...record, id: 'r1', unit: '3-1-201', version: 1, verifiedAt: null, movedOutAt: null });
    expect(masked).toMatchObject({
      name: '王**',
      phone: '138****1234',
      wechat: '***',
      vehicles: ['粤B***45'],
      pets: '***',
      householdNotes: '***',
      emergencyContact: '***',
      keyOwner: true,
      greeting: '王先生',
      masked: true,
    });
    expect(maskResident({ ...record, pets: null, id: 'r1', unit: 'x', version: 1, verifiedAt: null, movedOutAt: null }).pets).toBeNull();
    expect(maskPlate('粤B·12345')).toBe('粤B***45');
    expect(maskPlate('B12')).toBe('***');
  });
  it('names the changed fields, never their values', () => {
    expect(changedResidentFields(record, { ...record, phone: '13800009999', vehicles: ['粤B12345', '粤B54321'] })).toEqual(['phone', 'vehicles']);
    expect(changedResidentFields(record, { ...record })).toEqual([]);
  });
  it('counts records verified within six months among those still living there', () => {
    const now = new Date('2026-11-24T00:00:00Z');
    const share = verifiedShare(
      [
        { verifiedAt: '2026-10-01T00:00:00Z', movedOutAt: null },
        { verifiedAt: '2026-03-01T00:00:00Z', movedOutAt: null },
        { verifiedAt: null, movedOutAt: null },
        { verifiedAt: '2026-11-01T00:00:00Z', movedOutAt: '2026-11-10T00:00:00Z' },
      ],
      now,
    );
    expect(share).toEqual({ verified: 1, current: 3, rate: 1 / 3 });
  });
});
