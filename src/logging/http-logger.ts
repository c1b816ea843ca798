import type { IncomingMessage, ServerResponse } from 'node:http';
import { DestinationStream, Level, Logger, pino, stdSerializers } from 'pino';
import type { AuthUser } from '../auth/auth-user';
import { AppConfig } from '../config/app-config';
import { requestId } from './request-id';

export type Req = IncomingMessage & { id?: unknown; log?: Logger; user?: AuthUser; route?: { path?: string }; baseUrl?: string; originalUrl?: string };

/** The request-logging middleware, with the process's root logger (nestjs-pino's `useExisting`). */
export type HttpLogger = ((req: Req, res: ServerResponse, next: () => void) => void) & { logger: Logger };

/**
 * Belt and braces: the request line below never carries headers or bodies, but other log
 * calls may pass objects that hold secrets (an error with query parameters, a request).
 */
const REDACTED_PATHS = [
  'headers.authorization',
  'headers.cookie',
  'password',
  'token',
  'accessToken',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.authorization',
  '*.cookie',
  'err.parameters',
];

/** Probes run every few seconds: their lines would drown the rest at info. */
const PROBE_PATHS = new Set(['/health', '/health/ready', '/metrics']);

function levelOf(req: Req, res: ServerResponse): Level {
  if (res.statusCode >= 500) return 'error';
  return PROBE_PATHS.has(pathOf(req)) ? 'debug' : 'info';
}

function pathOf(req: Req): string {
  return (req.originalUrl ?? req.url ?? '').split('?')[0];
}

/** The route pattern, not the URL: ids in paths would make every line unique. */
function routeOf(req: Req): string | undefined {
  return req.route?.path === undefined ? undefined : `${req.baseUrl ?? ''}${req.route.path}`;
}

/** The fields of the one line per request. */
function requestLine(req: Req, res: ServerResponse, responseTime: unknown): Record<string, unknown> {
  return {
    method: req.method,
    path: pathOf(req),
    route: routeOf(req),
    status: res.statusCode,
    userId: req.user?.id,
    responseTime,
  };
}

/**
 * One JSON line per request (id, method, path, route, status, user, duration in ms), and
 * `req.log` bound to the request id for every other line of that request (nestjs-pino's
 * `useExisting` picks it up). The id is also `req.id`, which problem responses quote as
 * `instance`.
 *
 * This replaces pino-http, which did the same with more work per request: two child loggers
 * (one bound to `req`, unused here), three listeners, and the line's object and message built
 * even when its level is off (LOG_LEVEL=warn in production skips every request line).
 */
export function createHttpLogger(config: Pick<AppConfig, 'logLevel'>, destination?: DestinationStream): HttpLogger {
  const options = { level: config.logLevel, redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' }, serializers: { err: stdSerializers.err } };
  const logger = destination === undefined ? pino(options) : pino(options, destination);
  const middleware = (req: Req, res: ServerResponse, next: () => void): void => {
    const startedMs = Date.now();
    req.id = requestId(req, res);
    const log = logger.child({ reqId: req.id });
    req.log = log;
    const done = (): void => {
      res.off('finish', done);
      res.off('close', done);
      const level = levelOf(req, res);
      if (!log.isLevelEnabled(level)) return;
      const line = requestLine(req, res, Date.now() - startedMs);
      if (level === 'error') log.error({ ...line, err: new Error(`failed with status code ${res.statusCode}`) }, 'request errored');
      else log[level](line, res.writableEnded ? 'request completed' : 'request aborted');
    };
    res.on('finish', done);
    res.on('close', done);
    next();
  };
  return Object.assign(middleware, { logger });
}
