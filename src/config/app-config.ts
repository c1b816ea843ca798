import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';

/**
 * Every setting the service reads from the environment, parsed and validated once at boot.
 * A bad value stops the boot with a message naming the variable (see `loadConfig`).
 */
export interface AppConfig {
  nodeEnv: string;
  port: number;
  /** HTTP worker processes (node:cluster) sharing the port; 1: this process serves alone. */
  webConcurrency: number;
  /** Unset: an embedded PostgreSQL is started with its data in `embeddedDataDir`. */
  databaseUrl: string | null;
  embeddedDataDir: string;
  embeddedPort: number;
  jwtSecret: string;
  jwtSecretGenerated: boolean;
  jwtTtlSeconds: number;
  /** How long an account's role, status and token generation may be served from memory (≤ 5 s). */
  authCacheMs: number;
  adminEmail: string | null;
  adminPassword: string | null;
  dbPoolSize: number;
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  postingRetriesMax: number;
  /** One-posting requests per group commit; 0 or 1: every request its own transaction. */
  groupCommitMaxSize: number;
  /** Under load, how long a group waits to fill up (microseconds); a lone request never waits. */
  groupCommitMaxWaitUs: number;
  /** Groups written at the same time, each on its own connection. */
  groupCommitLanes: number;
  systemWalletShards: number;
  idempotencyRetentionHours: number;
  /** How long a quote fixes its rate. */
  quoteTtlSeconds: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  throttleEnabled: boolean;
  throttleLoginLimit: number;
  throttleLoginTtlMs: number;
  throttleLoginIpLimit: number;
  throttleLoginIpTtlMs: number;
  throttleRegisterLimit: number;
  throttleRegisterTtlMs: number;
  throttleMoneyLimit: number;
  throttleMoneyTtlMs: number;
  throttleDefaultLimit: number;
  throttleDefaultTtlMs: number;
  redisUrl: string | null;
  /** Prepended to every Redis key, so several deployments (or test runs) can share one Redis. */
  redisKeyPrefix: string;
  batchChunkRows: number;
  batchPollMs: number;
  batchWorkerEnabled: boolean;
  /** How often each instance looks for PENDING holds past their expiry; 0 turns the sweeper off. */
  holdSweepMs: number;
  /** The shortest `expiresInSeconds` a hold may ask for: 60 per the API; lower only for tests. */
  holdExpirySecondsMin: number;
  batchOpenMax: number;
  requestTimeoutMs: number;
  shutdownTimeoutMs: number;
  bodyLimitBytes: number;
  trustProxy: string | null;
  corsOrigins: string[];
  /** Whether this instance runs the event relay, the webhook sender, the broker publisher and the purge. */
  eventWorkersEnabled: boolean;
  /** Events are kept at least this long (and until every sink has passed them). */
  eventRetentionDays: number;
  /** How often each instance looks for committed events to stamp into the feed. */
  eventRelayPollMs: number;
  webhookTimeoutMs: number;
  /** The wait before the 2nd, 3rd, … attempt (the last one repeats); each gets ±20 % jitter. */
  webhookRetryDelaysMs: number[];
  webhookAttemptsMax: number;
  /** How often each instance looks for deliveries that are due (new ones are sent at once). */
  webhookPollMs: number;
  /** Webhook requests in flight per instance. */
  webhookSendsMax: number;
  /** Outside production private hosts are always allowed (local receivers in development). */
  webhookAllowPrivateHosts: boolean;
  /** Unset: no broker publishing. */
  amqpUrl: string | null;
  amqpExchange: string;
}

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
  }
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(name, `must be an integer, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes'].includes(raw)) return true;
  if (['false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${env[name]}"`);
}

function str(env: Env, name: string): string | null {
  const raw = env[name]?.trim();
  return raw ? raw : null;
}

