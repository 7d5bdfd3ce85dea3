import { Injectable, Logger, NotFoundException, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, addDays, closedPeriods, type Period, type StoredReport, type StoredReportKind, type StoredReportSummary } from '@dispatch/domain';
import { DataSource } from 'typeorm';
import { every } from '../common/every';
import type { AppConfig } from '../config/env';
import { EstateService } from '../estate/estate.service';
import { EventBus } from '../events/event-bus';
import { EventLogService } from '../events/event-log.service';
import { KeptDays } from './kept-days.service';
import { ReportsService } from './reports.service';

/** Reports generated for the estate as a whole, by nobody in particular. */
const ESTATE: Actor = { id: 'report-keeper', name: 'report keeper', role: 'manager', department: null };

type Row = { id: string; kind: StoredReportKind; period_key: string; period_from: Date; period_to: Date; generated_at: Date; content?: StoredReport['content'] };

/**
 * Keeps the report of each closed period: when a week or a half-month has ended, the first
 * process to sweep writes its report (the unique key of kind and period makes it exactly once
 * however many processes sweep at once) and announces it with `report.ready` in the same
 * transaction. A period that closed while every process was down is written at the next sweep.
 */
@Injectable()
export class ReportKeeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ReportKeeper');
  private stop: () => void = () => undefined;
  private sweeping = false;

  constructor(
    private readonly config: ConfigService<AppConfig, true>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly estates: EstateService,
    private readonly reports: ReportsService,
    private readonly log: EventLogService,
    private readonly bus: EventBus,
    private readonly days: KeptDays,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.get('WATCH_SWEEP_SECONDS', { infer: true });
    this.stop = every(seconds, () => this.sweep(), this.logger, 'report keeper');
    if (seconds) void this.sweep().catch((error: Error) => this.logger.warn(`report keeper failed: ${error.message}`));
  }

  onApplicationShutdown(): void {
    this.stop();
  }

  /** The closed days' KPIs kept (a report reads them, not their tickets), then the closed periods' reports. */
  async sweep(now = new Date()): Promise<void> {
    // A first sweep over a year of history outlasts the interval: the next waits its turn.
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const { id: estateId, timezone } = await this.estates.current();
      await this.days.keepAll(estateId, timezone, now);
      await this.keepClosed(now);
    } finally {
      this.sweeping = false;
    }
  }

  /** Writes the reports of the periods closed by `now` that are not kept yet; what this call wrote. */
  async keepClosed(now = new Date()): Promise<StoredReportSummary[]> {
    const { id: estateId, timezone } = await this.estates.current();
    const { week, half } = closedPeriods(now, timezone);
    const wanted: Array<{ kind: StoredReportKind; key: string; period: Period; build: () => Promise<StoredReport['content']> }> = [
      {
        kind: 'weekly',
        key: week.week,
        period: { from: week.from, to: week.to },
        build: async () => ({
          kind: 'weekly',
          hot: await this.reports.weekly(ESTATE, week.monday),
          kpi: await this.reports.kpi(ESTATE, { from: week.monday, to: addDays(week.monday, 6) }),
        }),
      },
      {
        kind: 'half_month',
        key: half.half,
        period: { from: half.from, to: half.to },
        build: async () => ({
          kind: 'half_month',
          unfinished: await this.reports.unfinished(ESTATE, half.first),
          kpi: await this.reports.kpi(ESTATE, { from: half.first, to: half.last }),
        }),
      },
    ];
    const written: StoredReportSummary[] = [];
    for (const one of wanted) {
      const [kept] = await this.dataSource.query(`SELECT 1 FROM stored_report WHERE estate_id = $1 AND kind = $2 AND period_key = $3`, [estateId, one.kind, one.key]);
      if (kept) continue;
      const content = await one.build();
      const result = await this.dataSource.transaction(async (db) => {
        const [row] = await db.query<Row[]>(
          `INSERT INTO stored_report (estate_id, kind, period_key, period_from, period_to, content, generated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (estate_id, kind, period_key) DO NOTHING
           RETURNING id, kind, period_key, period_from, period_to, generated_at`,
          [estateId, one.kind, one.key, one.period.from, one.period.to, JSON.stringify(content), new Date()],
        );
        if (!row) return null;
        const report = summaryOf(row);
        return { report, event: await this.log.append(db, { type: 'report.ready', data: { report } }, new Date()) };
      });
      if (!result) continue;
      this.bus.published([result.event]);
      written.push(result.report);
    }
    return written;
  }

  async list(): Promise<StoredReportSummary[]> {
    const { id: estateId } = await this.estates.current();
    const rows = await this.dataSource.query<Row[]>(
      `SELECT id, kind, period_key, period_from, period_to, generated_at FROM stored_report WHERE estate_id = $1 ORDER BY period_to DESC, kind LIMIT 200`,
      [estateId],
    );
    return rows.map(summaryOf);
  }

  async get(id: string): Promise<StoredReport> {
    const { id: estateId } = await this.estates.current();
    const [row] = await this.dataSource.query<Row[]>(
      `SELECT id, kind, period_key, period_from, period_to, generated_at, content FROM stored_report WHERE estate_id = $1 AND id = $2`,
      [estateId, id],
    );
    if (!row?.content) throw new NotFoundException(`No report ${id}`);
    return { ...summaryOf(row), content: row.content };
  }
}

function summaryOf(row: Row): StoredReportSummary {
  return { id: row.id, kind: row.kind, key: row.period_key, period: { from: new Date(row.period_from).toISOString(), to: new Date(row.period_to).toISOString() }, generatedAt: new Date(row.generated_at).toISOString() };
}
