import type { AnyDomainEvent, ClientToServerEvents, HelloMessage, ServerToClientEvents } from '@dispatch/domain';
import { io, type Socket } from 'socket.io-client';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface Listener {
  socket: TestSocket;
  hello: HelloMessage;
  events: AnyDomainEvent[];
  waitForEvent: (match: (event: AnyDomainEvent) => boolean, timeoutMs?: number) => Promise<AnyDomainEvent>;
  close: () => void;
}

/** Connects like a wallboard and records every pushed event. */
export async function listen(url: string, token: string): Promise<Listener> {
  const socket: TestSocket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token } });
  const events: AnyDomainEvent[] = [];
  socket.on('event', (event) => events.push(event));
  const hello = await new Promise<HelloMessage>((resolve, reject) => {
    socket.once('hello', resolve);
    socket.once('connect_error', reject);
    setTimeout(() => reject(new Error('no hello within 5 s')), 5000);
  });
  const waitForEvent = (match: (event: AnyDomainEvent) => boolean, timeoutMs = 5000) =>
    new Promise<AnyDomainEvent>((resolve, reject) => {
      const found = events.find(match);
      if (found) return resolve(found);
      const onEvent = (event: AnyDomainEvent) => {
        if (!match(event)) return;
        clearTimeout(timer);
        socket.off('event', onEvent);
        resolve(event);
      };
      const timer = setTimeout(() => {
        socket.off('event', onEvent);
        reject(new Error(`no matching event within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.on('event', onEvent);
    });
  return { socket, hello, events, waitForEvent, close: () => socket.close() };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
