import type { IncomingMessage, ServerResponse } from 'node:http';
import { Level, stdSerializers } from 'pino';
import { HttpLogger, pinoHttp } from 'pino-http';
import type { AuthUser } from '../auth/auth-user';
import { AppConfig } from '../config/app-config';
import { requestId } from './request-id';

export type Req = IncomingMessage & { id?: unknown; user?: AuthUser; route?: { path?: string }; baseUrl?: string; originalUrl?: string };

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

function levelOf(req: Req, res: ServerResponse, error?: Error): Level {
  if (error !== undefined || res.statusCode >= 500) return 'error';
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
 * pino-http for the whole app: one JSON line per request (id, method, path, route, status,
 * user, duration in ms), and `req.log` bound to the request id for every other line of
 * that request. The id is also `req.id`, which problem responses quote as `instance`.
 */
export function createHttpLogger(config: Pick<AppConfig, 'logLevel'>): HttpLogger<Req> {
  return pinoHttp<Req, ServerResponse, never>({
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
    genReqId: requestId,
    // pino-http binds `req` to a child logger on every request, even at a level that logs
    // nothing; the standard serializer would copy its headers there. Nothing reads it.
    wrapSerializers: false,
    serializers: { req: () => undefined, res: () => undefined, err: stdSerializers.err },
    quietReqLogger: true,
    quietResLogger: true,
    customLogLevel: levelOf,
    customSuccessMessage: (req, res) => (res.writableEnded ? 'request completed' : 'request aborted'),
    customSuccessObject: (req, res, value: { responseTime: unknown }) => requestLine(req, res, value.responseTime),
    customErrorObject: (req, res, error, value: { responseTime: unknown }) => ({ ...requestLine(req, res, value.responseTime), err: error }),
  });
}