function url(env: Env, name: string, protocols: string[]): string | null {
  const raw = str(env, name);
  if (raw === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}`);
  }
  return raw;
}

function delaysMs(env: Env, name: string, fallback: number[]): number[] {
  const raw = str(env, name);
  if (raw === null) return fallback;
  const parts = raw.split(',').map((part) => part.trim());
  if (parts.length > 50 || !parts.every((part) => /^\d{1,9}$/.test(part))) {
    throw new ConfigError(name, `must be a comma-separated list of at most 50 delays in ms, got "${raw}"`);
  }
  return parts.map(Number);
}

/** 5 s, 30 s, 2 min, 10 min, 1 h, 4 h, 12 h: eight attempts over about 17 hours. */
const WEBHOOK_RETRY_DELAYS_MS = [5_000, 30_000, 120_000, 600_000, 3_600_000, 14_400_000, 43_200_000];

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function jwtSecret(env: Env, nodeEnv: string): { secret: string; generated: boolean } {
  const secret = str(env, 'JWT_SECRET');
  if (secret !== null) {
    if (secret.length < 32) throw new ConfigError('JWT_SECRET', 'must be at least 32 characters');
    return { secret, generated: false };
  }
  if (nodeEnv === 'production') throw new ConfigError('JWT_SECRET', 'is required when NODE_ENV=production');
  // Outside production a missing secret gets a random one: tokens then die with the process.
  return { secret: randomBytes(32).toString('hex'), generated: true };
}

function redisKeyPrefix(env: Env): string {
  const prefix = str(env, 'REDIS_KEY_PREFIX') ?? 'wallet:';
  if (!/^[A-Za-z0-9:_.-]{1,64}$/.test(prefix)) throw new ConfigError('REDIS_KEY_PREFIX', 'must be 1-64 characters of A-Z a-z 0-9 : _ . -');
  return prefix;
}

/**
 * Reads `.env` from the working directory into `process.env`, if there is one. Variables
 * already set in the environment win (as with `node --env-file`), so a deployment's own
 * settings are never overridden by a file left in the directory.
 */
export function loadDotEnv(path = '.env'): boolean {
  if (!existsSync(path)) return false;
  process.loadEnvFile(path);
  return true;
}

function amqpExchange(env: Env): string {
  const name = str(env, 'AMQP_EXCHANGE') ?? 'wallet.events';
  if (!/^[A-Za-z0-9_.:-]{1,127}$/.test(name)) throw new ConfigError('AMQP_EXCHANGE', 'must be 1-127 characters of A-Z a-z 0-9 _ . : -');
  return name;
}

export function loadConfig(env: Env = process.env): AppConfig {
  const nodeEnv = str(env, 'NODE_ENV') ?? 'development';
  const { secret, generated } = jwtSecret(env, nodeEnv);
  const logLevel = (str(env, 'LOG_LEVEL') ?? 'info') as AppConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  const adminEmail = str(env, 'ADMIN_EMAIL')?.toLowerCase() ?? null;
  const adminPassword = str(env, 'ADMIN_PASSWORD');
  if ((adminEmail === null) !== (adminPassword === null)) {
    throw new ConfigError(adminEmail === null ? 'ADMIN_EMAIL' : 'ADMIN_PASSWORD', 'must be set together with its pair');
  }
  if (adminPassword !== null && adminPassword.length < 8) throw new ConfigError('ADMIN_PASSWORD', 'must be at least 8 characters');
  const statementTimeoutMs = int(env, 'STATEMENT_TIMEOUT_MS', 5_000, 100, 600_000);
  const lockTimeoutMs = int(env, 'LOCK_TIMEOUT_MS', 2_000, 10, 600_000);
  if (lockTimeoutMs > statementTimeoutMs) throw new ConfigError('LOCK_TIMEOUT_MS', 'must not exceed STATEMENT_TIMEOUT_MS');
  return {
    nodeEnv,
    port: int(env, 'PORT', 3000, 0, 65_535),
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    webConcurrency: int(env, 'WEB_CONCURRENCY', 1, 1, 64),
    embeddedDataDir: str(env, 'EMBEDDED_PG_DIR') ?? '.data/postgres',
    embeddedPort: int(env, 'EMBEDDED_PG_PORT', 54329, 1024, 65_535),
    jwtSecret: secret,
    jwtSecretGenerated: generated,
    jwtTtlSeconds: int(env, 'JWT_TTL_SECONDS', 3_600, 60, 86_400 * 30),
    authCacheMs: int(env, 'AUTH_CACHE_MS', 2_000, 0, 5_000),
    adminEmail,
    adminPassword,
    dbPoolSize: int(env, 'DB_POOL_SIZE', 16, 1, 500),
    lockTimeoutMs,
    statementTimeoutMs,
    postingRetriesMax: int(env, 'POSTING_RETRIES_MAX', 5, 0, 20),
    groupCommitMaxSize: int(env, 'GROUP_COMMIT_MAX_SIZE', 64, 0, 1_000),
    groupCommitMaxWaitUs: int(env, 'GROUP_COMMIT_MAX_WAIT_US', 0, 0, 100_000),
    groupCommitLanes: int(env, 'GROUP_COMMIT_LANES', 1, 1, 8),
    systemWalletShards: int(env, 'SYSTEM_WALLET_SHARDS', 16, 1, 256),
    idempotencyRetentionHours: int(env, 'IDEMPOTENCY_RETENTION_HOURS', 72, 24, 24 * 365),
    quoteTtlSeconds: int(env, 'QUOTE_TTL_SECONDS', 30, 1, 3_600),
    logLevel,
    throttleEnabled: bool(env, 'THROTTLE_ENABLED', true),
    throttleLoginLimit: int(env, 'THROTTLE_LOGIN_LIMIT', 10, 1, 1_000_000),
    throttleLoginTtlMs: int(env, 'THROTTLE_LOGIN_TTL_MS', 60_000, 1_000, 86_400_000),
    throttleLoginIpLimit: int(env, 'THROTTLE_LOGIN_IP_LIMIT', 100, 1, 1_000_000),
    throttleLoginIpTtlMs: int(env, 'THROTTLE_LOGIN_IP_TTL_MS', 60_000, 1_000, 86_400_000),
    throttleRegisterLimit: int(env, 'THROTTLE_REGISTER_LIMIT', 20, 1, 1_000_000),
    throttleRegisterTtlMs: int(env, 'THROTTLE_REGISTER_TTL_MS', 600_000, 1_000, 86_400_000),
    throttleMoneyLimit: int(env, 'THROTTLE_MONEY_LIMIT', 600, 1, 1_000_000),
    throttleMoneyTtlMs: int(env, 'THROTTLE_MONEY_TTL_MS', 60_000, 1_000, 86_400_000),
    throttleDefaultLimit: int(env, 'THROTTLE_DEFAULT_LIMIT', 1_200, 1, 1_000_000),
    throttleDefaultTtlMs: int(env, 'THROTTLE_DEFAULT_TTL_MS', 60_000, 1_000, 86_400_000),
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    redisKeyPrefix: redisKeyPrefix(env),
    batchChunkRows: int(env, 'BATCH_CHUNK_ROWS', 500, 1, 10_000),
    batchPollMs: int(env, 'BATCH_POLL_MS', 250, 10, 60_000),
    batchWorkerEnabled: bool(env, 'BATCH_WORKER_ENABLED', true),
    holdSweepMs: int(env, 'HOLD_SWEEP_MS', 1_000, 0, 60_000),
    holdExpirySecondsMin: int(env, 'HOLD_EXPIRY_SECONDS_MIN', 60, 1, 60),
    batchOpenMax: int(env, 'BATCH_OPEN_MAX', 3, 1, 1_000),
    requestTimeoutMs: int(env, 'REQUEST_TIMEOUT_MS', 30_000, 100, 600_000),
    shutdownTimeoutMs: int(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 100, 600_000),
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 65_536, 1_024, 10 * 1024 * 1024),
    trustProxy: str(env, 'TRUST_PROXY'),
    corsOrigins: (str(env, 'CORS_ORIGINS') ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    eventWorkersEnabled: bool(env, 'EVENT_WORKERS_ENABLED', true),
    eventRetentionDays: int(env, 'EVENT_RETENTION_DAYS', 30, 1, 3_650),
    eventRelayPollMs: int(env, 'EVENT_RELAY_POLL_MS', 50, 5, 10_000),
    webhookTimeoutMs: int(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000),
    webhookRetryDelaysMs: delaysMs(env, 'WEBHOOK_RETRY_DELAYS_MS', WEBHOOK_RETRY_DELAYS_MS),
    webhookAttemptsMax: int(env, 'WEBHOOK_ATTEMPTS_MAX', 8, 1, 50),
    webhookPollMs: int(env, 'WEBHOOK_POLL_MS', 250, 10, 60_000),
    webhookSendsMax: int(env, 'WEBHOOK_SENDS_MAX', 16, 1, 256),
    webhookAllowPrivateHosts: bool(env, 'WEBHOOK_ALLOW_PRIVATE_HOSTS', false),
    amqpUrl: url(env, 'AMQP_URL', ['amqp:', 'amqps:']),
    amqpExchange: amqpExchange(env),
  };
}

/** Injection token for the validated `AppConfig`. */
export const APP_CONFIG = Symbol('APP_CONFIG');
