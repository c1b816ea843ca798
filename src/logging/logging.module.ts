import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { createHttpLogger } from './http-logger';

/** Injection token for the pino-http middleware, which app.factory mounts first of all. */
export const HTTP_LOGGER = Symbol('HTTP_LOGGER');

/**
 * Nest's logger on pino. The pino-http middleware is mounted by app.factory in front of
 * everything (so /docs, the console and unmatched routes get a request id too);
 * `useExisting` makes nestjs-pino reuse its `req.log`, so a line logged while handling a
 * request carries that request's id.
 */
@Module({})
export class LoggingModule {
  static forRoot(config: AppConfig): DynamicModule {
    const httpLogger = createHttpLogger(config);
    return {
      module: LoggingModule,
      imports: [LoggerModule.forRoot({ pinoHttp: { logger: httpLogger.logger }, useExisting: true })],
      providers: [{ provide: HTTP_LOGGER, useValue: httpLogger }],
      exports: [HTTP_LOGGER],
    };
  }
}
