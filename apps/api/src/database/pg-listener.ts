import type { Logger } from '@nestjs/common';
import { Client } from 'pg';

const RECONNECT_MS = 1_000;

/**
 * A dedicated connection that LISTENs on one channel and calls back on each notification,
 * reconnecting by itself when the connection drops (TypeORM's pool cannot hold a LISTEN).
 * Callers keep a safety re-check of their own for notifications sent while it reconnected.
 */
export class PgListener {
  private client?: Client;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly onNotify: () => void,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.url });
    client.on('notification', () => this.onNotify());
    client.on('error', (error) => {
      this.logger.warn(`listener on ${this.channel} lost: ${error.message}; reconnecting`);
      this.client = undefined;
      this.retry();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      this.client = client;
    } catch (error) {
      this.logger.warn(`could not listen on ${this.channel}: ${(error as Error).message}`);
      await client.end().catch(() => undefined);
      this.retry();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.client?.end().catch(() => undefined);
  }

  private retry(): void {
    if (!this.stopped) setTimeout(() => void this.start(), RECONNECT_MS).unref();
  }
}
