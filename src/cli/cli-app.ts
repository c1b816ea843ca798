import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { AppConfig, loadConfig, loadDotEnv } from '../config/app-config';
import { SeedService } from '../database/seed.service';
import { EmbeddedDatabase, startEmbeddedPostgres } from '../database/embedded-postgres';

/**
 * The service's modules without HTTP, for the npm scripts (migrate, seed:demo, reconcile):
 * the same config, the same database resolution (embedded when DATABASE_URL is unset).
 */
export async function withAppContext(work: (context: INestApplicationContext, config: AppConfig) => Promise<number>): Promise<void> {
  loadDotEnv();
  const config = { ...loadConfig(), batchWorkerEnabled: false, holdSweepMs: 0, eventWorkersEnabled: false };
  let embedded: EmbeddedDatabase | null = null;
  if (config.databaseUrl === null) {
    embedded = await startEmbeddedPostgres({ dataDir: config.embeddedDataDir, port: config.embeddedPort, persistent: true });
  }
  let code = 1;
  try {
    const context = await NestFactory.createApplicationContext(AppModule.forRoot(config, config.databaseUrl ?? (embedded as EmbeddedDatabase).url), {
      logger: ['error', 'warn'],
    });
    try {
      await context.get(SeedService).migrateAndSeed({ embedded: embedded !== null });
      code = await work(context, config);
    } finally {
      await context.close();
    }
  } finally {
    await embedded?.stop();
  }
  process.exitCode = code;
}
