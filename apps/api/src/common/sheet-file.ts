import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { invalidField } from './errors';

export type SheetFormat = 'csv' | 'xlsx';

/** An archive import: 20,000 rows of XLSX fit well inside. */
export const SHEET_BODY_LIMIT = '10mb';
/** What an uploaded spreadsheet may say it is. */
export const SHEET_UPLOAD_TYPES = ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/octet-stream'];

export const SHEET_MIME: Record<SheetFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** What a file is, from its first bytes: an XLSX is a zip; anything else is read as CSV. */
export function sheetFormatOf(file: Buffer): SheetFormat {
  return file.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])) ? 'xlsx' : 'csv';
}

/**
 * The first sheet of a file as rows of cell texts. A CSV saved by Chinese Excel is GB18030,
 * not UTF-8: read as such when it is not valid UTF-8. An XLSX cell's shown text is taken (a
 * phone typed as a number keeps its digits).
 */
export async function readSheet(file: Buffer, format: SheetFormat): Promise<string[][]> {
  if (format === 'csv') {
    const text = decodeText(file);
    try {
      return (parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][]).map((row) => row.map(revived));
    } catch (error) {
      throw invalidField('file', `is not a readable CSV (${(error as Error).message.slice(0, 120)})`);
    }
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
  } catch {
    throw invalidField('file', 'is not a readable XLSX workbook');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw invalidField('file', 'the workbook has no sheet');
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cells[column - 1] = cellText(cell);
    });
    rows.push(Array.from(cells, (cell) => cell ?? ''));
  });
  return rows;
}

/** A header row and data rows as a file to download. */
export async function writeSheet(header: string[], rows: string[][], format: SheetFormat, title: string): Promise<Buffer> {
  if (format === 'csv') {
    // With a BOM, so Excel opens the Chinese text as UTF-8; no cell a spreadsheet would run as a formula.
    return Buffer.concat([Buffer.from('\ufeff'), Buffer.from(stringify([header, ...rows.map((row) => row.map(inert))]))]);
  }
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(title);
  sheet.addRow(header).font = { bold: true };
  // Text cells throughout: a phone stays a phone, not 1.38E+10.
  for (const row of rows) sheet.addRow(row);
  sheet.columns.forEach((column) => {
    column.numFmt = '@';
    column.width = 16;
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * A cell Excel would read as a formula (=, @, or + and - not starting a number: CSV injection)
 * written with a leading apostrophe, which Excel shows as text; read back without it.
 */
const FORMULA = /^(?:[=@\t\r]|[+-](?![\d\s(]))/;
export function inert(cell: string): string {
  return FORMULA.test(cell) ? `'${cell}` : cell;
}
function revived(cell: string): string {
  return cell.startsWith("'") && FORMULA.test(cell.slice(1)) ? cell.slice(1) : cell;
}

function decodeText(file: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(file);
  } catch {
    return new TextDecoder('gb18030').decode(file);
  }
}

function cellText(cell: ExcelJS.Cell): string {
  const value = cell.value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return cell.text ?? '';
}
