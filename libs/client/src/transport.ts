import { ApiProblemError, networkProblem, parseRetryAfter, toProblem } from './problem';
import { backoffMs, RETRY_DEFAULTS, sleep, type RetryPolicy } from './retry';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type Query = Record<string, string | number | null | undefined>;

export interface ApiRequest {
  method: Method;
  path: string;
  query?: Query;
  body?: unknown;
  form?: FormData;
  /** Sent as Idempotency-Key on every attempt of this request, so a retry the server already applied is replayed. */
  idempotencyKey?: string;
  /** `text/csv` reads the body as text. */
  accept?: 'application/json' | 'text/csv';
}

export interface ApiResponse<T> {
  status: number;
  data: T;
  /** The server answered with the stored result of an earlier attempt (Idempotent-Replayed: true). */
  replayed: boolean;
}

export interface TransportOptions {
  /** Where the service listens, e.g. http://localhost:3000; '' for the same origin. */
  baseUrl?: string;
  /** A bearer token, or a function read before every request. */
  token?: string | null | (() => string | null);
  fetch?: typeof fetch;
  retry?: Partial<RetryPolicy>;
  /** Called on a 401 UNAUTHENTICATED (an expired or revoked token), before the error is thrown. */
  onUnauthenticated?: () => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

const API_PREFIX = '/api/v1';
/** Worth sending again as it is: nothing was applied (BUSY) or the first attempt is still being processed. */
const RETRYABLE_CODES = new Set(['BUSY', 'IDEMPOTENCY_KEY_IN_PROGRESS']);

type Attempt = { response: Response } | { error: unknown };

/** Sends requests with bounded, jittered retries; answers data or throws ApiProblemError. */
export class Transport {
  private readonly policy: RetryPolicy;

  constructor(private readonly options: TransportOptions = {}) {
    this.policy = { ...RETRY_DEFAULTS, ...options.retry };
  }

  async send<T>(request: ApiRequest): Promise<ApiResponse<T>> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(request);
      const retryAfter = 'response' in outcome ? parseRetryAfter(outcome.response.headers.get('Retry-After'), this.now()) : null;
      if (attempt >= this.policy.attemptsMax || !(await this.retryable(request, outcome))) return this.settle<T>(outcome, retryAfter);
      await (this.options.sleep ?? sleep)(backoffMs(this.policy, attempt, retryAfter, this.options.random ?? Math.random));
    }
  }

  private async attempt(request: ApiRequest): Promise<Attempt> {
    const doFetch = this.options.fetch ?? ((input, init) => fetch(input, init));
    try {
      return { response: await doFetch(this.urlOf(request), this.initOf(request)) };
    } catch (error) {
      return { error };
    }
  }

  /** A lost answer is retried only when a retry cannot apply the request twice. */
  private async retryable(request: ApiRequest, outcome: Attempt): Promise<boolean> {
    if ('error' in outcome) return request.method !== 'POST' || request.idempotencyKey !== undefined;
    if (outcome.response.status !== 503 && outcome.response.status !== 409) return false;
    const payload = await readJson(outcome.response.clone());
    return RETRYABLE_CODES.has((payload as { code?: unknown } | null)?.code as string);
  }

  private async settle<T>(outcome: Attempt, retryAfter: number | null): Promise<ApiResponse<T>> {
    if ('error' in outcome) throw networkProblem(outcome.error);
    const { response } = outcome;
    const replayed = response.headers.get('Idempotent-Replayed') === 'true';
    if (response.ok) return { status: response.status, data: (await readBody(response)) as T, replayed };
    const problem = toProblem(await readJson(response), response.status, response.statusText);
    if (problem.status === 401 && problem.code === 'UNAUTHENTICATED') this.options.onUnauthenticated?.();
    throw new ApiProblemError(problem, { retryAfterSeconds: retryAfter, replayed });
  }

  private urlOf({ path, query = {} }: ApiRequest): string {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value !== null && value !== undefined && value !== '') search.set(name, String(value));
    }
    const text = search.toString();
    return `${this.options.baseUrl ?? ''}${API_PREFIX}${path}${text ? `?${text}` : ''}`;
  }

  private initOf({ method, body, form, idempotencyKey, accept = 'application/json' }: ApiRequest): RequestInit {
    const headers: Record<string, string> = { Accept: `${accept}, application/problem+json` };
    const token = typeof this.options.token === 'function' ? this.options.token() : this.options.token;
    if (token) headers.Authorization = `Bearer ${token}`;
    if (idempotencyKey !== undefined) headers['Idempotency-Key'] = idempotencyKey;
    if (form) return { method, headers, body: form };
    if (body === undefined) return { method, headers };
    headers['Content-Type'] = 'application/json';
    return { method, headers, body: JSON.stringify(body) };
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  if (/json/i.test(response.headers.get('Content-Type') ?? '')) return response.json();
  return response.text();
}

async function readJson(response: Response): Promise<unknown> {
  if (!/json/i.test(response.headers.get('Content-Type') ?? '')) return null;
  try {
    return await response.json();
  } catch {
    return null;
  }
}
