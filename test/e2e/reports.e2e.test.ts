import { dayIn, minuteIn } from '@dispatch/domain';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asFile, type Client, client, login, type RunningApi, resetTickets, startApi } from '../support/api';
import { repairFrom } from '../support/fixtures';
import { createAs, stepAs } from '../support/loop';

/** The management reports on a day of tickets made here, every figure checked by hand. */
describe('management reports', () => {
  let api: RunningApi;
  let desk: Client;
  let technician: Client;
  let manager: Client;
  let engineeringSupervisor: Client;
  const today = () => dayIn('Asia/Shanghai', new Date());

  beforeAll(async () => {
    api = await startApi();
    await resetTickets(api.db);
    desk = client(api.url, await login(api.url, 'dispatcher'));
    technician = client(api.url, await login(api.url, 'technician'));
    manager = client(api.url, await login(api.url, 'manager'));
    engineeringSupervisor = client(api.url, await login(api.url, 'eng_supervisor'));

    // Six repairs through the whole loop, each call begun two minutes before it was saved.
    for (let i = 0; i < 6; i++) {
      const started = new Date(Date.now() - 120_000).toISOString();
      let ticket = await createAs(desk, repairFrom(`1-1-${i + 1}01`, { category: 'water_leak', intakeStartedAt: started }));
      ticket = await stepAs(desk, ticket, 'dispatch');
      ticket = await stepAs(technician, ticket, 'accept');
      ticket = await stepAs(technician, ticket, 'arrive');
      ticket = await stepAs(technician, ticket, 'complete', { note: '已修好' });
      await stepAs(desk, ticket, 'callback', { result: '满意', satisfaction: i === 5 ? 'unsatisfied' : 'satisfied' });
    }
    // The same owner twice about a door lock: the second is a repeat (a complaint); a praise; a suggestion.
    await createAs(desk, repairFrom('2-1-301', { category: 'door_lock', description: '门锁坏了' }));
    await createAs(desk, repairFrom('2-1-301', { category: 'door_lock', description: '门锁还是坏的' }));
    const praise = await createAs(desk, { kind: 'praise', channel: 'phone', category: 'other', description: '保安很负责', location: { unit: '3-1-101' } });
    await stepAs(desk, praise, 'answer', { answer: '已转达' });
    await createAs(desk, { kind: 'suggestion', channel: 'phone', category: 'other', description: '增加充电桩', location: { unit: '3-1-102' } });
    // A corridor light out in a public area, logged last: the half-month's list puts it first all the same.
    await createAs(desk, { kind: 'repair', channel: 'phone', category: 'lights', description: '楼梯灯不亮', location: { area: 'STAIRS-3-1' }, repair: { inUnit: false, paid: false } });
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  it('KPIs of a day, each with its numerator and denominator; a figure over too few cases is not a rate', async () => {
    const res = await manager.get(`/api/reports/kpi?from=${today()}&to=${today()}`);
    expect(res.status).toBe(200);
    const report = res.body;
    // Dispatched six times, each call begun two minutes before the ticket: at least 120 s each.
    expect(report.responseSeconds.count).toBe(6);
    expect(report.responseSeconds.average).toBeGreaterThanOrEqual(120);
    expect(report.responseSeconds.average).toBeLessThan(600);
    expect(report.repairTimeliness).toMatchObject({ numerator: 6, denominator: 6, rate: 1, tooSmall: false });
    expect(report.callbackRate).toMatchObject({ numerator: 6, denominator: 6, rate: 1 });
    expect(report.satisfaction).toMatchObject({ numerator: 5, denominator: 6, rate: 5 / 6 });
    expect(report.satisfaction.tickets).toHaveLength(6);
    // No complaint was closed: nothing to divide, said so.
    expect(report.complaintFirstTime).toMatchObject({ numerator: 0, denominator: 0, rate: null, tooSmall: true });
    expect([report.praise, report.suggestions]).toEqual([1, 1]);
    // Only the praise was closed (answered): one case, no average.
    expect(report.handlingSeconds).toMatchObject({ count: 1, average: null, tooSmall: true });
  });

  it("a ticket received before the period still counts its rounds that fell due in it (its day holds every ticket alive in it)", async () => {
    const yesterday = dayIn('Asia/Shanghai', new Date(Date.now() - 86_400_000));
    const [{ id }] = await api.db.query<Array<{ id: string }>>(`SELECT id FROM ticket WHERE kind = 'repair' AND first_completed_at IS NOT NULL ORDER BY received_at LIMIT 1`);
    /** The ticket's history moved by `interval`: all of it, or only its call and the start of its rounds. */
    const shift = async (interval: string, all: boolean) => {
      const more = all ? ', first_dispatched_at = first_dispatched_at + $2::interval, first_completed_at = first_completed_at + $2::interval, first_callback_at = first_callback_at + $2::interval' : '';
      await api.db.query(`UPDATE ticket SET received_at = received_at + $2::interval, intake_started_at = intake_started_at + $2::interval${more} WHERE id = $1`, [id, interval]);
      const rounds = all ? ', due_at = due_at + $2::interval, met_at = met_at + $2::interval, warn_at = warn_at + $2::interval, escalate_at = escalate_at + $2::interval' : '';
      await api.db.query(`UPDATE ticket_clock SET started_at = started_at + $2::interval${rounds} WHERE ticket_id = $1`, [id, interval]);
    };
    const clocks = async () =>
      (await manager.get(`/api/reports/kpi?from=${yesterday}&to=${today()}`)).body.clocks.map((line: { clock: string; numerator: number; denominator: number }) => [line.clock, line.numerator, line.denominator]);
    // A day earlier, all of it: its rounds fell due yesterday (the others' are not due yet).
    await shift('-1 day', true);
    try {
      const inPeriod = await clocks();
      expect(inPeriod.length).toBeGreaterThan(0);
      // Its call two more days back, its rounds started then: received before the period, due in it all the same.
      await shift('-2 days', false);
      try {
        expect(await clocks()).toEqual(inPeriod);
      } finally {
        await shift('2 days', false);
      }
    } finally {
      await shift('1 day', true);
    }
  });

  it('a fortnight adds up to its two weeks (its days kept and added up), tickets on both sides of the cut counted once', async () => {
    const day = (offset: number) => dayIn('Asia/Shanghai', new Date(Date.now() - offset * 86_400_000));
    const repairs = await api.db.query<Array<{ id: string }>>(`SELECT id FROM ticket WHERE kind = 'repair' AND first_completed_at IS NOT NULL ORDER BY received_at LIMIT 3`);
    const ids = repairs.map((row) => row.id);
    /** Three of the repairs, their whole history, moved by `interval`. */
    const shift = async (interval: string) => {
      await api.db.query(
        `UPDATE ticket SET received_at = received_at + $2::interval, intake_started_at = intake_started_at + $2::interval, first_dispatched_at = first_dispatched_at + $2::interval,
                first_completed_at = first_completed_at + $2::interval, first_callback_at = first_callback_at + $2::interval, closed_at = closed_at + $2::interval WHERE id = ANY($1)`,
        [ids, interval],
      );
      await api.db.query(`UPDATE ticket_clock SET started_at = started_at + $2::interval, due_at = due_at + $2::interval, met_at = met_at + $2::interval WHERE ticket_id = ANY($1)`, [ids, interval]);
    };
    const kpi = async (from: string, to: string) => (await manager.get(`/api/reports/kpi?from=${from}&to=${to}`)).body;
    // Ten days back: in the fortnight's first week, the other three in its second.
    await shift('-10 days');
    try {
      const [fortnight, first, second] = [await kpi(day(13), day(0)), await kpi(day(13), day(7)), await kpi(day(6), day(0))];
      expect(fortnight.responseSeconds.count).toBe(6);
      expect([first.responseSeconds.count, second.responseSeconds.count]).toEqual([3, 3]);
      for (const figure of ['repairTimeliness', 'callbackRate', 'satisfaction'] as const) {
        expect(fortnight[figure].denominator).toBe(first[figure].denominator + second[figure].denominator);
        expect(fortnight[figure].numerator).toBe(first[figure].numerator + second[figure].numerator);
        expect(new Set(fortnight[figure].tickets)).toEqual(new Set([...first[figure].tickets, ...second[figure].tickets]));
      }
      expect(fortnight.repairTimeliness).toMatchObject({ numerator: 6, denominator: 6 });
      const rounds = (report: { clocks: Array<{ clock: string; denominator: number }> }) => Object.fromEntries(report.clocks.map((line) => [line.clock, line.denominator]));
      const split = [rounds(first), rounds(second)];
      expect(rounds(fortnight)).toEqual(Object.fromEntries(Object.keys(rounds(fortnight)).map((clock) => [clock, (split[0][clock] ?? 0) + (split[1][clock] ?? 0)])));
    } finally {
      await shift('10 days');
    }
  });

  it('the same figures in CSV and XLSX (read back with the same library), with Chinese or English headers', async () => {
    const json = (await manager.get(`/api/reports/kpi?from=${today()}&to=${today()}`)).body;
    const csv = await asFile(manager.get(`/api/reports/kpi?from=${today()}&to=${today()}&format=csv`));
    expect(csv.headers['content-type']).toContain('text/csv');
    const csvRows = parse((csv.body as Buffer).toString('utf8'), { bom: true }) as string[][];
    expect(csvRows[0]).toEqual(['指标', '分子', '分母', '数值', '中位数（分钟）']);
    const xlsx = await asFile(manager.get(`/api/reports/kpi?from=${today()}&to=${today()}&format=xlsx&locale=en`));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as Buffer);
    const xlsxRows: string[][] = [];
    book.worksheets[0].eachRow((row) => xlsxRows.push((row.values as unknown[]).slice(1).map((value) => String(value ?? ''))));
    expect(xlsxRows[0]).toEqual(['Figure', 'Numerator', 'Denominator', 'Value', 'Median (minutes)']);
    const zh = Object.fromEntries(csvRows.map((row) => [row[0], row.slice(1, 4)]));
    const en = Object.fromEntries(xlsxRows.map((row) => [row[0], row.slice(1, 4)]));
    const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;
    expect(zh['回访率']).toEqual([String(json.callbackRate.numerator), String(json.callbackRate.denominator), percent(json.callbackRate.rate)]);
    expect(en['Callback rate']).toEqual(zh['回访率']);
    expect(zh['满意度']).toEqual(['5', '6', percent(5 / 6)]);
    expect(en['Satisfaction']).toEqual(zh['满意度']);
    expect(zh['投诉处理一次性解决率']).toEqual(['0', '0', '样本不足']);
    expect(en['Complaints resolved first time']).toEqual(['0', '0', 'n too small']);
    expect(zh['业主表扬'][2]).toBe('1');
  });

  it('工单清单: the tickets received in a period as filtered, newest first, the same lines in JSON, CSV and XLSX, times on the estate\'s clock', async () => {
    const all = (await manager.get(`/api/reports/tickets?from=${today()}&to=${today()}`)).body;
    // Made above: six repairs, the door lock twice, a praise, a suggestion, the stair light.
    expect(all.total).toBe(11);
    expect(all.items.map((item: { receivedAt: string }) => item.receivedAt)).toEqual([...all.items.map((item: { receivedAt: string }) => item.receivedAt)].sort().reverse());
    // The six called back, the first door lock, the stair light (the second door lock is a complaint).
    const repairs = (await manager.get(`/api/reports/tickets?from=${today()}&to=${today()}&kind=repair`)).body;
    expect(repairs.items.length).toBe(8);
    expect(repairs.items.every((item: { kind: string }) => item.kind === 'repair')).toBe(true);
    expect(repairs.items.filter((item: { satisfaction: string | null }) => item.satisfaction !== null)).toHaveLength(6);
    expect(repairs.items.filter((item: { satisfaction: string }) => item.satisfaction === 'unsatisfied')).toHaveLength(1);
    const open = (await manager.get(`/api/reports/tickets?from=${today()}&to=${today()}&status=open`)).body;
    expect(open.items.length).toBeGreaterThan(0);
    expect(open.items.every((item: { status: string }) => !['closed', 'cancelled'].includes(item.status))).toBe(true);
    expect(open.items.length + (await manager.get(`/api/reports/tickets?from=${today()}&to=${today()}&status=closed,cancelled`)).body.items.length).toBe(11);

    const csv = await asFile(manager.get(`/api/reports/tickets?from=${today()}&to=${today()}&format=csv`));
    const [zhHeader, ...zhRows] = parse((csv.body as Buffer).toString('utf8'), { bom: true }) as string[][];
    expect(zhHeader.slice(0, 3)).toEqual(['单号', '受理时间', '类型']);
    expect(zhRows.map((row) => row[0])).toEqual(all.items.map((item: { number: string }) => item.number));
    expect(zhRows[0][1]).toBe(minuteIn('Asia/Shanghai', all.items[0].receivedAt));
    const xlsx = await asFile(manager.get(`/api/reports/tickets?from=${today()}&to=${today()}&format=xlsx&locale=en&kind=repair`));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as Buffer);
    const enRows: string[][] = [];
    book.worksheets[0].eachRow((row) => enRows.push((row.values as unknown[]).slice(1).map((value) => String(value ?? ''))));
    expect(enRows[0].slice(0, 3)).toEqual(['Number', 'Received', 'Kind']);
    expect(enRows.slice(1).map((row) => row[0])).toEqual(repairs.items.map((item: { number: string }) => item.number));
    expect(new Set(enRows.slice(1).map((row) => row[2]))).toEqual(new Set(['Repair']));
    expect(enRows.slice(1).filter((row) => row.at(-1) === 'Unsatisfied')).toHaveLength(1);

    // A supervisor's own department only; the desk has no reports.
    const mine = (await engineeringSupervisor.get(`/api/reports/tickets?from=${today()}&to=${today()}`)).body;
    expect(mine.total).toBeGreaterThan(0);
    expect(mine.items.every((item: { department: string }) => item.department === 'engineering')).toBe(true);
    expect((await engineeringSupervisor.get(`/api/reports/tickets?from=${today()}&to=${today()}&department=security`)).status).toBe(403);
    expect((await desk.get(`/api/reports/tickets?from=${today()}&to=${today()}`)).status).toBe(403);
    expect((await manager.get(`/api/reports/tickets?from=${today()}&to=${today()}&status=lost`)).body.details).toEqual([{ field: 'status', reason: expect.stringContaining('must be open or statuses') }]);
  });

  it('a supervisor sees his own department\'s figures only', async () => {
    const mine = await engineeringSupervisor.get(`/api/reports/kpi?from=${today()}&to=${today()}`);
    expect(mine.status).toBe(200);
    expect(mine.body.scope).toEqual({ department: 'engineering' });
    // The praise and the suggestion went to customer service.
    expect([mine.body.praise, mine.body.suggestions]).toEqual([0, 0]);
    expect(mine.body.repairTimeliness.denominator).toBe(6);
    expect((await engineeringSupervisor.get(`/api/reports/kpi?from=${today()}&to=${today()}&department=security`)).status).toBe(403);
    expect((await desk.get(`/api/reports/kpi?from=${today()}&to=${today()}`)).status).toBe(403);
    expect((await technician.get(`/api/reports/weekly`)).status).toBe(403);
  });

  it('the week\'s hot complaints: the repeat counted by category and place; the half-month\'s unfinished items, public lights first', async () => {
    const weekly = await manager.get(`/api/reports/weekly?date=${today()}`);
    expect(weekly.status).toBe(200);
    expect(weekly.body.total).toMatchObject({ count: 1, repeats: 1, previous: 0, open: 1 });
    expect(weekly.body.byCategory).toEqual([expect.objectContaining({ category: 'door_lock', count: 1, previous: 0, open: 1 })]);
    const unfinished = await manager.get(`/api/reports/unfinished?date=${today()}`);
    expect(unfinished.status).toBe(200);
    const engineering = unfinished.body.departments.find((line: { department: string }) => line.department === 'engineering');
    expect(engineering.items[0]).toMatchObject({ category: 'lights', publicLight: true, location: '3栋1单元楼道灯' });
    // The completed repairs still wait for nothing but the close: open at the period's end, listed after the light.
    expect(engineering.items.length).toBeGreaterThan(1);
    const csv = await asFile(manager.get(`/api/reports/unfinished?date=${today()}&format=csv`));
    const rows = parse((csv.body as Buffer).toString('utf8'), { bom: true }) as string[][];
    expect(rows[0]).toEqual(['部门', '单号', '位置', '类别', '状态', '受理时间', '天数', '约定时间', '负责人']);
    expect(rows.length - 1).toBe(unfinished.body.departments.reduce((sum: number, line: { items: unknown[] }) => sum + line.items.length, 0));
  });

  it('refuses a period that does not exist, ends before it starts, or runs over a year', async () => {
    expect((await manager.get('/api/reports/kpi?from=2026-02-30&to=2026-03-01')).body.details).toEqual([{ field: 'from', reason: 'is not a day of the calendar' }]);
    expect((await manager.get('/api/reports/kpi?from=2026-03-02&to=2026-03-01')).body.details).toEqual([{ field: 'to', reason: 'is before from' }]);
    expect((await manager.get('/api/reports/kpi?from=2025-01-01&to=2026-03-01')).status).toBe(400);
    expect((await manager.get('/api/reports/kpi?from=2026-03-01')).status).toBe(400);
    expect((await manager.get('/api/reports/weekly?date=2026-13-01')).status).toBe(400);
  });

  it('a report thread that cannot reach the database says so as the api does (503, database unavailable), and the api goes on', async () => {
    const { ReportWorkers } = await import('../../apps/api/src/reports/report-workers');
    const { isDatabaseUnavailable } = await import('../../apps/api/src/database/db-errors');
    // The same threads as the api's, their connection pointed at a port nobody listens on.
    const unreachable = { options: { type: 'postgres', url: 'postgresql://postgres@127.0.0.1:1/test', extra: { max: 4, connectionTimeoutMillis: 2_000 } } };
    const workers = new ReportWorkers(unreachable as unknown as ConstructorParameters<typeof ReportWorkers>[0]);
    try {
      const period = { from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date().toISOString() };
      const failure = await workers.tally({ estateId: '00000000-0000-0000-0000-000000000000', period, scope: {}, slice: { from: null, to: period.to }, now: period.to }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(Error);
      expect((failure as { code?: string }).code).toBe('ECONNREFUSED');
      expect(isDatabaseUnavailable(failure)).toBe(true);
    } finally {
      await workers.onModuleDestroy();
    }
    expect((await manager.get(`/api/reports/kpi?from=${today()}&to=${today()}`)).status).toBe(200);
  });

  it('a ticket\'s intake start is refused ahead of it or hours before it, and nothing is written', async () => {
    const [{ count: before }] = await api.db.query<Array<{ count: string }>>(`SELECT count(*) FROM ticket`);
    const ahead = await desk.post('/api/tickets').send(repairFrom('4-1-101', { intakeStartedAt: new Date(Date.now() + 600_000).toISOString() }));
    expect(ahead.body.details).toEqual([{ field: 'intakeStartedAt', reason: 'is after the ticket was received' }]);
    const stale = await desk.post('/api/tickets').send(repairFrom('4-1-101', { intakeStartedAt: new Date(Date.now() - 3 * 3_600_000).toISOString() }));
    expect(stale.body.details).toEqual([{ field: 'intakeStartedAt', reason: 'is more than 2 hours before the ticket' }]);
    const [{ count: after }] = await api.db.query<Array<{ count: string }>>(`SELECT count(*) FROM ticket`);
    expect(after).toBe(before);
  });
});

/** Reports kept at each period's end, exactly once, announced to the managers. */
describe('reports kept at the end of each week and half-month', () => {
  let api: RunningApi;
  let manager: Client;

  beforeAll(async () => {
    api = await startApi();
    await resetTickets(api.db);
    await api.db.query('DELETE FROM stored_report');
    manager = client(api.url, await login(api.url, 'manager'));
    const desk = client(api.url, await login(api.url, 'dispatcher'));
    await createAs(desk, repairFrom('5-2-101', { category: 'noise', description: '楼上装修噪音' }));
    await createAs(desk, repairFrom('5-2-101', { category: 'noise', description: '楼上装修噪音又来了' }));
  });
  afterAll(async () => {
    await api?.close();
  });

  it('two processes sweeping at once keep each closed period once, with one report.ready each', async () => {
    const { ReportKeeper } = await import('../../apps/api/src/reports/report-keeper');
    const keeper = api.app.get(ReportKeeper);
    // A week on from now: this week (with the repeat logged above) has closed.
    const later = new Date(Date.now() + 7 * 86_400_000);
    const [first, second] = await Promise.all([keeper.keepClosed(later), keeper.keepClosed(later)]);
    const written = [...first, ...second];
    expect(written.map((report) => report.kind).sort()).toEqual(['half_month', 'weekly']);
    expect(await keeper.keepClosed(later)).toEqual([]);
    const [{ count }] = await api.db.query<Array<{ count: string }>>(`SELECT count(*) FROM event_log WHERE type = 'report.ready'`);
    expect(Number(count)).toBe(2);
    const [{ rooms }] = await api.db.query<Array<{ rooms: string[] }>>(`SELECT rooms FROM event_log WHERE type = 'report.ready' LIMIT 1`);
    expect(rooms).toEqual(['managers']);

    const list = await manager.get('/api/reports/stored');
    expect(list.status).toBe(200);
    const weekly = list.body.find((report: { kind: string }) => report.kind === 'weekly');
    expect(weekly.key).toMatch(/^\d{4}-W\d{2}$/);
    const kept = await manager.get(`/api/reports/stored/${weekly.id}`);
    expect(kept.body.content.kind).toBe('weekly');
    expect(kept.body.content.hot.total).toMatchObject({ count: 1, repeats: 1 });
    expect(kept.body.content.kpi.period).toEqual(weekly.period);
    const supervisor = client(api.url, await login(api.url, 'eng_supervisor'));
    expect((await supervisor.get('/api/reports/stored')).status).toBe(403);
    expect((await manager.get('/api/reports/stored/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});
