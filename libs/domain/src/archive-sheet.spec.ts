import { describe, expect, it } from 'vitest';
import { ARCHIVE_COLUMNS, archiveCells, archiveHeader, archiveRow } from './archive-sheet';

describe('the archive as a spreadsheet', () => {
  it('reads a header in either language, in any order, spaces and case ignored', () => {
    expect(archiveHeader(['姓名', ' Unit ', 'PHONE', '车牌']).columns).toEqual(['name', 'unit', 'phone', 'vehicles']);
    expect(archiveHeader(['房号', '姓名', '']).problems).toEqual([]);
  });

  it('refuses the whole file for an unknown column, a column twice, or no unit or name column', () => {
    expect(archiveHeader(['房号', '姓名', '身份证号']).problems).toEqual([{ field: 'column 3', reason: 'unknown column "身份证号"' }]);
    expect(archiveHeader(['房号', '姓名', 'Name']).problems).toEqual([{ field: 'name', reason: 'the column appears twice' }]);
    expect(archiveHeader(['电话']).problems.map((problem) => problem.field)).toEqual(['unit', 'name']);
  });

  it('reads a row: roles and 是/否 in words, plates split on any separator, empty cells left out', () => {
    const { columns } = archiveHeader(['房号', '身份', '姓名', '电话', '车牌', '重点住户', '重点住户原因', '宠物', '核对日期']);
    const row = archiveRow(columns, ['3-1-201', '家庭成员', '王建国', '13800001234', '粤B12345、粤B67890; 粤A1', '是', '独居老人', '', '2026-01-01']);
    expect(row).toEqual({
      unit: '3-1-201',
      resident: { role: 'family', name: '王建国', phone: '13800001234', vehicles: ['粤B12345', '粤B67890', '粤A1'], keyOwner: true, keyOwnerReason: '独居老人' },
      verifiedOn: '2026-01-01',
      problems: [],
    });
    // No role given: an owner, as a record typed in.
    expect(archiveRow(columns, ['1-1-101', '', '李四']).resident.role).toBe('owner');
  });

  it('names each problem of a row by its column', () => {
    const { columns } = archiveHeader(['房号', '身份', '姓名', '重点住户']);
    expect(archiveRow([...columns, 'verifiedAt'], ['1-1-101', '业主', '李四', '否', '2026-02-30']).problems).toEqual([{ field: 'verifiedAt', reason: '"2026-02-30" is not a date like 2026-11-24' }]);
    expect(archiveRow([...columns, 'verifiedAt'], ['1-1-101', '业主', '李四', '否', '2026/3/7']).verifiedOn).toBe('2026-03-07');
    expect(archiveRow(columns, ['', '房东', '', '也许']).problems).toEqual([
      { field: 'role', reason: '"房东" is not one of 业主, 租户, 家属' },
      { field: 'keyOwner', reason: '"也许" is not 是 or 否' },
      { field: 'unit', reason: 'the unit is empty' },
      { field: 'name', reason: 'the name is empty' },
    ]);
  });

  it('writes a row that reads back to the same record (an export can be edited and imported again)', () => {
    const record = {
      unit: '3-1-201',
      role: 'tenant' as const,
      name: '王建国',
      phone: '13800001234',
      wechat: null,
      preferredContactTime: '晚上7点后',
      vehicles: ['粤B12345', '粤B67890'],
      pets: null,
      householdNotes: '独居老人',
      emergencyContact: null,
      keyOwner: true,
      keyOwnerReason: '业委会委员',
      greeting: '王先生',
      verifiedAt: '2026-11-20T08:00:00.000Z',
    };
    for (const locale of ['zh', 'en'] as const) {
      const header = ARCHIVE_COLUMNS.map((column) => column.label[locale]);
      const cells = archiveCells(record, locale);
      expect(cells.at(-1)).toBe('2026-11-20');
      const { columns, problems } = archiveHeader(header);
      expect(problems).toEqual([]);
      const back = archiveRow(columns, cells);
      expect(back.problems).toEqual([]);
      expect(back.unit).toBe('3-1-201');
      expect(back.resident).toEqual({ role: 'tenant', name: '王建国', phone: '13800001234', preferredContactTime: '晚上7点后', vehicles: ['粤B12345', '粤B67890'], householdNotes: '独居老人', keyOwner: true, keyOwnerReason: '业委会委员', greeting: '王先生' });
    }
  });
});
