import type { DataSource } from 'typeorm';

/** Any fixed number: the advisory lock that lets one process at a time migrate and seed. */
const MIGRATION_LOCK = 727_001;

/**
 * Runs pending migrations, then `afterMigrate` (the demo seed), holding a session advisory
 * lock so two api instances starting together never migrate the same schema twice.
 */
export async function migrateUnderLock(
  dataSource: DataSource,
  afterMigrate: () => Promise<void> = async () => undefined,
): Promise<string[]> {
  const lockHolder = dataSource.createQueryRunner();
  await lockHolder.connect();
  try {
    await lockHolder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    await afterMigrate();
    return applied.map((migration) => migration.name);
  } finally {
    await lockHolder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lockHolder.release();
  }
}
