/**
 * A bench:push client process: holds a share of the sockets, stamps each receipt, and
 * reports (key, receivedAt) pairs to the parent. Several run at once so that the clients'
 * own JSON parsing does not become what the benchmark measures.
 */
import { io, type Socket } from 'socket.io-client';

interface Start {
  url: string;
  tokens: string[];
  count: number;
  offset: number;
}

let sockets: Socket[] = [];
const receipts: Array<[string, number]> = [];

function keyOf(event: { type?: string; data?: { eventId?: string }; benchIndex?: number }): string | null {
  if (typeof event.benchIndex === 'number') return `floor-${event.benchIndex}`;
  return event.type === 'alarm.repeated' && event.data?.eventId ? event.data.eventId : null;
}

process.on('message', async (message: { start?: Start; stop?: true }) => {
  if (message.start) {
    const { url, tokens, count, offset } = message.start;
    for (let i = 0; i < count; i += 50) {
      const batch = Array.from({ length: Math.min(50, count - i) }, (_, j) =>
        io(url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: tokens.length ? { token: tokens[(offset + i + j) % tokens.length] } : {} }),
      );
      await Promise.all(batch.map((socket) => new Promise<void>((done, fail) => {
        socket.once('connect', () => done());
        socket.once('connect_error', fail);
      })));
      for (const socket of batch) {
        socket.on('event', (event) => {
          const key = keyOf(event);
          if (key) receipts.push([key, Date.now()]);
        });
      }
      sockets.push(...batch);
    }
    process.send?.({ ready: true });
  }
  if (message.stop) {
    for (const socket of sockets) socket.close();
    sockets = [];
    process.send?.({ receipts }, () => process.exit(0));
  }
});
