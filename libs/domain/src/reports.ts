import type { Label } from './labels';
import { addDays, clockIn, dayIn } from './records';
import type { Category, Department, TicketKind, TicketStatus } from './ticket';
import type { Satisfaction } from './ticket-actions';

/**
 * Management reports (考核): each figure is defined once here, over one line of facts per
 * ticket that the api reads from the record, and reported with its numerator, its
 * denominator and the tickets behind it. A rate over fewer than MIN_SAMPLE cases is not a
 * rate: it is reported as "n too small".
 */
export const MIN_SAMPLE = 5;

/**
 * What the record says of one ticket, as far as the reports need it. Times are epoch
 * milliseconds: a quarter holds a hundred thousand tickets, and numbers are read and compared
 * without parsing a date each time.
 */
export interface ReportFacts {
  id: string;
  kind: TicketKind;
  assignee: { id: string; name: string } | null;
  receivedAt: number;
  /** When the desk began taking the call (the intake form's first keystroke); null: not recorded. */
  intakeStartedAt: number | null;
  /** First dispatch. */
  dispatchedAt: number | null;
  /** First completion (完工). */
  completedAt: number | null;
  closedAt: number | null;
  reopenCount: number;
  /** Whether anyone can be called back (a reporter or a unit with an owner). */
  hasOwner: boolean;
  /** The first callback: whether it reached an owner, and their satisfaction. */
  callback: { at: number; reached: boolean; satisfaction: Satisfaction | null } | null;
  /** Each clock round that fell due: when, and when it was met (null: not met). Cancelled rounds are left out. */
  clocks: Array<{ clock: string; dueAt: number; metAt: number | null }>;
  /** Alarms: the first acknowledgement. */
  acknowledgedAt: number | null;
}

export interface Period {
  from: string;
  to: string;
}

/** A rate with what it is made of; `rate` is null when the denominator is under MIN_SAMPLE. */
export interface RateFigure {
  numerator: number;
  denominator: number;
  rate: number | null;
  tooSmall: boolean;
  /** The tickets the denominator counts (links from the report): the first FIGURE_TICKETS. */
  tickets: string[];
}

/** An average (seconds) with how many it is over; null under MIN_SAMPLE. */
export interface MeanFigure {
  count: number;
  average: number | null;
  median: number | null;
  tooSmall: boolean;
  tickets: string[];
}

export interface KpiReport {
  period: Period;
  /** 平均响应时间: from the start of the call to dispatch. */
  responseSeconds: MeanFigure;
  /** 报修处理及时率: repairs completed in the period with every work clock met in time. */
  repairTimeliness: RateFigure;
  /** 投诉处理一次性解决率: complaints closed in the period never reopened. */
  complaintFirstTime: RateFigure;
  /** 投诉处理满意度: complaint callbacks that reached an owner, satisfied or basically satisfied. */
  complaintSatisfaction: RateFigure;
  /** 回访率: tickets completed in the period with someone to call, called back and reached. */
  callbackRate: RateFigure;
  /** 满意度: callbacks in the period that reached an owner, satisfied or basically satisfied. */
  satisfaction: RateFigure;
  /** 业主表扬 / 建议: received in the period. */
  praise: number;
  suggestions: number;
  /** 工单平均处理时长: closed in the period, from receipt to close. */
  handlingSeconds: MeanFigure;
  /** On time per clock: rounds due in the period met by their due time. */
  clocks: Array<{ clock: string } & RateFigure>;
  /** Deadlines missed per person (rounds due in the period not met in time, on tickets assigned to them). */
  breachesPerPerson: Array<{ staff: { id: string; name: string }; breaches: number; tickets: string[] }>;
  /** Alarms: first acknowledgement after receipt, and the share within 30 s. */
  alarmPickup: MeanFigure & { within30s: RateFigure };
}

