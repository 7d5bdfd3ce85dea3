import { RESIDENT_ROLES, type ResidentRecord, type ResidentRole } from './archive';
import type { Label } from './labels';

/**
 * The owner archive as a spreadsheet (导入 / 导出, CSV and XLSX): one row per resident, these
 * columns in this order. A file's header may be in Chinese or English; an export writes the
 * user's language. `verifiedAt` (核对日期) is the day the record was last confirmed with the
 * resident: an import keeps it for a record it adds (so an archive moved from elsewhere keeps its
 * accuracy figure) and never changes it on one already on file (核对 is an act, not a cell).
 */
export const ARCHIVE_COLUMNS = [
  { key: 'unit', label: { zh: '房号', en: 'Unit' } },
  { key: 'role', label: { zh: '身份', en: 'Role' } },
  { key: 'name', label: { zh: '姓名', en: 'Name' } },
  { key: 'phone', label: { zh: '电话', en: 'Phone' } },
  { key: 'wechat', label: { zh: '微信', en: 'WeChat' } },
  { key: 'preferredContactTime', label: { zh: '方便联系时间', en: 'Preferred contact time' } },
  { key: 'vehicles', label: { zh: '车牌', en: 'Plates' } },
  { key: 'pets', label: { zh: '宠物', en: 'Pets' } },
  { key: 'householdNotes', label: { zh: '家庭情况', en: 'Household notes' } },
  { key: 'emergencyContact', label: { zh: '紧急联系人', en: 'Emergency contact' } },
  { key: 'keyOwner', label: { zh: '重点住户', en: 'Key owner' } },
  { key: 'keyOwnerReason', label: { zh: '重点住户原因', en: 'Key owner reason' } },
  { key: 'greeting', label: { zh: '称呼', en: 'Greeting' } },
  { key: 'verifiedAt', label: { zh: '核对日期', en: 'Verified on' } },
] as const satisfies ReadonlyArray<{ key: string; label: Label }>;
export type ArchiveColumn = (typeof ARCHIVE_COLUMNS)[number]['key'];

/** Columns a file must have: which unit, and who. */
export const REQUIRED_ARCHIVE_COLUMNS: readonly ArchiveColumn[] = ['unit', 'name'];

/** Most rows one import takes (a large estate's archive is some thousands). */
export const ARCHIVE_IMPORT_MAX_ROWS = 20_000;

export const RESIDENT_ROLE_LABELS: Record<ResidentRole, Label> = {
  owner: { zh: '业主', en: 'Owner' },
  tenant: { zh: '租户', en: 'Tenant' },
  family: { zh: '家属', en: 'Family' },
};

/** What one row or the file is refused for: the column (its key) and why, in words a clerk can act on. */
export interface SheetProblem {
  field: string;
  reason: string;
}

/** The report of an import: what it did (or, dry, would do), and each refused row with why. */
export interface ArchiveImportReport {
  dryRun: boolean;
  /** Data rows read (the header not counted). */
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  /** `row` is the spreadsheet's own line number (the header is line 1). */
  refused: Array<{ row: number; unit: string | null; problems: SheetProblem[] }>;
}

/**
 * Which column each header cell is, by either language's header (spaces and case ignored).
 * Unknown headers and missing required columns refuse the whole file: a shifted column would
 * write phones into names.
 */
export function archiveHeader(cells: readonly string[]): { columns: Array<ArchiveColumn | null>; problems: SheetProblem[] } {
  const known = new Map<string, ArchiveColumn>();
  for (const column of ARCHIVE_COLUMNS) for (const text of [column.label.zh, column.label.en, column.key]) known.set(normal(text), column.key);
  const problems: SheetProblem[] = [];
  const columns = cells.map((cell, index) => {
    if (cell.trim() === '') return null;
    const column = known.get(normal(cell));
    if (!column) problems.push({ field: `column ${index + 1}`, reason: `unknown column "${cell.trim().slice(0, 40)}"` });
    return column ?? null;
  });
  const seen = new Set<ArchiveColumn>();
  for (const column of columns) {
    if (!column) continue;
    if (seen.has(column)) problems.push({ field: column, reason: 'the column appears twice' });
    seen.add(column);
  }
  for (const column of REQUIRED_ARCHIVE_COLUMNS) if (!seen.has(column)) problems.push({ field: column, reason: 'the file has no such column' });
  return { columns, problems };
}

