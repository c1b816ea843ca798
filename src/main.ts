import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { AppConfig, loadConfig, loadDotEnv } from './config/app-config';
import cluster from 'node:cluster';
import { RunningApp, startService } from './app.factory';
import { runPrimary } from './cluster';

/**
 * SIGTERM/SIGINT: drain HTTP (stop accepting, finish in-flight requests), stop the batch
 * worker after its current chunk, close the pools and the embedded PostgreSQL, exit 0.
 * Past SHUTDOWN_TIMEOUT_MS the process exits 1 whatever is left: the database makes every
 * movement all-or-nothing, so a cut is safe, only not graceful.
 */
function exitOnSignals(service: RunningApp, config: AppConfig): void {
  const logger = new Logger('Shutdown');
  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    logger.log(`${signal} received: draining (deadline ${config.shutdownTimeoutMs} ms)`);
    const deadline = setTimeout(() => {
      logger.error(`shutdown did not finish within ${config.shutdownTimeoutMs} ms: exiting anyway`);
      process.exit(1);
    }, config.shutdownTimeoutMs);
    deadline.unref();
    service.close().then(
      () => {
        logger.log('shut down cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    loadDotEnv();
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
  if (config.webConcurrency > 1 && cluster.isPrimary) {
    await runPrimary(config);
    return;
  }
  exitOnSignals(await startService(config), config);
}

main().catch((error: unknown) => {
  process.stderr.write(`Failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
