import { z } from 'zod';

const flag = z
  .enum(['1', '0', 'true', 'false'])
  .transform((value) => value === '1' || value === 'true');

export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    DATABASE_URL: z
      .url()
      .refine((url) => /^postgres(ql)?:\/\//.test(url), 'must be a postgres:// URL')
      .optional(),
    DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
    REDIS_URL: z
      .url()
      .refine((url) => /^rediss?:\/\//.test(url), 'must be a redis:// URL')
      .optional(),
    EMBEDDED_DB_DIR: z.string().min(1).default('.data/postgres'),
    SEED_DEMO: flag.optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    CONSOLE_DIR: z.string().optional(),
    CORS_ORIGINS: z.string().optional(),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(24 * 3600).default(15 * 60),
    SESSION_TTL_SECONDS: z.coerce.number().int().min(300).max(90 * 24 * 3600).default(7 * 24 * 3600),
    LOGIN_ATTEMPTS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(10),
    LOGIN_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(20),
    // Express's "trust proxy": a number of hops, or addresses/CIDRs (and loopback, linklocal, uniquelocal).
    TRUST_PROXY: z
      .string()
      .regex(/^(\d+|((loopback|linklocal|uniquelocal|[0-9a-fA-F:.]+(\/\d+)?)\s*,?\s*)+)$/, 'must be a hop count or a comma-separated list of addresses/CIDRs')
      .transform((value) => (/^\d+$/.test(value) ? Number(value) : value))
      .optional(),
    // SIA DC-09 alarm panels, TCP and UDP; off unless set (0: any free port, for tests).
    ALARM_RECEIVER_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
    ALARM_RECEIVER_HOST: z.string().min(1).default('0.0.0.0'),
    // How often every process looks for supervised devices that missed their test (0: never, for tests that sweep by hand).
    WATCH_SWEEP_SECONDS: z.coerce.number().int().min(0).max(3_600).default(30),
    REPEAT_WINDOW_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.DATABASE_URL) {
      ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'is required in production (the embedded database is for demos)' });
    }
    if (env.NODE_ENV === 'production' && !env.JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'is required in production (tokens must survive restarts and be shared by instances)' });
    }
    if (env.NODE_ENV === 'production' && env.SEED_DEMO) {
      ctx.addIssue({ code: 'custom', path: ['SEED_DEMO'], message: 'demo accounts are never seeded in production' });
    }
  });

export type Env = z.infer<typeof envSchema>;

const KEEP_EMPTY = new Set(['JWT_SECRET']);

export interface AppConfig extends Env {
  /** True when no DATABASE_URL was given and the in-process PostgreSQL serves the app. */
  embedded: boolean;
  seedDemo: boolean;
}

/** Validates the environment; a wrong value stops start-up with a message naming it. */
export function loadConfig(source: Record<string, string | undefined>): AppConfig {
  // An empty variable counts as unset (compose files pass `VAR=` for optional ones), except a
  // secret: `JWT_SECRET=` is a mistake to name at start, not a reason to sign with a random key.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([name, value]) => value !== '' || KEEP_EMPTY.has(name)));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid environment:\n${problems.join('\n')}`);
  }
  const env = parsed.data;
  const embedded = !env.DATABASE_URL;
  return { ...env, embedded, seedDemo: env.SEED_DEMO ?? (embedded && env.NODE_ENV !== 'production') };
}
