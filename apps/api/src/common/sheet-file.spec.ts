import { describe, expect, it } from 'vitest';
import { inert, readSheet, writeSheet } from './sheet-file';

describe('spreadsheet files', () => {
  it('writes no CSV cell a spreadsheet would run as a formula, and reads it back as typed', async () => {
    expect(inert('=HYPERLINK("http://x","点我")')).toBe('\'=HYPERLINK("http://x","点我")');
    expect(inert('@SUM(1)')).toBe("'@SUM(1)");
    expect(inert('-2+3')).toBe('-2+3');
    expect(inert('+cmd|calc')).toBe("'+cmd|calc");
    // Phones keep their form: a leading + before digits is a number, not a formula.
    expect(inert('+86 138 0000 0000')).toBe('+86 138 0000 0000');
    const file = await writeSheet(['姓名', '备注'], [['王建国', '=1+1'], ['李四', '+86 138 0000 0000']], 'csv', 'x');
    expect(file.toString('utf8')).toContain("'=1+1");
    expect(await readSheet(file, 'csv')).toEqual([['姓名', '备注'], ['王建国', '=1+1'], ['李四', '+86 138 0000 0000']]);
  });

  it('keeps phones as digits in an XLSX (text cells), and reads a workbook back', async () => {
    const file = await writeSheet(['电话'], [['13800001234'], ['0755-8888 6666']], 'xlsx', 'x');
    expect(await readSheet(file, 'xlsx')).toEqual([['电话'], ['13800001234'], ['0755-8888 6666']]);
  });
});
