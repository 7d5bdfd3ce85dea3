import { kpiTally, type KpiTally } from '@dispatch/domain';
import { Pool, type PoolConfig } from 'pg';
import { type KpiSliceTask, readFacts } from './report-facts';

/** What a worker is sent: a slice of a report and how to reach the database. */
export interface KpiWorkerTask extends KpiSliceTask {
  connection: PoolConfig;
}

/**
 * What a worker answers: the slice's tally, or its error as data. An error crossing threads
 * keeps its message, not its code, and the code says whether the database was unavailable
 * (503) or the request failed (500).
 */
export type KpiWorkerAnswer = { tally: KpiTally } | { error: { message: string; code?: string } };

/** One connection per worker thread, opened at its first slice. */
let pool: Pool | undefined;

/**
 * A report worker thread (piscina): reads the facts of one slice of a KPI report on its own
 * connection and counts them, off the api's event loop. A quarter is 125,000 tickets and
 * 375,000 clock rounds: turning their rows into facts and figures took the api's one thread for
 * one to two seconds, every push and every alarm acknowledgement waiting behind it.
 */
export default async function tallySlice(task: KpiWorkerTask): Promise<KpiWorkerAnswer> {
  pool ??= new Pool({ ...task.connection, max: 1, allowExitOnIdle: true });
  try {
    const client = await pool.connect();
    try {
      return { tally: kpiTally(await readFacts(client, task), task.period, task.now) };
    } finally {
      client.release();
    }
  } catch (error) {
    const { message, code } = error as { message?: unknown; code?: unknown };
    return { error: { message: String(message ?? error), ...(typeof code === 'string' ? { code } : {}) } };
  }
}
