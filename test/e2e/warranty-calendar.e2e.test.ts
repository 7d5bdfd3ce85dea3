import type { AnyDomainEvent, ClockView, EstateRules, TicketPreview } from '@dispatch/domain';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, client, login, rowCounts, type RunningApi, resetTickets, startApi } from '../support/api';
import { expectFieldError, repairFrom } from '../support/fixtures';
import { createAs, stepAs, type Ticket } from '../support/loop';

/**
 * Issue 13, items 7, 8 and 10: warranty computed from the handover date (overridden only
 * with a logged reason), the deadlines a report will get shown before it is logged, and a
 * Chinese calendar (holidays and 调休) an admin edits. The demo estate's phase one
 * (buildings 1-2) was handed over six years before seeding, phase two a year before.
 */
const ZONE = 'Asia/Shanghai';
let api: RunningApi;
let desk: Client;
let admin: Client;
let original: EstateRules;

beforeAll(async () => {
  api = await startApi();
  await resetTickets(api.db);
  desk = client(api.url, await login(api.url, 'dispatcher'));
  admin = client(api.url, await login(api.url, 'admin'));
  original = (await admin.get('/api/estate/rules')).body;
});
afterAll(async () => {
  // Other files run on this estate: its rules as they were.
  if (original) await admin.patch('/api/estate/rules').send({ calendar: original.calendar, warrantyYears: original.warrantyYears });
  await api?.close();
});

const clockOf = (ticket: Ticket, clock: string): ClockView | undefined => ticket.clocks.filter((c) => c.clock === clock).at(-1);
const allowedMinutes = (clock: ClockView | undefined) => (clock ? (Date.parse(clock.dueAt) - Date.parse(clock.startedAt)) / 60_000 : null);
const handoverOf = async (unit: string) => (await api.db.query<Array<{ d: string }>>(`SELECT to_char(handover_date, 'YYYY-MM-DD') AS d FROM unit WHERE code = $1`, [unit]))[0].d;

describe('warranty from the handover date', () => {
  it('a leak in a unit handed over a year ago is under warranty (5 years): arrival 5 minutes; lights in phase one are not: 30', async () => {
    const units = (await desk.get('/api/estate/units?q=4-2-301&limit=1')).body;
    expect(units[0].handoverDate).toBe(await handoverOf('4-2-301'));

    let leak = await createAs(desk, repairFrom('4-2-301', { category: 'water_leak' }));
    const until = DateTime.fromISO(await handoverOf('4-2-301'), { zone: ZONE }).plus({ years: 5 }).minus({ days: 1 }).toFormat('yyyy-MM-dd');
    expect(leak.repair).toEqual({ inUnit: true, inWarranty: true, paid: false, warranty: { source: 'computed', until } });
    leak = await stepAs(desk, leak, 'dispatch');
    expect(allowedMinutes(clockOf(leak, 'arrival'))).toBe(5);

    let lights = await createAs(desk, repairFrom('1-2-301', { category: 'lights' }));
    expect(lights.repair).toMatchObject({ inWarranty: false, warranty: { source: 'computed' } });
    lights = await stepAs(desk, lights, 'dispatch');
    expect(allowedMinutes(clockOf(lights, 'arrival'))).toBe(30);
  });

  it('the desk overrides the computed warranty only with a reason, which the log keeps', async () => {
    const before = await rowCounts(api.db);
    const refused = await desk.post('/api/tickets').send(repairFrom('4-2-302', { category: 'lights', repair: { inUnit: true, inWarranty: false, paid: true } }));
    expectFieldError(refused, 400, 'repair.warrantyReason');
    expect(refused.body.message).toMatch(/in warranty until \d{4}-\d{2}-\d{2}/);
    expect(await rowCounts(api.db)).toEqual(before);

    const reason = '业主自行更换的灯具，不在开发商保修内';
    const overridden = await createAs(desk, repairFrom('4-2-302', { category: 'lights', repair: { inUnit: true, inWarranty: false, warrantyReason: reason, paid: true } }));
    expect(overridden.repair).toMatchObject({ inWarranty: false, paid: true, warranty: { source: 'override', reason } });
    const [created] = (await desk.get(`/api/tickets/${overridden.id}`)).body.timeline as AnyDomainEvent[];
    expect(created.type).toBe('ticket.created');
    expect(JSON.stringify(created.data)).toContain(reason);
    // Agreeing with the computed value needs no reason.
    const agreeing = await desk.post('/api/tickets').send(repairFrom('3-1-101', { category: 'door_lock', repair: { inUnit: true, inWarranty: true, paid: false } }));
    expect(agreeing.status).toBe(201);
    expect(agreeing.body.repair.warranty.source).toBe('computed');
  });

  it('an estate\'s own warranty years (admin, logged) change what is computed', async () => {
    expect((await desk.patch('/api/estate/rules').send({ warrantyYears: { lights: 10 } })).status).toBe(403);
    const changed = await admin.patch('/api/estate/rules').send({ warrantyYears: { ...original.warrantyYears, lights: 10 } });
    expect(changed.status).toBe(200);
    expect(changed.body.warrantyYears.lights).toBe(10);
    const lights = await createAs(desk, repairFrom('1-1-402', { category: 'lights' }));
    expect(lights.repair).toMatchObject({ inWarranty: true, warranty: { source: 'computed' } });
    const [logged] = await api.db.query<Array<{ data: { previous: EstateRules; rules: EstateRules; actor: { name: string } } }>>(
      `SELECT data FROM event_log WHERE type = 'estate.rules_changed' ORDER BY seq DESC LIMIT 1`,
    );
    expect(logged.data.previous.warrantyYears.lights).toBe(2);
    expect(logged.data.rules.warrantyYears.lights).toBe(10);
    expect(logged.data.actor.name).toBe('系统管理员');
    expectFieldError(await admin.patch('/api/estate/rules').send({ warrantyYears: { lights: -1 } }), 400, 'warrantyYears.lights');
    expectFieldError(await admin.patch('/api/estate/rules').send({ warrantyYears: { roof: 5 } }), 400, 'warrantyYears');
    await admin.patch('/api/estate/rules').send({ warrantyYears: original.warrantyYears });
  });
});

