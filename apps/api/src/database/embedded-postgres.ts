import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * The embedded default: PGlite (PostgreSQL compiled to WASM) with its data in a folder,
 * served on a loopback port so the app talks to it through the same `pg` driver and
 * TypeORM code as to a real server. Only the connection string differs.
 */
export class EmbeddedPostgres {
  private stopping?: Promise<void>;

  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    readonly url: string,
  ) {}

  static async start(dataDir: string, maxConnections: number): Promise<EmbeddedPostgres> {
    const dir = resolve(dataDir);
    mkdirSync(dir, { recursive: true });
    const db = await PGlite.create(dir);
    // More than one connection: with the default of 1 a pool fails ("Connection terminated unexpectedly").
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
    await server.start();
    const address = server.getServerConn();
    return new EmbeddedPostgres(db, server, `postgres://postgres@${address}/postgres`);
  }

  /** Stops serving and closes the files; safe to call more than once. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.server.stop();
      await this.db.close();
    })();
    return this.stopping;
  }
}
