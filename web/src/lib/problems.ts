import type { ApiFailure } from './api';

export interface ProblemContext {
  asset?: string;
}

export interface ProblemDescription {
  message: string;
  fieldErrors: string[];
}

function later(failure: ApiFailure): string {
  return failure.retryAfter === null ? 'in a moment' : `in ${failure.retryAfter} seconds`;
}

const MESSAGES: Record<string, (failure: ApiFailure, context: ProblemContext) => string> = {
  VALIDATION_FAILED: (f) => f.problem.detail || 'Some values were not accepted.',
  IDEMPOTENCY_KEY_REQUIRED: () => 'The request was missing its idempotency key. Please try again.',
  UNAUTHENTICATED: () => 'Your session has expired. Please sign in again.',
  INVALID_CREDENTIALS: () => 'Wrong email or password.',
  FORBIDDEN: () => 'Only administrators can do this.',
  NOT_FOUND: () => 'Nothing was found with that id.',
  RECIPIENT_NOT_FOUND: () => 'There is no user with that email or id.',
  EMAIL_TAKEN: () => 'An account with this email already exists.',
  IDEMPOTENCY_KEY_IN_PROGRESS: () => 'The same request is still being processed. Wait a moment and try again.',
  ALREADY_REVERSED: () => 'This transaction has already been reversed.',
  INSUFFICIENT_FUNDS: (_f, c) => `Not enough ${c.asset ?? 'funds'}.`,
  SAME_WALLET: () => 'You cannot send money to yourself.',
  IDEMPOTENCY_KEY_REUSED: () =>
    'This request key was already used for a different request. Submit again to send it as a new request.',
  ASSET_NOT_FOUND: () => 'This asset does not exist.',
  BALANCE_LIMIT: () => 'This would take the receiving balance over its maximum.',
  RATE_LIMITED: (f) => `Too many requests. Try again ${later(f)}.`,
  BUSY: (f) => `The service is busy and nothing was applied. Try again ${later(f)}.`,
  NETWORK_ERROR: () => 'Could not reach the server. Check your connection; trying again is safe.',
};

/** Plain-words explanation of a failed request, with the field problems of a 400. */
export function describeFailure(failure: ApiFailure, context: ProblemContext = {}): ProblemDescription {
  const known = MESSAGES[failure.problem.code];
  const message = known
    ? known(failure, context)
    : failure.problem.detail || failure.problem.title || `Request failed (HTTP ${failure.status}).`;
  return { message, fieldErrors: fieldErrors(failure.problem.errors) };
}

/** Normalises the `errors` member of a problem, whose item shape the contract leaves open. */
export function fieldErrors(errors: unknown): string[] {
  if (Array.isArray(errors)) return errors.map(describeFieldError).filter((text) => text !== '');
  if (isRecord(errors)) {
    return Object.entries(errors).map(([field, value]) => `${field}: ${joinMessages(value)}`);
  }
  return [];
}

function describeFieldError(item: unknown): string {
  if (typeof item === 'string') return item;
  if (!isRecord(item)) return '';
  const field = item.field ?? item.property ?? item.path ?? item.pointer ?? item.name;
  const message = joinMessages(item.message ?? item.messages ?? item.detail ?? item.reason ?? item.constraints);
  if (typeof field === 'string' && field !== '') return message ? `${field}: ${message}` : field;
  return message;
}

function joinMessages(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((v) => typeof v === 'string').join('; ');
  if (isRecord(value)) return joinMessages(Object.values(value));
  return '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
