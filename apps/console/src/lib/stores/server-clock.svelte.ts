import { clockOffsetMs } from '@dispatch/domain';

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
    this.timer = setInterval(() => this.tick(), 250);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    this.now = Date.now() + this.offsetMs;
  }
}

export const serverClock = new ServerClock();
