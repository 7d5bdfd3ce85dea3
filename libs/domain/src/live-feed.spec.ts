import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnyDomainEvent, HelloMessage, ResumeResult } from './events';
import { type FeedSocket, type FeedStatus, LiveFeed } from './live-feed';

const event = (seq: number): AnyDomainEvent =>
  ({ seq, type: 'sla.policy_changed', at: '2026-11-23T00:00:00.000Z', data: {} }) as unknown as AnyDomainEvent;

interface PendingResume {
  afterSeq: number;
  resolve: (result: ResumeResult) => void;
  reject: (error: Error) => void;
}

/** A socket whose server side the test scripts: emit server events, answer resumes when it says. */
class FakeSocket implements FeedSocket {
  private listeners = new Map<string, Array<(...args: never[]) => void>>();
  pending: PendingResume[] = [];
  resumes: number[] = [];

  on(name: string, listener: (...args: never[]) => void): this {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
    return this;
  }
  emit(name: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(name) ?? []) (listener as (...a: unknown[]) => void)(...args);
  }
  timeout() {
    return {
      emitWithAck: (_name: 'resume', request: { afterSeq: number }) =>
        new Promise<ResumeResult>((resolve, reject) => {
          this.resumes.push(request.afterSeq);
          this.pending.push({ afterSeq: request.afterSeq, resolve, reject });
        }),
    };
  }
  /** Answers the oldest resume in flight. */
  answer(result: (afterSeq: number) => ResumeResult): void {
    const next = this.pending.shift();
    if (!next) throw new Error('no resume in flight');
    next.resolve(result(next.afterSeq));
  }
  fail(message = 'operation has timed out'): void {
    this.pending.shift()?.reject(new Error(message));
  }
}

const hello = (lastSeq: number): HelloMessage => ({ serverTime: 0, lastSeq });
const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};
/** A page of the log 1..last after `afterSeq`, at most `size` long. */
const pageOf = (last: number, size = 100) => (afterSeq: number): ResumeResult => {
  const events = Array.from({ length: Math.max(0, Math.min(size, last - afterSeq)) }, (_, i) => event(afterSeq + i + 1));
  const hasMore = afterSeq + events.length < last;
  return { events, throughSeq: hasMore ? afterSeq + events.length : last, hasMore };
};

function feed(socket: FakeSocket) {
  const seen: number[] = [];
  const statuses: FeedStatus[] = [];
  let resyncs = 0;
  const live = new LiveFeed(
    socket,
    { onEvent: (e) => seen.push(e.seq), onStatus: (s) => statuses.push(s), onResync: () => (resyncs += 1) },
    { wait: () => Promise.resolve() },
  );
  return { live, seen, statuses, resyncs: () => resyncs };
}

