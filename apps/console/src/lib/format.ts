/** Times on the console are the estate's local time (Asia/Shanghai), whatever the device's zone. */
export const ESTATE_TIME_ZONE = 'Asia/Shanghai';

export function clockTime(ms: number | string, locale: string, seconds = true): string {
  const date = typeof ms === 'string' ? new Date(ms) : new Date(ms);
  return date.toLocaleTimeString(locale, { hour12: false, timeZone: ESTATE_TIME_ZONE, hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}) });
}

export function dateTime(iso: string, locale: string): string {
  return new Date(iso).toLocaleString(locale, { hour12: false, timeZone: ESTATE_TIME_ZONE, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

/** The next whole hour from `now`, as the value of a datetime-local input in the estate's time. */
export function localInputValue(ms: number): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: ESTATE_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).formatToParts(new Date(ms));
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour') === '24' ? '00' : get('hour')}:${get('minute')}`;
}

/** A datetime-local value read as estate time (UTC+8, no daylight saving) → ISO-8601 UTC. */
export function fromLocalInput(value: string): string {
  return new Date(`${value}:00+08:00`).toISOString();
}

/** A policy's allowance as a person reads it: 30 s, 15 min, 2 h, 7 d (zh: 30秒, 15分钟, 2小时, 7天). */
export function allowance(seconds: number, locale: string): string {
  const zh = locale.startsWith('zh');
  const [value, unit] =
    seconds % 86_400 === 0 ? [seconds / 86_400, zh ? '天' : ' d'] : seconds % 3_600 === 0 ? [seconds / 3_600, zh ? '小时' : ' h'] : seconds % 60 === 0 ? [seconds / 60, zh ? '分钟' : ' min'] : [seconds, zh ? '秒' : ' s'];
  return `${value}${unit}`;
}
