import { INestApplication, Logger, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication, NestExpressBodyParserOptionsFor } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { forbiddenKeysRefused, nulStringsRefused, verifyJsonBody } from './common/hostile-input';
import { createValidationPipe } from './common/validation';
import { AppConfig } from './config/app-config';
import { SeedService } from './database/seed.service';
import { EmbeddedDatabase, startEmbeddedPostgres } from './database/embedded-postgres';
import { HTTP_LOGGER } from './logging/logging.module';
import { DrainState } from './server/drain-state';
import { connectionCloseWhileDraining, drainHttpServer } from './server/graceful-shutdown';
import { applyHttpHardening, boundSlowClients } from './server/http-hardening';
import { parseQuery } from './common/query-parser';
import { documentEdgeProblems } from './common/problem.dto';

export interface RunningApp {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

/** Builds the whole service (used by main.ts and by the e2e tests, so both run the same app). */
export async function createApp(config: AppConfig, databaseUrl: string, options: { embedded?: boolean; logger?: false } = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, databaseUrl), {
    // Nest's own lines wait for pino (below), which filters them by LOG_LEVEL.
    ...(options.logger === false ? { logger: false } : { bufferLogs: true }),
    bodyParser: false,
  });
  if (options.logger !== false) app.useLogger(app.get(PinoNestLogger));
  // First of all, so every response (even a 404 or /docs) has a request id and a log line.
  app.use(app.get(HTTP_LOGGER));
  app.use(connectionCloseWhileDraining(app.get(DrainState)));
  applyHttpHardening(app);
  boundSlowClients(app.getHttpServer(), config.requestTimeoutMs);
  // Nest's types reserve `verify` for its rawBody option, which this app does not use; Nest passes it through.
  const jsonOptions = { limit: config.bodyLimitBytes, reviver: forbiddenKeysRefused, verify: verifyJsonBody };
  app.useBodyParser('json', jsonOptions as NestExpressBodyParserOptionsFor<'json'>);
  app.use(nulStringsRefused);
  app.set('trust proxy', config.trustProxy ?? false);
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', parseQuery);
  app.setGlobalPrefix('api/v1', {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(createValidationPipe());
  if (config.corsOrigins.length > 0) app.enableCors({ origin: config.corsOrigins });
  setUpSwagger(app);
  await app.get(SeedService).migrateAndSeed({ embedded: options.embedded ?? false });
  return app;
}

function setUpSwagger(app: INestApplication): void {
  const document = new DocumentBuilder()
    .setTitle('Wallet service')
    .setDescription('Double-entry wallet and ledger API. Money is integer minor units; every money-moving POST needs an Idempotency-Key.')
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => documentEdgeProblems(SwaggerModule.createDocument(app, document)), { jsonDocumentUrl: 'docs-json' });
}

/** Resolves the database (starting the embedded one when DATABASE_URL is unset) and serves. */
export async function startService(config: AppConfig): Promise<RunningApp> {
  let embedded: EmbeddedDatabase | null = null;
  const logger = new Logger('Bootstrap');
  if (config.databaseUrl === null) {
    logger.log(`DATABASE_URL is not set: starting embedded PostgreSQL in ${config.embeddedDataDir}`);
    embedded = await startEmbeddedPostgres({ dataDir: config.embeddedDataDir, port: config.embeddedPort, persistent: true });
  }
  const app = await createApp(config, config.databaseUrl ?? (embedded as EmbeddedDatabase).url, { embedded: embedded !== null });
  await app.listen(config.port, '0.0.0.0');
  const url = await app.getUrl();
  logger.log(`Listening on ${url} (API /api/v1, docs /docs, metrics /metrics)`);
  return {
    app,
    url,
    close: async () => {
      // Half the shutdown budget for in-flight requests, the rest for the batch worker's chunk and the pools.
      await drainHttpServer(app.getHttpServer(), app.get(DrainState), Math.floor(config.shutdownTimeoutMs / 2));
      await app.close();
      await embedded?.stop();
    },
  };
}