describe('the deadlines shown before logging', () => {
  const preview = async (body: Record<string, unknown>): Promise<TicketPreview> => {
    const res = await desk.post('/api/tickets/preview').send(body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const minutesOf = (answer: TicketPreview) => Object.fromEntries(answer.clocks.map((clock) => [clock.clock, clock.durationSeconds / 60]));

  it('shows the warranty and each clock\'s allowance; urgency and warranty change them; nothing is written', async () => {
    const before = await rowCounts(api.db);
    const inWarranty = await preview({ kind: 'repair', category: 'water_leak', location: { unit: '4-1-201' }, repair: { inUnit: true, paid: false } });
    expect(inWarranty.warranty).toMatchObject({ covered: true, inWarranty: true, source: 'computed', years: 5 });
    expect(minutesOf(inWarranty)).toMatchObject({ dispatch: 1, contact: 15, arrival: 5, callback: 120 });
    expect(inWarranty.clocks.find((clock) => clock.clock === 'dispatch')?.dueAt).not.toBeNull();
    expect(inWarranty.clocks.find((clock) => clock.clock === 'callback')).toMatchObject({ businessHours: true, dueAt: null });

    const outOfWarranty = await preview({ kind: 'repair', category: 'water_leak', location: { unit: '1-1-201' }, repair: { inUnit: true, paid: false } });
    expect(outOfWarranty.warranty).toMatchObject({ covered: false, inWarranty: false });
    expect(minutesOf(outOfWarranty).arrival).toBe(30);
    const urgent = await preview({ kind: 'repair', category: 'water_leak', location: { unit: '1-1-201' }, priority: 'urgent', repair: { inUnit: true, paid: false } });
    expect(minutesOf(urgent)).toMatchObject({ contact: 5, arrival: 5, callback: 30 });

    const inquiry = await preview({ kind: 'inquiry', category: 'other', location: { unit: '1-1-201' } });
    expect(Object.keys(minutesOf(inquiry)).sort()).toEqual(['contact', 'reply']);
    expect(inquiry.warranty).toBeNull();
    expect(await rowCounts(api.db)).toEqual(before);
  });

  it('shows the repeat and the complaint it will become', async () => {
    const first = await createAs(desk, repairFrom('3-2-602', { category: 'lights', reporter: { name: '赵女士', phone: '13900003602' } }));
    const again = await preview({ kind: 'repair', category: 'lights', location: { unit: '3-2-602' }, reporterPhone: '13900003602', repair: { inUnit: true, paid: false } });
    expect(again.repeat.repeatOf?.id).toBe(first.id);
    expect(again.kind).toBe('complaint');
    expect(again.department).toBe('customer_service');
    expect(Object.keys(minutesOf(again))).toContain('resolve');
  });
});

describe('the Chinese calendar: holidays and make-up working days (调休), edited by an admin', () => {
  it('a make-up working day counts as business time and a holiday does not', async () => {
    const today = DateTime.now().setZone(ZONE).startOf('day');
    const day = (offset: number) => today.plus({ days: offset }).toFormat('yyyy-MM-dd');
    const allDay: Array<[string, string]> = [['00:00', '24:00']];

    // Nothing open in the week but a day three days on; today and tomorrow are make-up working days.
    const makeUp = await admin.patch('/api/estate/rules').send({ calendar: { weekly: { [today.plus({ days: 3 }).weekday]: allDay }, holidays: [], workdays: [day(0), day(1)], workdayHours: allDay } });
    expect(makeUp.status, JSON.stringify(makeUp.body)).toBe(200);
    const inquiry = await createAs(desk, { kind: 'inquiry', channel: 'phone', category: 'other', description: '装修手续怎么办', location: { unit: '2-1-101' } });
    expect(allowedMinutes(clockOf(inquiry, 'reply'))).toBe(60);

    // Open every day, but today and tomorrow are holidays: the hour starts the day after.
    const holidays = await admin.patch('/api/estate/rules').send({ calendar: { weekly: Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((weekday) => [weekday, allDay])), holidays: [day(0), day(1)], workdays: [] } });
    expect(holidays.status).toBe(200);
    const later = await createAs(desk, { kind: 'inquiry', channel: 'phone', category: 'other', description: '停车卡怎么办', location: { unit: '2-1-102' } });
    expect(clockOf(later, 'reply')?.dueAt).toBe(today.plus({ days: 2, hours: 1 }).toUTC().toISO({ suppressMilliseconds: false }));
    // The desk's preview reads the same calendar.
    const shown = await desk.post('/api/tickets/preview').send({ kind: 'inquiry', category: 'other', location: { unit: '2-1-201' } });
    expect(shown.status, JSON.stringify(shown.body)).toBe(200);
    expect((shown.body as TicketPreview).clocks.find((clock) => clock.clock === 'reply')?.dueAt).toBe(today.plus({ days: 2, hours: 1 }).toUTC().toISO());
  });

  it('takes a year\'s official schedule from the bundled data, and says when it has none', async () => {
    const rules = (await admin.get('/api/estate/rules')).body as EstateRules & { officialYears: number[] };
    expect(rules.officialYears).toContain(2026);
    const taken = await admin.post('/api/estate/rules/official-days').send({ year: 2026 });
    expect(taken.status).toBe(200);
    // National Day 2026: 1-7 October off, Saturday 10 October worked.
    expect(taken.body.calendar.holidays).toEqual(expect.arrayContaining(['2026-10-01', '2026-10-07', '2026-02-16']));
    expect(taken.body.calendar.workdays).toEqual(expect.arrayContaining(['2026-10-10', '2026-02-14']));
    const [logged] = await api.db.query<Array<{ data: { officialYear: number } }>>(`SELECT data FROM event_log WHERE type = 'estate.rules_changed' ORDER BY seq DESC LIMIT 1`);
    expect(logged.data.officialYear).toBe(2026);
    expectFieldError(await admin.post('/api/estate/rules/official-days').send({ year: 2099 }), 400, 'year');
    expect((await desk.post('/api/estate/rules/official-days').send({ year: 2026 })).status).toBe(403);
  });

  it('refuses a calendar it could not run on', async () => {
    expectFieldError(await admin.patch('/api/estate/rules').send({ calendar: { weekly: {}, holidays: [] } }), 400, 'calendar.weekly');
    expectFieldError(await admin.patch('/api/estate/rules').send({ calendar: { weekly: { 1: [['18:00', '08:00']] }, holidays: [] } }), 400, 'calendar.weekly.1.0');
    expectFieldError(await admin.patch('/api/estate/rules').send({ calendar: { weekly: { 1: [['08:00', '18:00']] }, holidays: ['2026-02-30'] } }), 400, 'calendar.holidays.0');
    expectFieldError(await admin.patch('/api/estate/rules').send({ calendar: { weekly: { 1: [['08:00', '18:00']] }, holidays: ['2026-10-10'], workdays: ['2026-10-10'] } }), 400, 'calendar.workdays');
    expectFieldError(await admin.patch('/api/estate/rules').send({ calendar: { weekly: { 8: [['08:00', '18:00']] }, holidays: [] } }), 400, 'calendar.weekly');
  });
});
