import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface CuttableProxy {
  /** The api as the browser reaches it, through the proxy. */
  url: string;
  /** Drops every open connection and refuses new ones: the network is gone. */
  cut(): void;
  restore(): void;
  /** Holds every byte in both directions, connections open: a link that went silent, not down. */
  freeze(): void;
  /** Lets the held bytes through, in order, and everything after them. */
  thaw(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of the api that a test can unplug: to the browser a cut looks like a
 * network drop (its websocket dies, its reconnections fail) while the api runs on.
 */
export async function cuttableProxy(target: string): Promise<CuttableProxy> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let up = true;
  let frozen = false;
  const held: Array<[Socket, Buffer]> = [];
  const server = createServer((inbound) => {
    if (!up) {
      inbound.destroy();
      return;
    }
    const outbound = connect(Number(port), hostname);
    for (const socket of [inbound, outbound]) {
      sockets.add(socket);
      socket.on('close', () => {
        sockets.delete(socket);
        inbound.destroy();
        outbound.destroy();
      });
      socket.on('error', () => socket.destroy());
    }
    const forward = (from: Socket, to: Socket) =>
      from.on('data', (chunk: Buffer) => {
        if (frozen) held.push([to, chunk]);
        else to.write(chunk);
      });
    forward(inbound, outbound);
    forward(outbound, inbound);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    cut() {
      up = false;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      up = true;
    },
    freeze() {
      frozen = true;
    },
    thaw() {
      frozen = false;
      for (const [to, chunk] of held.splice(0)) if (!to.destroyed) to.write(chunk);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
