import { Global, Inject, Injectable, Logger, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/env';
import { seedDemoData, seedDemoDevices, seedDemoPanel, seedDemoResidents, seedMissingDemoStaff } from '../estate/demo-seed';
import { dataSourceOptions } from './data-source-options';
import { EmbeddedPostgres } from './embedded-postgres';
import { migrateUnderLock } from './schema-migrator';

export const DATABASE_CONNECTION = Symbol('DATABASE_CONNECTION');

/** Where the database is: the configured one, or the embedded PostgreSQL started here. */
export interface DatabaseConnection {
  url: string;
  embedded?: EmbeddedPostgres;
}

/**
 * Brings the schema up to date (and seeds the demo) before the app accepts requests;
 * at shutdown closes the pool before the embedded server under it.
 */
@Injectable()
class DatabaseLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: ConfigService<AppConfig, true>,
    @Inject(DATABASE_CONNECTION) private readonly connection: DatabaseConnection,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.connection.embedded?.stop();
  }

  async onModuleInit(): Promise<void> {
    let seeded = false;
    const applied = await migrateUnderLock(this.dataSource, async () => {
      if (this.config.get('seedDemo', { infer: true })) {
        seeded = await seedDemoData(this.dataSource);
        await seedDemoDevices(this.dataSource);
        await seedMissingDemoStaff(this.dataSource);
        await seedDemoPanel(this.dataSource);
        await seedDemoResidents(this.dataSource);
      }
    });
    if (applied.length) this.logger.log(`migrations applied: ${applied.join(', ')}`);
    if (seeded) this.logger.log('demo estate seeded');
  }
}

@Global()
@Module({
  providers: [
    {
      provide: DATABASE_CONNECTION,
      inject: [ConfigService],
      useFactory: async (config: ConfigService<AppConfig, true>): Promise<DatabaseConnection> => {
        const url = config.get('DATABASE_URL', { infer: true });
        if (url) return { url };
        const embedded = await EmbeddedPostgres.start(config.get('EMBEDDED_DB_DIR', { infer: true }), new Logger('EmbeddedPostgres'));
        return { url: embedded.url, embedded };
      },
    },
  ],
  exports: [DATABASE_CONNECTION],
})
class DatabaseConnectionModule {}

@Module({
  imports: [
    DatabaseConnectionModule,
    TypeOrmModule.forRootAsync({
      inject: [DATABASE_CONNECTION, ConfigService],
      useFactory: (connection: DatabaseConnection, config: ConfigService<AppConfig, true>) =>
        dataSourceOptions(connection.url, config.get('DB_POOL_SIZE', { infer: true }), config.get('DB_STATEMENT_TIMEOUT_MS', { infer: true })),
    }),
  ],
  providers: [DatabaseLifecycle],
})
export class DatabaseModule {}
