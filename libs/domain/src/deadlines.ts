const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** Seed rule: a repair is entered and its dispatch slip (维修调度单) issued within 1 minute. */
export const DISPATCH_WITHIN_MS = 1 * MINUTE;

/** Default share of the allowed time after which a countdown turns amber. */
export const WARNING_SHARE = 0.8;

export function addMs(at: Date, ms: number): Date {
  return new Date(at.getTime() + ms);
}

export function dispatchDeadline(receivedAt: Date): Date {
  return addMs(receivedAt, DISPATCH_WITHIN_MS);
}

export type CountdownPhase = 'ok' | 'warning' | 'breached' | 'met';

export interface ClockTimes {
  startedAt: string | Date;
  dueAt: string | Date;
  /** When the server computed one (business-hours clocks), the moment the warning fires. */
  warnAt?: string | Date | null;
  metAt?: string | Date | null;
}

const toMs = (value: string | Date): number =>
  typeof value === 'string' ? Date.parse(value) : value.getTime();

/** Milliseconds left until the clock is due (negative once overdue). */
export function remainingMs(clock: Pick<ClockTimes, 'dueAt'>, nowMs: number): number {
  return toMs(clock.dueAt) - nowMs;
}

/** Green until `warningShare` of the allowed time is used, amber until due, red after. */
export function countdownPhase(clock: ClockTimes, nowMs: number, warningShare = WARNING_SHARE): CountdownPhase {
  if (clock.metAt) return 'met';
  const started = toMs(clock.startedAt);
  const due = toMs(clock.dueAt);
  if (nowMs >= due) return 'breached';
  const warnAt = clock.warnAt ? toMs(clock.warnAt) : started + (due - started) * warningShare;
  return nowMs >= warnAt ? 'warning' : 'ok';
}

/** How a countdown of a day or more names its units: 2天3时 in Chinese, 2d 3h in English. */
export const DAY_HOUR_UNITS = { zh: { day: '天', hour: '时' }, en: { day: 'd ', hour: 'h' } } as const;

/**
 * `4:05`, `0:09`, `1:02:03`; a day or more as days and hours (`2天3时`: nobody reads 330:35:14);
 * overdue times get a leading `+` (they count up).
 */
export function formatCountdown(ms: number, units: { day: string; hour: string } = DAY_HOUR_UNITS.zh): string {
  const overdue = ms < 0;
  // Whole seconds, truncated like a stopwatch: 59.8 s left shows 0:59, 0.4 s overdue +0:00.
  // Truncating also keeps a few ms of clock-estimate error from showing 1:01 on a 1:00 clock.
  const total = Math.floor(Math.abs(ms) / SECOND);
  if (total >= 86_400) {
    const days = Math.floor(total / 86_400);
    const body = `${days}${units.day}${Math.floor((total % 86_400) / 3600)}${units.hour}`;
    return overdue ? `+${body}` : body;
  }
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  const body = hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${minutes}:${pad(seconds)}`;
  return overdue ? `+${body}` : body;
}

/** The deadline that matters now: the running (or overdue) clock due soonest; none when all are settled. */
export function nextClock<C extends { state: string; dueAt: string }>(clocks: readonly C[]): C | undefined {
  let next: C | undefined;
  for (const clock of clocks) {
    if (clock.state !== 'running' && clock.state !== 'breached') continue;
    if (!next || Date.parse(clock.dueAt) < Date.parse(next.dueAt)) next = clock;
  }
  return next;
}

/** The clock the person on site works against at each stage: arrive, then report from site. */
const FIELD_STAGE_CLOCK: Readonly<Record<string, string>> = { dispatched: 'arrival', accepted: 'arrival', on_site: 'report_on_site' };

/**
 * The deadline a field worker's tablet shows large: their own stage's clock while it runs
 * (arrival, then the on-site report), else whichever clock is due soonest.
 */
export function fieldClock<C extends { clock: string; state: string; dueAt: string }>(status: string, clocks: readonly C[]): C | undefined {
  const own = FIELD_STAGE_CLOCK[status];
  return (own ? nextClock(clocks.filter((clock) => clock.clock === own)) : undefined) ?? nextClock(clocks);
}