/** The body of a resident as the row gives it: only what the row says, in the api's shape. */
export type SheetResident = Partial<Omit<ResidentRecord, 'role'>> & { role?: ResidentRole | string };

/**
 * One data row read into a unit code and a resident body, with what could not be read. The
 * api validates the body with the same rules as a resident typed in (lengths, phone format).
 */
export function archiveRow(
  columns: ReadonlyArray<ArchiveColumn | null>,
  cells: readonly string[],
): { unit: string | null; resident: SheetResident; verifiedOn: string | null; problems: SheetProblem[] } {
  const problems: SheetProblem[] = [];
  const resident: SheetResident = {};
  let unit: string | null = null;
  let verifiedOn: string | null = null;
  columns.forEach((column, index) => {
    const text = (cells[index] ?? '').trim();
    if (!column || text === '') return;
    switch (column) {
      case 'unit':
        unit = text;
        return;
      case 'verifiedAt': {
        const date = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text);
        const iso = date ? `${date[1]}-${date[2].padStart(2, '0')}-${date[3].padStart(2, '0')}` : '';
        if (date && !Number.isNaN(Date.parse(iso)) && new Date(iso).toISOString().startsWith(iso)) verifiedOn = iso;
        else problems.push({ field: 'verifiedAt', reason: `"${text.slice(0, 20)}" is not a date like 2026-11-24` });
        return;
      }
      case 'role': {
        const role = roleOf(text);
        if (role) resident.role = role;
        else problems.push({ field: 'role', reason: `"${text.slice(0, 20)}" is not one of 业主, 租户, 家属` });
        return;
      }
      case 'keyOwner': {
        const flag = yesNo(text);
        if (flag === null) problems.push({ field: 'keyOwner', reason: `"${text.slice(0, 20)}" is not 是 or 否` });
        else resident.keyOwner = flag;
        return;
      }
      case 'vehicles':
        resident.vehicles = text.split(/[;；,，、\s]+/).filter(Boolean);
        return;
      default:
        resident[column] = text;
    }
  });
  if (!unit) problems.push({ field: 'unit', reason: 'the unit is empty' });
  if (!resident.name) problems.push({ field: 'name', reason: 'the name is empty' });
  resident.role ??= 'owner';
  return { unit, resident, verifiedOn, problems };
}

/** A resident as one exported row, in column order (the spreadsheet a clerk can edit and import again). */
export function archiveCells(row: ResidentRecord & { unit: string; verifiedAt: string | null }, locale: 'zh' | 'en'): string[] {
  return ARCHIVE_COLUMNS.map(({ key }) => {
    switch (key) {
      case 'role':
        return RESIDENT_ROLE_LABELS[row.role][locale];
      case 'vehicles':
        return row.vehicles.join('、');
      case 'keyOwner':
        return row.keyOwner ? (locale === 'zh' ? '是' : 'yes') : locale === 'zh' ? '否' : 'no';
      case 'verifiedAt':
        return row.verifiedAt ? row.verifiedAt.slice(0, 10) : '';
      default:
        return row[key] ?? '';
    }
  });
}

const normal = (text: string) => text.replace(/\s+/g, '').toLowerCase();

function roleOf(text: string): ResidentRole | null {
  const wanted = normal(text);
  if ((RESIDENT_ROLES as readonly string[]).includes(wanted)) return wanted as ResidentRole;
  const labelled = RESIDENT_ROLES.find((role) => normal(RESIDENT_ROLE_LABELS[role].zh) === wanted || normal(RESIDENT_ROLE_LABELS[role].en) === wanted);
  // 家庭成员 is what many archives call 家属.
  return labelled ?? (wanted === '家庭成员' ? 'family' : null);
}

function yesNo(text: string): boolean | null {
  const value = normal(text);
  if (['是', 'y', 'yes', 'true', '1', '√', '✓'].includes(value)) return true;
  if (['否', 'n', 'no', 'false', '0', ''].includes(value)) return false;
  return null;
}
