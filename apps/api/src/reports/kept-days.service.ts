import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { addDays, dayIn, daysPeriod, type KpiTally } from '@dispatch/domain';
import { DataSource } from 'typeorm';
import { KEEP_AFTER_MS } from './kept-days';
import type { ReportScope } from './report-facts';
import { REPORT_THREADS, ReportWorkers } from './report-workers';

/** Whether a day has been over long enough to be kept (see KEEP_AFTER_MS). */
export function keepable(day: string, timeZone: string, now: Date): boolean {
  return Date.parse(daysPeriod(day, day, timeZone).to) + KEEP_AFTER_MS <= now.getTime();
}

/**
 * The kept days of the KPI reports (kept-days): which need keeping, keeping them on the report
 * threads, reading them back as tallies for a report's scope.
 */
@Injectable()
export class KeptDays {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly workers: ReportWorkers,
  ) {}

  /**
   * Keeps those of `days` (closed, keepable) that are not kept or were changed since, side by
   * side on the report threads: how many were kept, and the days another process was keeping
   * at that moment (busy).
   */
  async keep(estateId: string, days: readonly string[], timeZone: string, now: Date): Promise<{ kept: number; busy: Set<string> }> {
    return this.keepEach(estateId, await this.unkept(estateId, days), timeZone, now);
  }

  /** Keeps each of `days` on the report threads (each checks again under its lock whether it is fresh). */
  private async keepEach(estateId: string, days: readonly string[], timeZone: string, now: Date): Promise<{ kept: number; busy: Set<string> }> {
    const results = await Promise.all(days.map(async (day) => ({ day, result: await this.workers.keep({ estateId, day, period: daysPeriod(day, day, timeZone), now: now.toISOString() }) })));
    return { kept: results.filter((one) => one.result === 'kept').length, busy: new Set(results.filter((one) => one.result === 'busy').map((one) => one.day)) };
  }

  /** Those of `days` not kept, or changed since they were kept, in the order given. */
  private async unkept(estateId: string, days: readonly string[]): Promise<string[]> {
    const rows = await this.dataSource.query<Array<{ day: string }>>(
      `SELECT d::text AS day FROM unnest($2::date[]) WITH ORDINALITY AS g(d, n)
        WHERE NOT EXISTS (SELECT 1 FROM kpi_day_kept k WHERE k.estate_id = $1 AND k.day = d)
           OR EXISTS (SELECT 1 FROM kpi_day_stale s WHERE s.estate_id = $1 AND s.day = d)
        ORDER BY n`,
      [estateId, days],
    );
    return rows.map((row) => row.day);
  }

  /** The kept days of a report added up in its scope, on a report thread (see `readKept`). */
  read(estateId: string, days: readonly string[], scope: ReportScope): Promise<KpiTally> {
    return this.workers.readKept({ estateId, days: [...days], scope });
  }

  /**
   * The sweep: keeps every closed day of the estate since its first ticket not kept yet or
   * changed since, newest first, so a report finds its days kept, this quarter's or the same
   * quarter a year back (a day is kept once, by whichever process takes its lock). A few days
   * at a time: a report asked meanwhile waits for a few days' work on the threads, not a
   * year's. How many days were kept.
   */
  async keepAll(estateId: string, timeZone: string, now: Date): Promise<number> {
    const [{ first }] = await this.dataSource.query<Array<{ first: Date | null }>>('SELECT min(received_at) AS first FROM ticket WHERE estate_id = $1', [estateId]);
    if (!first) return 0;
    const since = dayIn(timeZone, new Date(first));
    const days: string[] = [];
    for (let day = addDays(dayIn(timeZone, now), -1); day >= since; day = addDays(day, -1)) if (keepable(day, timeZone, now)) days.push(day);
    const wanted = await this.unkept(estateId, days);
    let kept = 0;
    for (let at = 0; at < wanted.length; at += REPORT_THREADS * 2) {
      kept += (await this.keepEach(estateId, wanted.slice(at, at + REPORT_THREADS * 2), timeZone, now)).kept;
    }
    return kept;
  }
}