describe('LiveFeed', () => {
  it('starts live from the first hello, and drops what it has seen', () => {
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
    socket.emit('connect');
    socket.emit('hello', hello(17));
    socket.emit('event', event(18));
    socket.emit('event', event(15)); // also in the replay
    socket.answer(pageOf(17, 2));
    await flush();
    socket.emit('event', event(19));
    socket.answer(pageOf(17, 2));
    await flush();
    socket.answer(pageOf(17, 2));
    await flush();
    expect(socket.resumes).toEqual([11, 13, 15]);
    expect(seen).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(statuses).toEqual(['live', 'offline', 'connecting', 'replaying', 'live']);
  });

  it('holds an event that arrives between connect and hello, so the replay does not start after it', async () => {
    const socket = new FakeSocket();
    const { seen } = feed(socket);
    socket.emit('hello', hello(10));
    socket.emit('disconnect');
    socket.emit('connect');
    // The server joined the rooms before reading lastSeq: 14 is pushed before hello.
    socket.emit('event', event(14));
    socket.emit('hello', hello(14));
    expect(seen).toEqual([]);
    expect(socket.resumes).toEqual([10]);
    socket.answer(pageOf(14));
    await flush();
    expect(seen).toEqual([11, 12, 13, 14]);
  });

  it('asks again after a failed or timed-out resume, never going live over the gap', async () => {
    const socket = new FakeSocket();
    const { seen, statuses } = feed(socket);
    socket.emit('hello', hello(5));
    socket.emit('disconnect');
    socket.emit('connect');
    socket.emit('hello', hello(9));
    socket.emit('event', event(10));
    socket.fail('operation has timed out');
    await flush();
    socket.answer(() => ({ error: 'unavailable' }));
    await flush();
    socket.answer(() => ({ error: 'rate_limited', retryAfterMs: 1000 }));
    await flush();
    expect(seen).toEqual([]);
    expect(statuses.at(-1)).toBe('replaying');
    socket.answer(pageOf(9));
    await flush();
    expect(socket.resumes).toEqual([5, 5, 5, 5]);
    expect(seen).toEqual([6, 7, 8, 9, 10]);
    expect(statuses.at(-1)).toBe('live');
  });

  it('a hello during a replay takes over: the older replay delivers nothing more and clears nothing', async () => {
    const socket = new FakeSocket();
    const { seen } = feed(socket);
    socket.emit('hello', hello(5));
    socket.emit('disconnect');
    socket.emit('connect');
    socket.emit('hello', hello(8)); // replay A asks from 5
    socket.emit('event', event(9));
    socket.emit('hello', hello(9)); // replay B asks from 5 too
    socket.emit('event', event(10));
    expect(socket.resumes).toEqual([5, 5]);
    socket.fail(); // A's failure must not drop B's held events
    await flush();
    socket.answer(pageOf(9));
    await flush();
    expect(seen).toEqual([6, 7, 8, 9, 10]);
    expect(socket.pending).toEqual([]);
  });

  it('a drop in the middle of a page starts again from the last seq delivered', async () => {
    const socket = new FakeSocket();
    const { seen } = feed(socket);
    socket.emit('hello', hello(0));
    socket.emit('disconnect');
    socket.emit('connect');
    socket.emit('hello', hello(6));
    socket.answer(pageOf(6, 3));
    await flush();
    socket.emit('disconnect'); // the second page is in flight
    socket.answer(pageOf(6, 3)); // its answer arrives late, for a connection that is gone
    await flush();
    expect(seen).toEqual([1, 2, 3]);
    socket.emit('connect');
    socket.emit('hello', hello(7));
    socket.emit('event', event(7));
    expect(socket.resumes).toEqual([0, 3, 3]);
    socket.answer(pageOf(7, 3));
    await flush();
    socket.answer(pageOf(7, 3));
    await flush();
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('too far behind: asks the caller to reload and goes on live from the server position', async () => {
    const socket = new FakeSocket();
    const { seen, resyncs, live } = feed(socket);
    socket.emit('hello', hello(3));
    socket.emit('disconnect');
    socket.emit('connect');
    socket.emit('hello', hello(50_000));
    socket.emit('event', event(50_001));
    socket.answer(() => ({ error: 'too_far_behind', lastSeq: 50_000 }));
    await flush();
    expect(resyncs()).toBe(1);
    expect(seen).toEqual([50_001]);
    expect(live.position).toBe(50_001);
  });

  it('reports a refused handshake as unauthorized', () => {
    const socket = new FakeSocket();
    const { statuses } = feed(socket);
    socket.emit('connect_error', new Error('unauthorized: invalid token'));
    socket.emit('connect_error', new Error('xhr poll error'));
    expect(statuses).toEqual(['unauthorized', 'offline']);
  });

  it('delivers the log once and in order across any pattern of drops, hellos, failed and late resumes', async () => {
    type Step = 'commit' | 'drop' | 'connect' | 'hello' | 'answer' | 'fail';
    const step = fc.constantFrom<Step>('commit', 'commit', 'commit', 'drop', 'connect', 'hello', 'answer', 'answer', 'fail');
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 4 }), async (steps, pageSize) => {
        const socket = new FakeSocket();
        const { seen } = feed(socket);
        let last = 0;
        // The server joins the rooms at connect, so events flow from then on, hello or not.
        let connected = true;
        socket.emit('connect');
        socket.emit('hello', hello(last));
        for (const next of steps) {
          if (next === 'commit') {
            last += 1;
            if (connected) socket.emit('event', event(last));
          } else if (next === 'drop' && connected) {
            connected = false;
            socket.emit('disconnect');
          } else if (next === 'connect' && !connected) {
            connected = true;
            socket.emit('connect');
          } else if (next === 'hello' && connected) {
            // Also a second hello on the same connection, during a replay.
            socket.emit('hello', hello(last));
          } else if (next === 'answer' && socket.pending.length) {
            // Possibly the late answer to a resume of a connection that is gone.
            socket.answer(pageOf(last, pageSize));
          } else if (next === 'fail' && socket.pending.length) {
            socket.fail();
          }
          await flush();
          // Never a gap, never a duplicate, never out of order, at every moment.
          expect(seen).toEqual(seen.map((_, i) => i + 1));
        }
        // The network settles: one more connection, the server answers everything.
        if (!connected) socket.emit('connect');
        socket.emit('hello', hello(last));
        for (let i = 0; i < 100 && socket.pending.length; i++) {
          socket.answer(pageOf(last, pageSize));
          await flush();
        }
        expect(seen).toEqual(Array.from({ length: last }, (_, i) => i + 1));
      }),
      { numRuns: 300, seed: 20261123 },
    );
  });
});
