import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, IdempotentRequest, IdempotentResult, requestHash, ValidationFailedError } from '../../libs/ledger/src';
import { AuthUser } from '../auth/auth-user';
import { movementsPosted } from '../metrics/metrics';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** The header as the OpenAPI document describes it, on every money-moving route. */
export const IDEMPOTENCY_KEY_HEADER = {
  name: 'Idempotency-Key',
  required: true,
  description: '1-255 printable ASCII characters, scoped to the caller; reuse it on every retry of the same action',
  example: 'order-1042-payment',
};

/** The `Idempotency-Key` header, checked: money-moving requests need one (1-255 printable ASCII characters). */
export function idempotencyKeyOf(request: Request): string {
  const key = request.header('idempotency-key');
  if (key === undefined || key === '') {
    throw new DomainError('IDEMPOTENCY_KEY_REQUIRED', 'Money-moving requests need an Idempotency-Key header');
  }
  if (!KEY_PATTERN.test(key)) {
    throw new ValidationFailedError('Idempotency-Key must be 1-255 printable ASCII characters', [
      { field: 'Idempotency-Key', message: 'must be 1-255 printable ASCII characters' },
    ]);
  }
  return key;
}

/**
 * The idempotency identity of a money-moving POST: the caller (from the JWT only), the
 * `Idempotency-Key` header and a fingerprint of method, path and body.
 */
export const Idempotency = createParamDecorator((_: unknown, context: ExecutionContext): IdempotentRequest => {
  const request = context.switchToHttp().getRequest<Request & { user: AuthUser }>();
  const key = idempotencyKeyOf(request);
  return { userId: request.user.id, key, requestHash: requestHash(request.method, request.path, request.body) };
});

/** Sends an idempotent outcome: its stored status and body, flagged when replayed. */
export function sendIdempotent(response: Response, result: IdempotentResult): unknown {
  response.status(result.status);
  if (result.status === 201 && !result.replayed) movementsPosted.inc({ type: (result.body as { type: string }).type });
  if (result.replayed) response.setHeader('Idempotent-Replayed', 'true');
  if (result.status >= 400) response.type('application/problem+json');
  return result.body;
}
