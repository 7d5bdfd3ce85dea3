import ExcelJS from 'exceljs';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asFile, type Client, client, login, type RunningApi, startApi } from '../support/api';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Every resident this file adds has a name with this prefix: removed afterwards, so other files see the archive as seeded. */
const PREFIX = '导入';

/** A workbook written with exceljs here, as an estate's clerk would hand it over (not by the api's own writer). */
async function workbook(header: string[], rows: unknown[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('业主档案');
  sheet.addRow(header);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** A CSV with quoting where a cell needs it. */
const csv = (rows: string[][]) => `${rows.map((row) => row.map((cell) => (/[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(',')).join('\r\n')}\r\n`;

describe('the owner archive as a spreadsheet: import and export', () => {
  let api: RunningApi;
  let supervisor: Client;
  let desk: Client;
  let units: string[];

  /** The 20 bad rows, by line, with the column each is refused for. */
  const bad = new Map<number, string>();
  let file: Buffer;

  const residents = async () => Number((await api.db.query<Array<{ count: string }>>(`SELECT count(*) FROM resident WHERE name LIKE $1`, [`${PREFIX}%`]))[0].count);
  const upload = (body: Buffer, type = XLSX, dryRun = false) => supervisor.post(`/api/archive/import${dryRun ? '?dryRun=true' : ''}`).set('content-type', type).send(body);

  beforeAll(async () => {
    api = await startApi();
    supervisor = client(api.url, await login(api.url, 'supervisor'));
    desk = client(api.url, await login(api.url, 'dispatcher'));
    // 3-1-201 is left out: other files expect its one seeded owner.
    units = (await api.db.query<Array<{ code: string }>>(`SELECT code FROM unit WHERE code <> '3-1-201' ORDER BY code`)).map((row) => row.code);

    // 5,000 rows: tenants and family members (the units' owners on file stay who they are), a
    // phone each, some with plates, key-owner flags and the date they were last confirmed.
    const rows: unknown[][] = [];
    for (let i = 0; i < 5_000; i++) {
      const unit = units[i % units.length];
      rows.push([
        unit,
        i % 3 === 0 ? '家属' : '租户',
        `${PREFIX}${String(i).padStart(4, '0')}`,
        // Typed as numbers, as a spreadsheet holds them.
        13_700_000_000 + i,
        i % 7 === 0 ? `粤B${String(10_000 + i)}、粤A${String(20_000 + i)}` : '',
        i % 50 === 0 ? '是' : '否',
        i % 50 === 0 ? '独居老人' : '',
        i % 2 === 0 ? '2026-10-01' : '',
      ]);
    }
    // Twenty rows broken, each in its own way.
    const breakRow = (index: number, column: string, change: (row: unknown[]) => void) => {
      change(rows[index]);
      bad.set(index + 2, column);
    };
    breakRow(10, 'unit', (row) => (row[0] = '9-9-999'));
    breakRow(20, 'unit', (row) => (row[0] = ''));
    breakRow(30, 'name', (row) => (row[2] = ''));
    breakRow(40, 'name', (row) => (row[2] = `${PREFIX}${'长'.repeat(60)}`));
    breakRow(50, 'role', (row) => (row[1] = '房东'));
    breakRow(60, 'phone', (row) => (row[3] = '请致电物业'));
    breakRow(70, 'keyOwner', (row) => (row[5] = '也许'));
    breakRow(80, 'keyOwnerReason', (row) => ((row[5] = '是'), (row[6] = '')));
    breakRow(90, 'vehicles', (row) => (row[4] = '粤B1234567890123'));
    breakRow(100, 'verifiedAt', (row) => (row[7] = '2026-02-30'));
    breakRow(110, 'verifiedAt', (row) => (row[7] = '上个月'));
    breakRow(120, 'name', (row) => ((row[0] = rows[121][0]), (row[2] = rows[121][2]))); // the same person as the next row: the second is refused
    bad.delete(122);
    bad.set(123, 'name');
    breakRow(130, 'phone', (row) => (row[3] = '12'));
    breakRow(140, 'unit', (row) => (row[0] = '1-1-1O1'));
    breakRow(150, 'role', (row) => (row[1] = 'landlord'));
    breakRow(160, 'keyOwner', (row) => (row[5] = 'maybe'));
    breakRow(170, 'name', (row) => (row[2] = '   '));
    breakRow(180, 'phone', (row) => (row[3] = '+86 138-0000-0000-0000-0000'));
    breakRow(190, 'vehicles', (row) => (row[4] = '粤'));
    breakRow(200, 'unit', (row) => (row[0] = "1-1-101' OR '1'='1"));
    file = await workbook(['房号', '身份', '姓名', '电话', '车牌', '重点住户', '重点住户原因', '核对日期'], rows);
  }, 60_000);

  afterAll(async () => {
    await api?.db.query(`DELETE FROM resident WHERE name LIKE $1`, [`${PREFIX}%`]);
    await api?.close();
  });

  it('a dry run reports what the 5,000-row XLSX would do, each bad row with its line, column and reason, and changes nothing', async () => {
    const imports = async () => (await api.db.query<Array<{ count: string }>>(`SELECT count(*) FROM event_log WHERE type = 'archive.imported'`))[0].count;
    const importsBefore = await imports();
    const res = await upload(file, XLSX, true);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: true, rows: 5_000, created: 4_980, updated: 0, unchanged: 0 });
    expect(res.body.refused).toHaveLength(20);
    expect(Object.fromEntries(res.body.refused.map((row: { row: number; problems: Array<{ field: string }> }) => [row.row, row.problems[0].field]))).toEqual(Object.fromEntries(bad));
    for (const row of res.body.refused) expect(row.problems[0].reason.length, JSON.stringify(row)).toBeGreaterThan(5);
    expect(res.body.refused.find((row: { row: number }) => row.row === 12).problems[0].reason).toBe('there is no unit 9-9-999 in this estate');
    expect(res.body.refused.find((row: { row: number }) => row.row === 123).problems[0].reason).toBe('the same resident as row 122');
    expect(await residents()).toBe(0);
    expect(await imports()).toBe(importsBefore);
  }, 60_000);

  it('imports the 4,980 good rows in one go, logged as one event naming fields, never values; the same file again changes nothing', async () => {
    const res = await upload(file);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: false, rows: 5_000, created: 4_980, updated: 0, unchanged: 0 });
    expect(res.body.refused).toHaveLength(20);
    expect(await residents()).toBe(4_980);

    const [imported] = await api.db.query<Array<{ data: { changes: Array<{ fields: string[] }>; created: number; refused: number }; text: string }>>(
      `SELECT data, data::text AS text FROM event_log WHERE type = 'archive.imported' ORDER BY seq DESC LIMIT 1`,
    );
    expect(imported.data).toMatchObject({ created: 4_980, refused: 20 });
    expect(imported.data.changes).toHaveLength(4_980);
    expect(imported.data.changes[0].fields).toEqual(expect.arrayContaining(['role', 'name', 'phone']));
    expect(imported.text).not.toMatch(/1370000\d{4}|独居老人|导入0/);

    // What was read is what is on file: the phone's digits from a number cell, plates split, the key-owner reason, the date confirmed.
    const [one] = await api.db.query<Array<{ phone: string; phone_digits: string; vehicles: string[]; key_owner: boolean; key_owner_reason: string; role: string; verified_at: Date }>>(
      `SELECT phone, phone_digits, vehicles, key_owner, key_owner_reason, role, verified_at FROM resident WHERE name = $1`,
      [`${PREFIX}0000`],
    );
    expect(one).toMatchObject({ phone: '13700000000', phone_digits: '13700000000', vehicles: ['粤B10000', '粤A20000'], key_owner: true, key_owner_reason: '独居老人', role: 'family' });
    expect(one.verified_at.toISOString()).toBe('2026-10-01T00:00:00.000Z');
    // The desk recognises an imported caller by the whole number.
    const found = await desk.get('/api/residents/search?phone=13700000007');
    expect(found.body.map((resident: { unit: string }) => resident.unit)).toEqual([units[7]]);

    const [before] = await api.db.query<Array<{ versions: string; updated: Date }>>(`SELECT sum(version) AS versions, max(updated_at) AS updated FROM resident WHERE name LIKE $1`, [`${PREFIX}%`]);
    const again = await upload(file);
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 4_980 });
    expect(again.body.refused).toHaveLength(20);
    const [after] = await api.db.query<Array<{ versions: string; updated: Date }>>(`SELECT sum(version) AS versions, max(updated_at) AS updated FROM resident WHERE name LIKE $1`, [`${PREFIX}%`]);
    expect(after).toEqual(before);
    expect(await residents()).toBe(4_980);
  }, 120_000);

  it('exports every record in full (logged with the reason), and an edited export imported again changes just what was edited', async () => {
    const exported = await asFile(supervisor.post('/api/archive/export').send({ format: 'xlsx', reason: '年度档案核对' }));
    expect(exported.status).toBe(200);
    expect(exported.headers['content-type']).toBe(XLSX);
    expect(exported.headers['content-disposition']).toContain(encodeURIComponent('业主档案'));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(exported.body as Buffer);
    const sheet = book.worksheets[0];
    expect((sheet.getRow(1).values as unknown[]).slice(1, 4)).toEqual(['房号', '身份', '姓名']);
    const [{ count: current }] = await api.db.query<Array<{ count: string }>>(`SELECT count(*) FROM resident WHERE moved_out_at IS NULL`);
    expect(sheet.actualRowCount - 1).toBe(Number(current));
    // In full: the export is for the people who answer for the archive, and says so in the log.
    const texts: string[][] = [];
    sheet.eachRow((row) => texts.push((row.values as unknown[]).slice(1).map((value) => String(value ?? ''))));
    const mine = texts.find((row) => row[2] === `${PREFIX}0007`);
    expect(mine?.slice(0, 4)).toEqual([units[7], '租户', `${PREFIX}0007`, '13700000007']);
    const [logged] = await api.db.query<Array<{ data: { records: number; reason: string; actor: { name: string } } }>>(`SELECT data FROM event_log WHERE type = 'archive.exported' ORDER BY seq DESC LIMIT 1`);
    expect(logged.data).toMatchObject({ records: Number(current), reason: '年度档案核对' });

    // The clerk fixes one phone in a CSV with the same header and sends it back.
    const header = texts[0];
    const edited = texts.filter((row) => row[2] === `${PREFIX}0007` || row[2] === `${PREFIX}0008`).map((row) => (row[2] === `${PREFIX}0007` ? row.map((cell, i) => (header[i] === '电话' ? '13911112222' : cell)) : row));
    const res = await upload(Buffer.from(`\ufeff${csv([header, ...edited])}`), 'text/csv');
    expect(res.body).toMatchObject({ created: 0, updated: 1, unchanged: 1, refused: [] });
    const [change] = await api.db.query<Array<{ data: { changes: Array<{ fields: string[] }> } }>>(`SELECT data FROM event_log WHERE type = 'archive.imported' ORDER BY seq DESC LIMIT 1`);
    expect(change.data.changes.map((one) => one.fields)).toEqual([['phone']]);
  }, 60_000);

  it('reads a CSV saved by Chinese Excel (GB18030) and a header in English', async () => {
    const gbk = iconv.encode(csv([['房号', '身份', '姓名', '电话'], [units[0], '家属', `${PREFIX}国标`, '13800138000']]), 'gb18030');
    expect((await upload(gbk, 'text/csv')).body).toMatchObject({ created: 1, refused: [] });
    const english = csv([['Unit', 'Role', 'Name', 'Phone'], [units[1], 'tenant', `${PREFIX}English`, '13800138001']]);
    expect((await upload(Buffer.from(english), 'text/csv')).body).toMatchObject({ created: 1, refused: [] });
    const [row] = await api.db.query<Array<{ role: string }>>(`SELECT role FROM resident WHERE name = $1`, [`${PREFIX}国标`]);
    expect(row.role).toBe('family');
  });

  it('refuses a file it cannot read whole, saying why, and writes nothing', async () => {
    const before = await residents();
    const unknownColumn = await upload(Buffer.from(csv([['房号', '姓名', '身份证号'], [units[0], `${PREFIX}X`, '440000']])), 'text/csv');
    expect(unknownColumn.status).toBe(400);
    expect(unknownColumn.body.details).toEqual([{ field: 'header.column 3', reason: 'unknown column "身份证号"' }]);
    const noName = await upload(Buffer.from(csv([['房号', '电话'], [units[0], '13800138000']])), 'text/csv');
    expect(noName.body.details).toEqual([{ field: 'header.name', reason: 'the file has no such column' }]);
    const broken = await upload(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), XLSX);
    expect(broken.status).toBe(400);
    expect(broken.body.details).toEqual([{ field: 'file', reason: 'is not a readable XLSX workbook' }]);
    const json = await supervisor.post('/api/archive/import').send({ rows: [] });
    expect(json.status).toBe(415);
    expect(await residents()).toBe(before);
  });

  it('answers any file, however hostile, with a report or a 400 and never a 5xx (generated CSVs and byte strings, dry)', async () => {
    const cell = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('', '是', '否', '房东', "' OR 1=1 --", '\u0000', '=cmd|calc', '"', '\r\n'), fc.constantFrom(...units.slice(0, 3)));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { maxLength: 8 }), fc.uint8Array({ maxLength: 200 }), async (rows, bytes) => {
        const text = await upload(Buffer.from(csv([['房号', '身份', '姓名', '电话', '重点住户', '车牌'], ...rows])), 'text/csv', true);
        expect([200, 400], JSON.stringify(rows).slice(0, 200)).toContain(text.status);
        const raw = await upload(Buffer.from(bytes), 'application/octet-stream', true);
        expect([200, 400, 415]).toContain(raw.status);
      }),
      { numRuns: 60 },
    );
    expect(await residents()).toBeGreaterThan(0);
  }, 120_000);

  it('is for the supervisor and the administrator: the desk may not import or export the archive', async () => {
    expect((await desk.post('/api/archive/import').set('content-type', 'text/csv').send('房号,姓名\n')).status).toBe(403);
    expect((await desk.post('/api/archive/export').send({ format: 'csv', reason: '想看看' })).status).toBe(403);
    expect((await request(api.url).post('/api/archive/export').send({ format: 'csv', reason: '想看看' })).status).toBe(401);
  });

  it('gives 档案信息准确率: current records confirmed within the months asked, over all current records', async () => {
    const res = await desk.get('/api/archive/accuracy?months=6');
    expect(res.status).toBe(200);
    const [expected] = await api.db.query<Array<{ verified: string; current: string }>>(
      `SELECT count(*) FILTER (WHERE verified_at >= now() - interval '6 months') AS verified, count(*) AS current FROM resident WHERE moved_out_at IS NULL`,
    );
    expect(res.body).toEqual({ months: 6, verified: Number(expected.verified), current: Number(expected.current), rate: Number(expected.verified) / Number(expected.current) });
    // Half the imported rows were confirmed on 2026-10-01, half never: the rate is well short of 1.
    expect(res.body.rate).toBeLessThan(0.7);
    expect((await desk.get('/api/archive/accuracy?months=0')).status).toBe(400);
  });
});
