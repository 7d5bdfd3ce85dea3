import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient, type RedisClientType } from 'redis';
import type { AppConfig } from '../config/env';

type SocketAdapterFactory = ReturnType<typeof createAdapter>;

/**
 * Cross-instance fan-out. With REDIS_URL, Socket.IO's Redis adapter relays every room
 * broadcast to the other api processes; without it, the in-memory adapter serves one
 * process (the embedded default).
 */
@Injectable()
export class RedisFanout implements OnApplicationShutdown {
  private readonly logger = new Logger('RedisFanout');
  private clients: RedisClientType[] = [];
  private adapter?: SocketAdapterFactory;

  constructor(private readonly config: ConfigService<AppConfig, true>) {}

  get configured(): boolean {
    return Boolean(this.config.get('REDIS_URL', { infer: true }));
  }

  /**
   * Whether a broadcast may go to Redis: connected, or reconnecting (commands wait in the
   * client's queue); not once shut down, where a publish would reject with no one to catch it.
   */
  get open(): boolean {
    return this.clients[0]?.isOpen ?? false;
  }

  /** Connects the publish and subscribe clients; returns null when Redis is not configured. */
  async adapterFactory(): Promise<SocketAdapterFactory | null> {
    const url = this.config.get('REDIS_URL', { infer: true });
    if (!url) return null;
    if (this.adapter) return this.adapter;
    const pub: RedisClientType = createClient({ url });
    const sub = pub.duplicate();
    for (const client of [pub, sub]) {
      client.on('error', (error: Error) => this.logger.warn(`redis: ${error.message}`));
    }
    await Promise.all([pub.connect(), sub.connect()]);
    this.clients = [pub, sub];
    this.adapter = createAdapter(pub, sub);
    return this.adapter;
  }

  /** For the health check: 'up', 'down' or 'disabled' (in-process fan-out). */
  async status(): Promise<'up' | 'down' | 'disabled'> {
    if (!this.configured) return 'disabled';
    const [pub] = this.clients;
    if (!pub?.isReady) return 'down';
    try {
      return (await pub.ping()) === 'PONG' ? 'up' : 'down';
    } catch {
      return 'down';
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.quit().catch(() => undefined)));
    this.clients = [];
  }
}
