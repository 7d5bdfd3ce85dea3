import type { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** How long a request may wait for a pooled connection before it is answered 503. */
export const POOL_ACQUIRE_TIMEOUT_MS = 5_000;

/**
 * Bounds on every statement, so a stalled database ends requests instead of holding them:
 * the server cancels a statement after `statementTimeoutMs`; if the server itself does not
 * answer (frozen), the driver gives up a little later; a transaction left idle is ended.
 */
export function dataSourceOptions(url: string, poolSize: number, statementTimeoutMs = 15_000): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    // The schema comes from migrations only, run under a lock by SchemaMigrator.
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    extra: {
      max: poolSize,
      connectionTimeoutMillis: POOL_ACQUIRE_TIMEOUT_MS,
      statement_timeout: statementTimeoutMs,
      query_timeout: statementTimeoutMs + 2_000,
      idle_in_transaction_session_timeout: statementTimeoutMs * 2,
      // No JIT compilation: the api's statements are short, and on a report over a quarter's
      // hundred thousand tickets compiling cost more than it saved (70–470 ms, bench:reports).
      options: '-c jit=off',
    },
  };
}
