import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { DomainError, ErrorCode, isDatabaseUnavailable, problemFromError, problemOf, ProblemBody } from '../../libs/ledger/src';

/** Not the library's message (it names its own internals); what the client can do instead. */
const UNSUPPORTED_MEDIA_DETAIL = 'Send JSON as UTF-8, with no Content-Encoding or one of gzip, deflate, br';

/**
 * The one place where errors become HTTP responses: RFC 9457 problem+json with a stable
 * `code`. Unknown errors are logged and answered with a bare 500, never a stack or SQL.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request & { id?: string }>();
    const problem = this.toProblem(exception, request);
    if (problem.status >= 500 && problem.code !== 'BUSY') {
      this.logger.error({ err: exception, path: request.url }, 'unhandled error');
    }
    if (problem.status === 503) response.setHeader('Retry-After', '1');
    if (request.id !== undefined) problem.instance = `urn:request:${request.id}`;
    if (response.headersSent) return;
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown, request: Request): ProblemBody {
    if (exception instanceof DomainError) return problemFromError(exception);
    // Thrown by our own body-parser hooks (reviver, verify): Nest wraps them in an HttpException on the way here.
    if (exception instanceof HttpException && exception.cause instanceof DomainError) return problemFromError(exception.cause);
    if (exception instanceof ThrottlerException) return problemOf('RATE_LIMITED', 'Too many requests; retry after the Retry-After delay');
    if (exception instanceof HttpException) return fromHttpException(exception, request);
    const status = (exception as { status?: unknown; type?: unknown } | null)?.status;
    // Errors raised by the body parser before Nest's pipeline (too large, unsupported encoding or charset, malformed JSON).
    if (status === 413) return problemOf('PAYLOAD_TOO_LARGE', 'The request body is too large');
    if (status === 415) return problemOf('UNSUPPORTED_MEDIA_TYPE', UNSUPPORTED_MEDIA_DETAIL);
    if (status === 400) return problemOf('VALIDATION_FAILED', 'The request body is not valid JSON');
    if (isDatabaseUnavailable(exception)) return problemOf('BUSY', 'The database is busy or unavailable; retry later');
    return problemOf('INTERNAL', 'An unexpected error occurred');
  }
}

function fromHttpException(exception: HttpException, request: Request): ProblemBody {
  const status = exception.getStatus();
  const code = codeForStatus(status);
  if (status === 404) return problemOf(code, `No route for ${request.method} ${request.originalUrl.split("?")[0]}`);
  if (status === 413) return problemOf(code, 'The request body is too large');
  if (status === 415) return problemOf(code, UNSUPPORTED_MEDIA_DETAIL);
  if (status === 400) return problemOf(code, 'The request is malformed');
  return problemOf(code, exception.message);
}

function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'VALIDATION_FAILED';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 404:
    case 405:
      return 'NOT_FOUND';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 429:
      return 'RATE_LIMITED';
    case 503:
      return 'BUSY';
    default:
      return 'INTERNAL';
  }
}
