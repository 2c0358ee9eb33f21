import { z } from 'zod';

/** Argon2id floor: OWASP Password Storage Cheat Sheet (m=19 MiB, t=2, p=1). */
export const ARGON2_FLOOR = { memoryKiB: 19_456, timeCost: 2, parallelism: 1 } as const;

const int = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const postgresUrl = z
  .string()
  .refine((s) => /^postgres(ql)?:\/\//.test(s), 'must be a postgres:// connection string');

const EnvSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(0, 65_535, 8080),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Number of reverse-proxy hops whose X-Forwarded-For is trusted (never "all": it is spoofable). */
  TRUST_PROXY_HOPS: int(0, 10, 0),
  DATABASE_URL: postgresUrl,
  MIGRATION_DATABASE_URL: postgresUrl.optional(),
  DATABASE_POOL_MAX: int(1, 200, 10),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
  JWT_ISSUER: z.string().min(1).default('creator-hub'),
  ACCESS_TOKEN_TTL_SECONDS: int(30, 3600, 600),
  REFRESH_TOKEN_TTL_DAYS: int(1, 365, 30),
  DEVICE_TOKEN_TTL_DAYS: int(1, 365, 90),
  ARGON2_MEMORY_KIB: int(ARGON2_FLOOR.memoryKiB, 4_194_304, ARGON2_FLOOR.memoryKiB),
  ARGON2_TIME_COST: int(ARGON2_FLOOR.timeCost, 100, ARGON2_FLOOR.timeCost),
  ARGON2_PARALLELISM: int(ARGON2_FLOOR.parallelism, 16, ARGON2_FLOOR.parallelism),
  HASH_CONCURRENCY: int(1, 64, 2),
  HASH_QUEUE_MAX: int(0, 10_000, 64),
  LOGIN_WINDOW_SECONDS: int(1, 86_400, 900),
  LOGIN_MAX_PER_ACCOUNT: int(1, 10_000, 10),
  LOGIN_MAX_PER_IP: int(1, 100_000, 100),
  BODY_LIMIT_BYTES: int(1024, 10_485_760, 65_536),
});

export interface Config {
  host: string;
  port: number;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  trustProxyHops: number;
  databaseUrl: string;
  migrationDatabaseUrl: string | undefined;
  poolMax: number;
  jwt: {
    secret: string;
    issuer: string;
    accessTtlSeconds: number;
    refreshTtlDays: number;
    deviceTtlDays: number;
  };
  argon2: { memoryKiB: number; timeCost: number; parallelism: number };
  hashing: { concurrency: number; queueMax: number };
  loginThrottle: { windowSeconds: number; perAccount: number; perIp: number };
  bodyLimitBytes: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment. Messages name the variable, never echo its value. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`),
    );
  }
  const e = parsed.data;
  return {
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    trustProxyHops: e.TRUST_PROXY_HOPS,
    databaseUrl: e.DATABASE_URL,
    migrationDatabaseUrl: e.MIGRATION_DATABASE_URL,
    poolMax: e.DATABASE_POOL_MAX,
    jwt: {
      secret: e.JWT_SECRET,
      issuer: e.JWT_ISSUER,
      accessTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlDays: e.REFRESH_TOKEN_TTL_DAYS,
      deviceTtlDays: e.DEVICE_TOKEN_TTL_DAYS,
    },
    argon2: {
      memoryKiB: e.ARGON2_MEMORY_KIB,
      timeCost: e.ARGON2_TIME_COST,
      parallelism: e.ARGON2_PARALLELISM,
    },
    hashing: { concurrency: e.HASH_CONCURRENCY, queueMax: e.HASH_QUEUE_MAX },
    loginThrottle: {
      windowSeconds: e.LOGIN_WINDOW_SECONDS,
      perAccount: e.LOGIN_MAX_PER_ACCOUNT,
      perIp: e.LOGIN_MAX_PER_IP,
    },
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
  };
}