/** The KPI's name in words, for the report's rows, exports and print. */
export const KPI_LABELS: Record<Exclude<keyof KpiReport, 'period' | 'clocks' | 'breachesPerPerson'>, Label> = {
  responseSeconds: { zh: '平均响应时间', en: 'Average response time' },
  repairTimeliness: { zh: '报修处理及时率', en: 'Repairs on time' },
  complaintFirstTime: { zh: '投诉处理一次性解决率', en: 'Complaints resolved first time' },
  complaintSatisfaction: { zh: '投诉处理满意度', en: 'Complaint satisfaction' },
  callbackRate: { zh: '回访率', en: 'Callback rate' },
  satisfaction: { zh: '满意度', en: 'Satisfaction' },
  praise: { zh: '业主表扬', en: 'Praise' },
  suggestions: { zh: '业主建议', en: 'Suggestions' },
  handlingSeconds: { zh: '工单平均处理时长', en: 'Average handling time' },
  alarmPickup: { zh: '报警接警时间', en: 'Alarm pickup time' },
};

/** The clocks of the work itself (a repair is on time when these were met): not the callback, not the first contact. */
const WORK_CLOCKS = ['dispatch', 'arrival', 'report_on_site', 'agreed', 'resolve'];

/** A period as epoch milliseconds, for comparing the facts' times. */
interface Span {
  from: number;
  to: number;
}
const inPeriod = (at: number | null, span: Span): at is number => at !== null && at >= span.from && at < span.to;
const seconds = (from: number, to: number) => (to - from) / 1000;
const isLate = (round: { dueAt: number; metAt: number | null }) => round.metAt === null || round.metAt > round.dueAt;

/** A rate for a board: to three places, and null under MIN_SAMPLE (the live SLA board uses the reports' rule). */
export function shareOf(part: number, whole: number): number | null {
  return whole < MIN_SAMPLE ? null : Math.round((part / whole) * 1000) / 1000;
}

/** Tickets named per figure: the first ones; the denominator counts them all (a quarter holds tens of thousands). */
export const FIGURE_TICKETS = 100;

/**
 * A rate as counted over some of a period's tickets: parts of a period (its tickets read in
 * slices, side by side) add up to the whole (`kpiFromTallies`).
 */
export interface RateTally {
  numerator: number;
  denominator: number;
  /** The first FIGURE_TICKETS the denominator counts. */
  tickets: string[];
}

/** An average as counted over some of a period's tickets: every value (a median needs them all), the first tickets. */
export interface MeanTally {
  seconds: Float64Array;
  tickets: string[];
}

/**
 * Every KPI of a period as counted over some of its tickets: plain data (it crosses from a
 * worker thread), added up by `kpiFromTallies` into the report.
 */
export interface KpiTally {
  responses: MeanTally;
  repairTimeliness: RateTally;
  complaintFirstTime: RateTally;
  complaintSatisfaction: RateTally;
  callbackRate: RateTally;
  satisfaction: RateTally;
  praise: number;
  suggestions: number;
  handling: MeanTally;
  /** Per clock, in the order first met. */
  clocks: Array<{ clock: string } & RateTally>;
  /** Per person, in the order first met; `tickets` without repeats. */
  breaches: Array<{ staff: { id: string; name: string }; breaches: number; tickets: string[] }>;
  alarmPickup: MeanTally;
  alarmWithin30s: RateTally;
}

function rateTally(numerator: number, tickets: readonly string[]): RateTally {
  return { numerator, denominator: tickets.length, tickets: tickets.slice(0, FIGURE_TICKETS) };
}

function meanTally(values: ReadonlyArray<{ id: string; seconds: number }>): MeanTally {
  const seconds = new Float64Array(values.length);
  for (let index = 0; index < values.length; index++) seconds[index] = values[index].seconds;
  return { seconds, tickets: values.slice(0, FIGURE_TICKETS).map((value) => value.id) };
}

function rateFigure({ numerator, denominator, tickets }: RateTally): RateFigure {
  const tooSmall = denominator < MIN_SAMPLE;
  return { numerator, denominator, rate: tooSmall ? null : numerator / denominator, tooSmall, tickets };
}

function meanFigure({ seconds, tickets }: MeanTally): MeanFigure {
  // A typed array sorts numerically without a comparator call per pair (a quarter is 100,000
  // values), and sorted, the sum is the same however the values were split.
  const sorted = Float64Array.from(seconds).sort();
  const tooSmall = sorted.length < MIN_SAMPLE;
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length === 0 ? null : sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  let sum = 0;
  for (const value of sorted) sum += value;
  return { count: sorted.length, average: tooSmall ? null : sum / sorted.length, median: tooSmall ? null : median, tooSmall, tickets };
}

