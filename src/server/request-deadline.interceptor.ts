import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, throwError, timeout } from 'rxjs';
import { DomainError } from '../../libs/ledger/src';
import { APP_CONFIG, AppConfig } from '../config/app-config';

/**
 * The deadline passed while the handler was still working. Not `BusyError`: that one
 * promises nothing was applied, and a money movement may still commit after the answer.
 * A retry with the same Idempotency-Key is safe either way (it replays the stored outcome).
 */
export class RequestDeadlineError extends DomainError {
  constructor(deadlineMs: number) {
    super('BUSY', `The request did not finish within ${deadlineMs} ms; retry later with the same Idempotency-Key`);
  }
}

/** Answers 503 BUSY instead of letting a stuck request hang (REQUEST_TIMEOUT_MS). */
@Injectable()
export class RequestDeadlineInterceptor implements NestInterceptor {
  private readonly deadlineMs: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.deadlineMs = config.requestTimeoutMs;
  }

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(timeout({ first: this.deadlineMs, with: () => throwError(() => new RequestDeadlineError(this.deadlineMs)) }));
  }
}
