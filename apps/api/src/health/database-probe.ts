import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { DATABASE_CONNECTION, type DatabaseConnection } from '../database/database.module';

export type DatabaseState = 'up' | 'slow' | 'down';

/** A probe answered after this is "slow"; one that does not connect at all within it is "down". */
const PROBE_TIMEOUT_MS = 2_000;

/**
 * The health check's own connection, outside the pool: a pool saturated by real work must
 * not make a healthy database look down. A probe that connects but does not answer in time
 * is "slow" (the process stays in rotation); one that cannot connect is "down" (503).
 */
@Injectable()
export class DatabaseProbe implements OnApplicationShutdown {
  private client?: Client;
  private inFlight?: Promise<DatabaseState>;

  constructor(@Inject(DATABASE_CONNECTION) private readonly connection: DatabaseConnection) {}

  /** Concurrent health requests share one probe. */
  state(): Promise<DatabaseState> {
    this.inFlight ??= this.probe().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.drop();
  }

  private async probe(): Promise<DatabaseState> {
    let client: Client;
    try {
      client = await this.connected();
    } catch {
      return 'down';
    }
    const answered = client.query('SELECT 1').then(
      () => 'up' as const,
      () => 'down' as const,
    );
    const timer = new Promise<'slow'>((done) => setTimeout(() => done('slow'), PROBE_TIMEOUT_MS).unref());
    const state = await Promise.race([answered, timer]);
    // A probe stuck behind a stalled server, or a broken connection: start afresh next time.
    if (state !== 'up') await this.drop();
    return state;
  }

  private async connected(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client({ connectionString: this.connection.url, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
    client.on('error', () => void this.drop());
    client.on('end', () => {
      if (this.client === client) this.client = undefined;
    });
    await client.connect();
    this.client = client;
    return client;
  }

  private async drop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
