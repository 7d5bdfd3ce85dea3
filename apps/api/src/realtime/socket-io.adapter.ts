import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { ServerOptions, Server } from 'socket.io';
import { RedisFanout } from './redis-fanout';
import { socketOriginCheck } from './socket-origin';

/**
 * Nest's Socket.IO adapter, plugged into Redis when the deployment has several api processes;
 * handshakes only from the console's own origin or one `CORS_ORIGINS` lists.
 */
export class FanoutIoAdapter extends IoAdapter {
  private adapterFactory: Awaited<ReturnType<RedisFanout['adapterFactory']>> = null;

  constructor(
    private readonly app: INestApplicationContext,
    private readonly origins: readonly string[],
  ) {
    super(app);
  }

  async connect(): Promise<void> {
    this.adapterFactory = await this.app.get(RedisFanout).adapterFactory();
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, {
      ...options,
      cors: this.origins.length > 0 ? { origin: [...this.origins] } : undefined,
      allowRequest: socketOriginCheck(this.origins),
    } as ServerOptions) as Server;
    if (this.adapterFactory) server.adapter(this.adapterFactory);
    return server;
  }
}
