import { DataSource } from 'typeorm';
import { loadConfig } from '../config/env';
import { dataSourceOptions } from './data-source-options';
import { migrateUnderLock } from './schema-migrator';

/** `npm run db:migrate`: applies pending migrations to DATABASE_URL and exits. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  if (!config.DATABASE_URL) {
    throw new Error('DATABASE_URL is not set: the embedded database migrates itself at start');
  }
  const dataSource = await new DataSource(dataSourceOptions(config.DATABASE_URL, 2)).initialize();
  try {
    const applied = await migrateUnderLock(dataSource);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