export function rateOf(numerator: number, tickets: string[]): RateFigure {
  return rateFigure(rateTally(numerator, tickets));
}

export function meanOf(values: Array<{ id: string; seconds: number }>): MeanFigure {
  return meanFigure(meanTally(values));
}

/** Every KPI of a period from the facts of the tickets that touch it (see `kpiTally`). */
export function kpiReport(facts: readonly ReportFacts[], period: Period, now: string = period.to): KpiReport {
  return kpiFromTallies(period, [kpiTally(facts, period, now)]);
}

/**
 * Every KPI of a period counted over the facts of some of the tickets that touch it
 * (received, dispatched, completed, closed, called back or due in it). `now` ends a period
 * still running. The definitions of the figures: each counts a ticket by the time of its own
 * milestone, so tickets may be counted in any slices and added up.
 */
export function kpiTally(facts: readonly ReportFacts[], period: Period, now: string = period.to): KpiTally {
  const span: Span = { from: Date.parse(period.from), to: Date.parse(period.to) };
  const dispatched = facts.filter((one) => inPeriod(one.dispatchedAt, span) && one.kind !== 'alarm');
  const responses = dispatched.map((one) => ({ id: one.id, seconds: seconds(one.intakeStartedAt ?? one.receivedAt, one.dispatchedAt as number) }));

  const repairs = facts.filter((one) => one.kind === 'repair' && inPeriod(one.completedAt, span));
  const repairsOnTime = repairs.filter((one) => !one.clocks.some((round) => WORK_CLOCKS.includes(round.clock) && round.dueAt <= (one.completedAt as number) && isLate(round)));

  const complaintsClosed = facts.filter((one) => one.kind === 'complaint' && inPeriod(one.closedAt, span));
  const callbacks = facts.filter((one) => one.callback && inPeriod(one.callback.at, span));
  const reached = callbacks.filter((one) => one.callback?.reached);
  const pleased = (list: readonly ReportFacts[]) => list.filter((one) => one.callback?.satisfaction === 'satisfied' || one.callback?.satisfaction === 'basically_satisfied').length;
  const complaintCallbacks = reached.filter((one) => one.kind === 'complaint');

  const completedWithOwner = facts.filter((one) => inPeriod(one.completedAt, span) && one.hasOwner);
  const calledBack = completedWithOwner.filter((one) => one.callback?.reached);

  const closed = facts.filter((one) => inPeriod(one.closedAt, span));

  // Rounds that fell due in the period, up to now: one due later this week is not late yet.
  // Each counts for its clock, and when late, against the person the ticket was assigned to.
  const dueBy: Span = { from: span.from, to: Math.min(Date.parse(now), span.to) };
  const perClock = new Map<string, { met: number; tickets: string[] }>();
  const breaches = new Map<string, { staff: { id: string; name: string }; breaches: number; tickets: Set<string> }>();
  for (const ticket of facts) {
    for (const round of ticket.clocks) {
      if (!inPeriod(round.dueAt, dueBy)) continue;
      const late = isLate(round);
      const line = perClock.get(round.clock) ?? { met: 0, tickets: [] };
      line.tickets.push(ticket.id);
      if (!late) line.met += 1;
      perClock.set(round.clock, line);
      if (!late || !ticket.assignee) continue;
      const person = breaches.get(ticket.assignee.id) ?? { staff: ticket.assignee, breaches: 0, tickets: new Set<string>() };
      person.breaches += 1;
      person.tickets.add(ticket.id);
      breaches.set(ticket.assignee.id, person);
    }
  }

  const alarms = facts.filter((one) => one.kind === 'alarm' && one.acknowledgedAt !== null && inPeriod(one.receivedAt, span));
  const pickups = alarms.map((one) => ({ id: one.id, seconds: seconds(one.receivedAt, one.acknowledgedAt as number) }));

  return {
    responses: meanTally(responses),
    repairTimeliness: rateTally(repairsOnTime.length, repairs.map((one) => one.id)),
    complaintFirstTime: rateTally(complaintsClosed.filter((one) => one.reopenCount === 0).length, complaintsClosed.map((one) => one.id)),
    complaintSatisfaction: rateTally(pleased(complaintCallbacks), complaintCallbacks.map((one) => one.id)),
    callbackRate: rateTally(calledBack.length, completedWithOwner.map((one) => one.id)),
    satisfaction: rateTally(pleased(reached), reached.map((one) => one.id)),
    praise: facts.filter((one) => one.kind === 'praise' && inPeriod(one.receivedAt, span)).length,
    suggestions: facts.filter((one) => one.kind === 'suggestion' && inPeriod(one.receivedAt, span)).length,
    handling: meanTally(closed.map((one) => ({ id: one.id, seconds: seconds(one.receivedAt, one.closedAt as number) }))),
    clocks: [...perClock.entries()].map(([clock, { met, tickets }]) => ({ clock, ...rateTally(met, tickets) })),
    breaches: [...breaches.values()].map((line) => ({ ...line, tickets: [...line.tickets].slice(0, FIGURE_TICKETS) })),
    alarmPickup: meanTally(pickups),
    alarmWithin30s: rateTally(pickups.filter((one) => one.seconds <= 30).length, pickups.map((one) => one.id)),
  };
}

