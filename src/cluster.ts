import cluster, { Worker } from 'node:cluster';
import { Logger } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { EmbeddedDatabase, startEmbeddedPostgres } from './database/embedded-postgres';

/** A worker that dies this soon after it started is restarted after RESTART_DELAY_MS, so a crash loop does not spin. */
const CRASH_LOOP_MS = 5_000;
const RESTART_DELAY_MS = 1_000;

/**
 * WEB_CONCURRENCY > 1: this process forks that many workers that share the HTTP port
 * (node:cluster hands out connections) and serves nothing itself. Workers keep no state that
 * correctness depends on (DESIGN.md "Scale beyond one machine"), so they are N instances of
 * the service: batch rows, hold expiry and idempotency keys are all decided in PostgreSQL.
 *
 * Without DATABASE_URL the primary starts the embedded PostgreSQL and hands its URL to the
 * workers; a generated JWT secret is generated once here, so every worker accepts every token.
 */
export async function runPrimary(config: AppConfig): Promise<void> {
  const logger = new Logger('Cluster');
  let embedded: EmbeddedDatabase | null = null;
  if (config.databaseUrl === null) {
    logger.log(`DATABASE_URL is not set: starting embedded PostgreSQL in ${config.embeddedDataDir}`);
    embedded = await startEmbeddedPostgres({ dataDir: config.embeddedDataDir, port: config.embeddedPort, persistent: true });
  }
  const env = { DATABASE_URL: config.databaseUrl ?? (embedded as EmbeddedDatabase).url, JWT_SECRET: config.jwtSecret, WEB_CONCURRENCY: '1' };
  let stopping = false;
  const started = new Map<Worker, number>();
  const fork = () => started.set(cluster.fork(env), Date.now());
  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (started.get(worker) ?? 0);
    started.delete(worker);
    if (stopping) return;
    logger.error(`worker ${worker.process.pid} exited (${signal ?? code}) after ${lived} ms`);
    setTimeout(() => stopping || fork(), lived < CRASH_LOOP_MS ? RESTART_DELAY_MS : 0);
  });
  for (let i = 0; i < config.webConcurrency; i++) fork();
  logger.log(`${config.webConcurrency} workers on port ${config.port}`);

  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    for (const worker of started.keys()) worker.process.kill(signal);
    const deadline = setTimeout(() => process.exit(1), config.shutdownTimeoutMs + 1_000);
    deadline.unref();
    const waitForWorkers = () =>
      started.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => cluster.once('exit', () => resolve(waitForWorkers())));
    void waitForWorkers()
      .then(() => embedded?.stop())
      .then(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
