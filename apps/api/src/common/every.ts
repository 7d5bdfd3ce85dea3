import type { Logger } from '@nestjs/common';

/**
 * Runs `task` every `seconds` in this process (0: never), a failure logged and the next round
 * tried anyway; the timer does not keep the process alive. Returns what stops it.
 */
export function every(seconds: number, task: () => Promise<unknown>, logger: Logger, what: string): () => void {
  if (!seconds) return () => undefined;
  const timer = setInterval(() => void task().catch((error: Error) => logger.warn(`${what} failed: ${error.message}`)), seconds * 1_000);
  timer.unref();
  return () => clearInterval(timer);
}