/**
 * The first FIGURE_TICKETS of the lists, in order (`unique`: each once). Read only as far as
 * needed: a quarter adds up thousands of kept lists, and copying them all to keep a hundred
 * took the api's thread 40 ms a report.
 */
function firstTickets(lists: ReadonlyArray<readonly string[]>, unique = false): string[] {
  const named: string[] = [];
  const seen = unique ? new Set<string>() : null;
  for (const list of lists) {
    for (const id of list) {
      if (named.length === FIGURE_TICKETS) return named;
      if (seen) {
        if (seen.has(id)) continue;
        seen.add(id);
      }
      named.push(id);
    }
  }
  return named;
}

/** Counts of the same figure from several slices, added up: the first slice's tickets named first. */
function addRates(tallies: readonly RateTally[]): RateTally {
  let numerator = 0;
  let denominator = 0;
  for (const tally of tallies) {
    numerator += tally.numerator;
    denominator += tally.denominator;
  }
  return { numerator, denominator, tickets: firstTickets(tallies.map((tally) => tally.tickets)) };
}

function addMeans(tallies: readonly MeanTally[]): MeanTally {
  const seconds = new Float64Array(tallies.reduce((sum, tally) => sum + tally.seconds.length, 0));
  let at = 0;
  for (const tally of tallies) {
    seconds.set(tally.seconds, at);
    at += tally.seconds.length;
  }
  return { seconds, tickets: firstTickets(tallies.map((tally) => tally.tickets)) };
}

/** Lines keyed by `key`, in the order first met, added up by `add`. */
function addLines<T>(lines: readonly T[], key: (line: T) => string, add: (a: T, b: T) => T): T[] {
  const byKey = new Map<string, T>();
  for (const line of lines) {
    const known = byKey.get(key(line));
    byKey.set(key(line), known === undefined ? line : add(known, line));
  }
  return [...byKey.values()];
}

/**
 * The tallies of parts of a period added up into one: its tickets in any number of slices
 * (each ticket in one), or its days (each milestone in one). Plain data, as the parts are: a
 * report thread adds up the kept days and the api the rest.
 */
export function addTallies(tallies: readonly KpiTally[]): KpiTally {
  const rates = (figure: (tally: KpiTally) => RateTally) => addRates(tallies.map(figure));
  const means = (figure: (tally: KpiTally) => MeanTally) => addMeans(tallies.map(figure));
  return {
    responses: means((tally) => tally.responses),
    repairTimeliness: rates((tally) => tally.repairTimeliness),
    complaintFirstTime: rates((tally) => tally.complaintFirstTime),
    complaintSatisfaction: rates((tally) => tally.complaintSatisfaction),
    callbackRate: rates((tally) => tally.callbackRate),
    satisfaction: rates((tally) => tally.satisfaction),
    praise: tallies.reduce((sum, tally) => sum + tally.praise, 0),
    suggestions: tallies.reduce((sum, tally) => sum + tally.suggestions, 0),
    handling: means((tally) => tally.handling),
    clocks: addLines(
      tallies.flatMap((tally) => tally.clocks),
      (line) => line.clock,
      (a, b) => ({ clock: a.clock, ...addRates([a, b]) }),
    ),
    breaches: addLines(
      tallies.flatMap((tally) => tally.breaches),
      (line) => line.staff.id,
      // A ticket late on two days is named once.
      (a, b) => ({ staff: a.staff, breaches: a.breaches + b.breaches, tickets: firstTickets([a.tickets, b.tickets], true) }),
    ),
    alarmPickup: means((tally) => tally.alarmPickup),
    alarmWithin30s: rates((tally) => tally.alarmWithin30s),
  };
}

