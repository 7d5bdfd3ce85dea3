import { describe, expect, it } from 'vitest';
import type { AnyDomainEvent, HelloMessage, ResumeResult } from './events';
import { type FeedSocket, type FeedStatus, LiveFeed } from './live-feed';

const event = (seq: number): AnyDomainEvent =>
  ({ seq, type: 'sla.policy_changed', at: '2026-11-23T00:00:00.000Z', data: {} }) as unknown as AnyDomainEvent;

/** A socket whose server side the test scripts: emit server events, answer resume pages. */
class FakeSocket implements FeedSocket {
  private listeners = new Map<string, Array<(...args: never[]) => void>>();
  resumes: number[] = [];
  answer: (afterSeq: number) => Promise<ResumeResult> = async () => ({ events: [], throughSeq: 0, hasMore: false });

  on(name: string, listener: (...args: never[]) => void): this {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
    return this;
  }
  emit(name: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(name) ?? []) (listener as (...a: unknown[]) => void)(...args);
  }
  timeout() {
    return {
      emitWithAck: (_name: 'resume', request: { afterSeq: number }) => {
        this.resumes.push(request.afterSeq);
        return this.answer(request.afterSeq);
      },
    };
  }
}

const hello = (lastSeq: number): HelloMessage => ({ serverTime: 0, lastSeq });
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function feed(socket: FakeSocket) {
  const seen: number[] = [];
  const statuses: FeedStatus[] = [];
  const live = new LiveFeed(socket, { onEvent: (e) => seen.push(e.seq), onStatus: (s) => statuses.push(s) });
  return { live, seen, statuses };
}

describe('LiveFeed', () => {
  it('starts live from the first hello, and drops what it has seen', async () => {
    const socket = new FakeSocket();
    const { seen, live } = feed(socket);
    socket.emit('hello', hello(10));
    socket.emit('event', event(11));
    socket.emit('event', event(11));
    socket.emit('event', event(9));
    socket.emit('event', event(14));
    expect(seen).toEqual([11, 14]);
    expect(live.position).toBe(14);
    expect(socket.resumes).toEqual([]);
  });

  it('after a drop, replays page by page from the last seq, holds live events back, then goes on in order', async () => {
    const socket = new FakeSocket();
    const { seen, statuses } = feed(socket);
    socket.emit('hello', hello(10));
    socket.emit('event', event(11));
    socket.emit('disconnect');

    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    socket.answer = async (afterSeq) => {
      if (afterSeq === 11) {
        await gate; // live events arrive while the first page is in flight
        return { events: [event(12), event(13)], throughSeq: 13, hasMore: true };
      }
      return { events: [event(15)], throughSeq: 17, hasMore: false };
    };
    socket.emit('connect');
    socket.emit('hello', hello(17));
    socket.emit('event', event(18));
    socket.emit('event', event(15)); // also in the replay
    socket.emit('event', event(19));
    release();
    await flush();
    await flush();

    expect(socket.resumes).toEqual([11, 13]);
    expect(seen).toEqual([11, 12, 13, 15, 18, 19]);
    expect(statuses).toEqual(['live', 'offline', 'connecting', 'replaying', 'live']);
  });

  it('starts the replay again from where it got to when the socket drops mid-replay', async () => {
    const socket = new FakeSocket();
    const { seen } = feed(socket);
    socket.emit('hello', hello(5));
    socket.answer = async () => {
      throw new Error('operation has timed out');
    };
    socket.emit('hello', hello(9));
    await flush();
    socket.answer = async (afterSeq) => ({ events: [event(6), event(8)].filter((e) => e.seq > afterSeq), throughSeq: 9, hasMore: false });
    socket.emit('hello', hello(9));
    await flush();
    expect(socket.resumes).toEqual([5, 5]);
    expect(seen).toEqual([6, 8]);
  });

  it('reports a refused handshake as unauthorized', () => {
    const socket = new FakeSocket();
    const { statuses } = feed(socket);
    socket.emit('connect_error', new Error('unauthorized: invalid token'));
    socket.emit('connect_error', new Error('xhr poll error'));
    expect(statuses).toEqual(['unauthorized', 'offline']);
  });
});
