import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { ServerOptions, Server } from 'socket.io';
import { RedisFanout } from './redis-fanout';

/** Nest's Socket.IO adapter, plugged into Redis when the deployment has several api processes. */
export class FanoutIoAdapter extends IoAdapter {
  private adapterFactory: Awaited<ReturnType<RedisFanout['adapterFactory']>> = null;

  constructor(private readonly app: INestApplicationContext) {
    super(app);
  }

  async connect(): Promise<void> {
    this.adapterFactory = await this.app.get(RedisFanout).adapterFactory();
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, options) as Server;
    if (this.adapterFactory) server.adapter(this.adapterFactory);
    return server;
  }
}