/** The KPI report of a period from the tallies of its parts (see `addTallies`). */
export function kpiFromTallies(period: Period, tallies: readonly KpiTally[]): KpiReport {
  const all = addTallies(tallies);
  return {
    period,
    responseSeconds: meanFigure(all.responses),
    repairTimeliness: rateFigure(all.repairTimeliness),
    complaintFirstTime: rateFigure(all.complaintFirstTime),
    complaintSatisfaction: rateFigure(all.complaintSatisfaction),
    callbackRate: rateFigure(all.callbackRate),
    satisfaction: rateFigure(all.satisfaction),
    praise: all.praise,
    suggestions: all.suggestions,
    handlingSeconds: meanFigure(all.handling),
    clocks: [...all.clocks].sort((a, b) => (a.clock < b.clock ? -1 : a.clock > b.clock ? 1 : 0)).map(({ clock, ...tally }) => ({ clock, ...rateFigure(tally) })),
    breachesPerPerson: [...all.breaches].sort((a, b) => b.breaches - a.breaches || a.staff.name.localeCompare(b.staff.name)),
    alarmPickup: { ...meanFigure(all.alarmPickup), within30s: rateFigure(all.alarmWithin30s) },
  };
}

/**
 * The week that holds `day` (`yyyy-MM-dd`), Monday 00:00 to the next Monday 00:00 in the
 * estate's time zone, as instants, with its ISO week name (2026-W48).
 */
export function weekOf(day: string, timeZone: string): Period & { week: string; monday: string } {
  const date = new Date(`${day}T00:00:00Z`);
  const weekday = (date.getUTCDay() + 6) % 7;
  const monday = new Date(date.getTime() - weekday * 86_400_000);
  const next = new Date(monday.getTime() + 7 * 86_400_000);
  // ISO week: the week with the year's first Thursday is week 1.
  const thursday = new Date(monday.getTime() + 3 * 86_400_000);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.floor((thursday.getTime() - yearStart) / (7 * 86_400_000)) + 1;
  return {
    week: `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`,
    monday: monday.toISOString().slice(0, 10),
    from: midnightIn(monday.toISOString().slice(0, 10), timeZone),
    to: midnightIn(next.toISOString().slice(0, 10), timeZone),
  };
}

/** 每半个月: the 1st to the 15th, or the 16th to the month's end, holding `day`. */
export function halfMonthOf(day: string, timeZone: string): Period & { half: string; first: string; last: string } {
  const [year, month, date] = day.split('-').map(Number);
  const second = date > 15;
  const firstDay = `${year}-${String(month).padStart(2, '0')}-${second ? '16' : '01'}`;
  const endExclusive = second ? new Date(Date.UTC(year, month, 1)) : new Date(Date.UTC(year, month - 1, 16));
  const lastDay = addDays(endExclusive.toISOString().slice(0, 10), -1);
  return {
    half: `${year}-${String(month).padStart(2, '0')}-${second ? 2 : 1}`,
    first: firstDay,
    last: lastDay,
    from: midnightIn(firstDay, timeZone),
    to: midnightIn(endExclusive.toISOString().slice(0, 10), timeZone),
  };
}

/** The days `first` to `last` (`yyyy-MM-dd`, both included) of a time zone, as instants. */
export function daysPeriod(first: string, last: string, timeZone: string): Period {
  return { from: midnightIn(first, timeZone), to: midnightIn(addDays(last, 1), timeZone) };
}

/** 00:00 of a calendar day in a time zone, as an ISO instant. */
export function midnightIn(day: string, timeZone: string): string {
  const guess = Date.parse(`${day}T00:00:00Z`);
  // The zone's offset at that moment (twice, for a day a clock change falls on).
  let at = guess - offsetMs(guess, timeZone);
  at = guess - offsetMs(at, timeZone);
  return new Date(at).toISOString();
}

