import type { FieldError, Problem } from '../../contract/src';

export interface ProblemAnswer {
  retryAfterSeconds?: number | null;
  replayed?: boolean;
}

/** A problem-details answer (or, with status 0 and code NETWORK_ERROR, no answer at all) as an Error. */
export class ApiProblemError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors: FieldError[];
  /** Which posting of a multi-posting transaction was refused, when the server says. */
  readonly posting: number | undefined;
  /** Seconds from the Retry-After header, when the server set one. */
  readonly retryAfterSeconds: number | null;
  /** The server answered with the refusal it had stored for this Idempotency-Key. */
  readonly replayed: boolean;

  constructor(readonly problem: Problem, answer: ProblemAnswer = {}, options?: { cause?: unknown }) {
    super(`${problem.code}: ${problem.detail || problem.title}`, options);
    this.name = 'ApiProblemError';
    this.status = problem.status;
    this.code = problem.code;
    this.detail = problem.detail;
    this.errors = problem.errors ?? [];
    this.posting = problem.posting;
    this.retryAfterSeconds = answer.retryAfterSeconds ?? null;
    this.replayed = answer.replayed ?? false;
  }
}

/** The server's problem body, or one made up from the status line when the body is not a problem. */
export function toProblem(payload: unknown, status: number, statusText: string): Problem {
  if (typeof payload === 'object' && payload !== null && typeof (payload as Problem).code === 'string') {
    return { ...(payload as Problem), status };
  }
  const title = statusText || 'Request failed';
  return { type: 'about:blank', title, status, detail: title, code: `HTTP_${status}` };
}

export function networkProblem(cause: unknown): ApiProblemError {
  const detail = cause instanceof Error ? cause.message : 'The request did not reach the service';
  return new ApiProblemError({ type: 'about:blank', title: 'Network error', status: 0, detail, code: 'NETWORK_ERROR' }, {}, { cause });
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110). */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - nowMs) / 1000));
}
