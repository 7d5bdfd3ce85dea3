import { kpiTally, type KpiTally } from '@dispatch/domain';
import { Pool, type PoolClient, type PoolConfig } from 'pg';
import { type KeepDayResult, type KeepDayTask, keepDay as keepOneDay, type ReadKeptTask, readKept as readKeptDays } from './kept-days';
import { type KpiPeriodTask, readFacts } from './report-facts';

/** What a worker is sent: a task and how to reach the database. */
export type WorkerTask<T> = T & { connection: PoolConfig };

/**
 * What a worker answers: its result, or its error as data. An error crossing threads keeps
 * its message, not its code, and the code says whether the database was unavailable (503) or
 * the request failed (500).
 */
export type WorkerAnswer<R> = { result: R } | { error: { message: string; code?: string } };

/** One connection per worker thread, opened at its first task. */
let pool: Pool | undefined;

async function withClient<R>(connection: PoolConfig, work: (client: PoolClient) => Promise<R>): Promise<WorkerAnswer<R>> {
  pool ??= new Pool({ ...connection, max: 1, allowExitOnIdle: true });
  try {
    const client = await pool.connect();
    try {
      return { result: await work(client) };
    } finally {
      client.release();
    }
  } catch (error) {
    const { message, code } = error as { message?: unknown; code?: unknown };
    return { error: { message: String(message ?? error), ...(typeof code === 'string' ? { code } : {}) } };
  }
}

/**
 * A report worker thread (piscina): counts a period of a KPI report on its own connection,
 * off the api's event loop. A day is a thousand tickets and three thousand clock rounds; a
 * quarter counted from its facts held the api's one thread for one to two seconds, every push
 * and every alarm acknowledgement waiting behind it.
 */
export default async function tallyPeriod(task: WorkerTask<KpiPeriodTask>): Promise<WorkerAnswer<KpiTally>> {
  return withClient(task.connection, async (client) => kpiTally(await readFacts(client, task), task.period, task.now));
}

/** Keeps one closed day's figures (kept-days). */
export async function keepDay(task: WorkerTask<KeepDayTask>): Promise<WorkerAnswer<KeepDayResult>> {
  return withClient(task.connection, (client) => keepOneDay(client, task));
}

/** Reads a report's kept days, added up (kept-days). */
export async function readKept(task: WorkerTask<ReadKeptTask>): Promise<WorkerAnswer<KpiTally>> {
  return withClient(task.connection, (client) => readKeptDays(client, task));
}
