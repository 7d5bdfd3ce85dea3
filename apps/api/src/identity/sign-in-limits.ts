import { HttpStatus, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { createClient, type RedisClientType } from 'redis';
import type { AppConfig } from '../config/env';
import { RetryLaterException } from '../common/errors';

/** Failures of one username (from anywhere) before each further attempt is answered more slowly. */
const FREE_FAILURES_PER_USERNAME = 5;
const USERNAME_WINDOW_SECONDS = 15 * 60;
const ADDRESS_WINDOW_SECONDS = 10 * 60;
const MAX_DELAY_MS = 8_000;

/**
 * Sign-in and refresh limits, counted in Redis when REDIS_URL is set (one limit across api
 * processes), in memory otherwise. Attempts are counted before the password is checked (so
 * parallel guesses count) and a success gives its attempt back, so only failures add up:
 * - per (username, address): a wall with Retry-After for whoever guesses one account;
 * - per address across usernames: a wall against password spraying;
 * - per username from anywhere: a growing delay, never a wall, so nobody can lock the
 *   owner out of their own account;
 * - per session for refresh: a console renewing its token is never refused by its neighbours'.
 */
@Injectable()
export class SignInLimits implements OnApplicationShutdown {
  private readonly logger = new Logger('SignInLimits');
  private readonly redis?: RedisClientType;
  private readonly perUserAddress: RateLimiterAbstract;
  private readonly perAddress: RateLimiterAbstract;
  private readonly perUsername: RateLimiterAbstract;
  private readonly perSession: RateLimiterAbstract;

  constructor(config: ConfigService<AppConfig, true>) {
    const perMinute = config.get('LOGIN_ATTEMPTS_PER_MINUTE', { infer: true });
    const perAddress = config.get('LOGIN_FAILURES_PER_ADDRESS', { infer: true });
    const url = config.get('REDIS_URL', { infer: true });
    if (url) {
      this.redis = createClient({ url });
      this.redis.on('error', (error: Error) => this.logger.warn(`redis: ${error.message}`));
      void this.redis.connect().catch(() => undefined);
    }
    const limiter = (keyPrefix: string, points: number, duration: number): RateLimiterAbstract => {
      const memory = new RateLimiterMemory({ keyPrefix, points, duration });
      // While Redis is unreachable each process keeps counting on its own rather than letting everyone through.
      return this.redis ? new RateLimiterRedis({ storeClient: this.redis, useRedisPackage: true, keyPrefix: `signin:${keyPrefix}`, points, duration, insuranceLimiter: memory }) : memory;
    };
    this.perUserAddress = limiter('user-address', perMinute, 60);
    this.perAddress = limiter('address', perAddress, ADDRESS_WINDOW_SECONDS);
    this.perUsername = limiter('username', 1_000_000, USERNAME_WINDOW_SECONDS);
    this.perSession = limiter('session', perMinute, 60);
  }

  /** Counts a sign-in attempt, refusing it (429 with Retry-After: wait, never "signed out") or slowing it down; call `succeeded` or `failed` after. */
  async attempt(username: string, address: string): Promise<void> {
    const name = usernameKey(username);
    await consumeOrRefuse(this.perUserAddress, `${name}|${address}`, 'Too many sign-in attempts for this username from this address; wait and try again');
    await consumeOrRefuse(this.perAddress, address, 'Too many failed sign-ins from this address; wait and try again').catch(async (error: unknown) => {
      await this.perUserAddress.reward(`${name}|${address}`, 1).catch(() => undefined);
      throw error;
    });
    const failures = (await this.perUsername.get(name).catch(() => null))?.consumedPoints ?? 0;
    if (failures >= FREE_FAILURES_PER_USERNAME) {
      await sleep(Math.min(MAX_DELAY_MS, 250 * 2 ** (failures - FREE_FAILURES_PER_USERNAME)));
    }
  }

  async succeeded(username: string, address: string): Promise<void> {
    const name = usernameKey(username);
    await Promise.all([this.perUserAddress.reward(`${name}|${address}`, 1), this.perAddress.reward(address, 1)]).catch(() => undefined);
  }

  async failed(username: string): Promise<void> {
    await this.perUsername.consume(usernameKey(username), 1).catch(() => undefined);
  }

  /** Refreshes per session (the part of the refresh token before the dot), never per address. */
  async refresh(refreshToken: string): Promise<void> {
    const session = refreshToken.split('.')[0]?.slice(0, 64) ?? '';
    await consumeOrRefuse(this.perSession, session, 'Too many token renewals for this session; wait and try again');
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.redis?.isOpen) await this.redis.quit().catch(() => undefined);
  }
}

async function consumeOrRefuse(limiter: RateLimiterAbstract, key: string, message: string): Promise<void> {
  try {
    await limiter.consume(key, 1);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) throw new RetryLaterException(HttpStatus.TOO_MANY_REQUESTS, Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)), message);
    // The store failed and its insurance too: let the attempt through rather than lock everyone out.
  }
}

/** One counter per account however the name is typed, and a bounded key whatever is sent. */
function usernameKey(username: string): string {
  return username.toLowerCase().slice(0, 64);
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
