import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { KpiTally } from '@dispatch/domain';
import type { PoolConfig } from 'pg';
import { Piscina } from 'piscina';
import { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import type { KeepDayResult, KeepDayTask, ReadKeptTask } from './kept-days';
import type { WorkerAnswer, WorkerTask } from './kpi-worker';
import type { KpiPeriodTask } from './report-facts';

/** Report worker threads: as many as the machine has cores, up to four. */
export const REPORT_THREADS = Math.max(1, Math.min(4, availableParallelism()));

/**
 * A worker thread left idle this long ends (and its connection with it): each is some 30 MB
 * of the api's memory, and a manager's reports come minutes apart.
 */
const IDLE_MS = 60_000;

/**
 * The threads that count KPI reports and keep closed days (kpi-worker), so a manager's
 * quarter never holds up the api's event loop. Started at the first task, each with its own
 * connection to the same database as the api, bounded as the api's own (statement timeout,
 * connect timeout).
 */
@Injectable()
export class ReportWorkers implements OnModuleDestroy {
  private pool?: Piscina<WorkerTask<unknown>, WorkerAnswer<unknown>>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A period's tally counted live from its tickets' facts. */
  tally(task: KpiPeriodTask): Promise<KpiTally> {
    return this.run<KpiPeriodTask, KpiTally>('default', task);
  }

  /** One closed day kept (or found fresh, or being kept by another process). */
  keep(task: KeepDayTask): Promise<KeepDayResult> {
    return this.run<KeepDayTask, KeepDayResult>('keepDay', task);
  }

  /** A report's kept days read and added up. */
  readKept(task: ReadKeptTask): Promise<KpiTally> {
    return this.run<ReadKeptTask, KpiTally>('readKept', task);
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool?.destroy();
  }

  private async run<T, R>(name: string, task: T): Promise<R> {
    const answer = (await this.threads().run({ ...task, connection: this.connection() }, { name })) as WorkerAnswer<R>;
    if ('result' in answer) return answer.result;
    throw Object.assign(new Error(answer.error.message), answer.error.code ? { code: answer.error.code } : {});
  }

  private threads(): Piscina<WorkerTask<unknown>, WorkerAnswer<unknown>> {
    // Built, the worker is kpi-worker.js; run from source (the tests), kpi-worker.ts through tsx.
    const fromSource = extname(__filename) === '.ts';
    this.pool ??= new Piscina({
      filename: join(__dirname, `kpi-worker${extname(__filename)}`),
      execArgv: fromSource ? ['--import', 'tsx'] : [],
      maxThreads: REPORT_THREADS,
      minThreads: 0,
      // A worker keeps its connection between tasks: with Atomics its event loop would stand still between them.
      atomics: 'disabled',
      idleTimeout: IDLE_MS,
    });
    return this.pool;
  }

  /** The api's own connection settings, but for the pool size (a worker holds one connection). */
  private connection(): PoolConfig {
    const { url, extra } = this.dataSource.options as PostgresConnectionOptions;
    const bounds: PoolConfig = { ...((extra ?? {}) as PoolConfig) };
    delete bounds.max;
    return { ...bounds, connectionString: url };
  }
}
