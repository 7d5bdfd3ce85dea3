import { clockOffsetMs } from '@dispatch/domain';
import { flushSync } from 'svelte';

/** Where bench:ui collects how long each tick's update of the page takes (absent in normal use). */
declare global {
  var __dispatchTickMs: number[] | undefined;
}

/**
 * Server time for the whole page, and the one shared ticker that every countdown reads:
 * no timer per card. `now` is server time, corrected for the browser's skew.
 */
class ServerClock {
  offsetMs = $state(0);
  now = $state(Date.now());
  private timer: ReturnType<typeof setInterval> | undefined;

  /** A stamp without a round trip (the `hello` message): good to a few tens of ms. */
  syncFromStamp(serverTime: number): void {
    this.offsetMs = serverTime - Date.now();
    this.tick();
  }

  /** A round-trip probe: the server's stamp is taken as the midpoint. */
  syncFromProbe(serverTime: number, sentAt: number, receivedAt: number): void {
    this.offsetMs = clockOffsetMs(serverTime, sentAt, receivedAt);
    this.tick();
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.timedTick(), 250);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** A tick; under bench:ui, also the time its update of every countdown takes. */
  private timedTick(): void {
    const sink = globalThis.__dispatchTickMs;
    if (!sink) return this.tick();
    const started = performance.now();
    this.tick();
    flushSync();
    sink.push(performance.now() - started);
  }

  private tick(): void {
    this.now = Date.now() + this.offsetMs;
  }
}

export const serverClock = new ServerClock();