function offsetMs(at: number, timeZone: string): number {
  const parts = clockIn(timeZone, new Date(at));
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return local - Math.floor(at / 1000) * 1000;
}

/** 每周统计热点投诉: the week's complaints and repeat reports, grouped, against the week before. */
export interface HotComplaintsReport {
  week: string;
  period: Period;
  previous: Period;
  total: { count: number; complaints: number; repeats: number; previous: number; open: number; resolved: number };
  byCategory: Array<{ category: Category; count: number; previous: number; open: number; resolved: number; tickets: ReportTicketRef[] }>;
  /** null: public areas. */
  byBuilding: Array<{ building: number | null; count: number; previous: number }>;
  /** Places reported more than once in the week, most first. */
  hotSpots: Array<{ location: string; count: number; tickets: ReportTicketRef[] }>;
}

/** 每半个月统计未完成问题: every ticket still open at the period's end, per department, lights in public areas first, then the oldest. */
export interface UnfinishedReport {
  half: string;
  period: Period;
  /** The end of the period, or now while it runs. */
  asOf: string;
  departments: Array<{ department: Department; items: UnfinishedItem[] }>;
}

export interface UnfinishedItem extends ReportTicketRef {
  category: Category;
  receivedAt: string;
  ageDays: number;
  /** 廊灯、梯灯: a light in a public area, listed first as the seeds ask. */
  publicLight: boolean;
  /** The time agreed with the owner, if one was promised. */
  agreedAt: string | null;
  assignee: string | null;
}

/** 工单清单: the tickets received in a period (the estate's days), as filtered, newest first, for the meeting's spreadsheet. */
export interface TicketListReport {
  period: Period;
  total: number;
  items: TicketListItem[];
}

export interface TicketListItem extends ReportTicketRef {
  kind: TicketKind;
  category: Category;
  department: Department;
  description: string;
  receivedAt: string;
  closedAt: string | null;
  assignee: string | null;
  reopenCount: number;
  /** The callback's answer, when one reached an owner. */
  satisfaction: Satisfaction | null;
}

/** The longest ticket list one export holds: more is a period or filter to narrow. */
export const TICKET_LIST_MAX = 10_000;

/** GET /api/reports/tickets: the period (the estate's days, both included) and the filters. */
export interface TicketListParams {
  from: string;
  to: string;
  department?: Department;
  kind?: TicketKind;
  /** `open`, or statuses separated by commas. */
  status?: 'open' | TicketStatus | string;
}

export interface ReportTicketRef {
  id: string;
  number: string;
  location: string;
  status: string;
}

/**
 * Kept at each period's end: the closed week (its hot complaints and KPIs) and the closed
 * half-month (its unfinished items and KPIs), generated once and announced (`report.ready`).
 */
export type StoredReportKind = 'weekly' | 'half_month';
export interface StoredReportSummary {
  id: string;
  kind: StoredReportKind;
  /** 2026-W47, 2026-11-2. */
  key: string;
  period: Period;
  generatedAt: string;
}
export type StoredReport = StoredReportSummary & {
  content: { kind: 'weekly'; hot: HotComplaintsReport; kpi: KpiReport } | { kind: 'half_month'; unfinished: UnfinishedReport; kpi: KpiReport };
};

/** The periods closed by `now`: the week and the half-month that ended last. */
export function closedPeriods(now: Date, timeZone: string): { week: ReturnType<typeof weekOf>; half: ReturnType<typeof halfMonthOf> } {
  const today = dayIn(timeZone, now);
  const lastWeek = weekOf(addDays(weekOf(today, timeZone).monday, -1), timeZone);
  const lastHalf = halfMonthOf(addDays(halfMonthOf(today, timeZone).first, -1), timeZone);
  return { week: lastWeek, half: lastHalf };
}

/** Resolved for the owner: the work is done (a callback may still be due). */
export const RESOLVED_STATUSES = ['done', 'callback_done', 'closed'] as const;

/** Lights first (public-area ones), then the oldest. */
export function unfinishedOrder(a: UnfinishedItem, b: UnfinishedItem): number {
  return Number(b.publicLight) - Number(a.publicLight) || a.receivedAt.localeCompare(b.receivedAt);
}
