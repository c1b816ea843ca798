import { ApiProblemError, WalletClient, type ApiResponse, type Problem } from '../../../libs/client/src';

/**
 * The console talks to the service through libs/client (its retries on BUSY and lost answers, its problem
 * mapping); this file only turns the client's answers and ApiProblemErrors into results React state can hold.
 */

export interface ApiSuccess<T> {
  ok: true;
  status: number;
  data: T;
  replayed: boolean;
}

export interface ApiFailure {
  ok: false;
  status: number;
  problem: Problem;
  replayed: boolean;
  retryAfter: number | null;
}

export type ApiResult<T> = ApiSuccess<T> | ApiFailure;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  form?: FormData;
  idempotencyKey?: string;
  accept?: 'application/json' | 'text/csv';
}

export type ApiRequest = <T>(path: string, options?: RequestOptions) => Promise<ApiResult<T>>;

export interface ClientConfig {
  token: string | null;
  onUnauthenticated: () => void;
  fetchImpl?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

/** The same-origin client of a session. */
export function createClient({ token, onUnauthenticated, fetchImpl, sleep }: ClientConfig): WalletClient {
  return new WalletClient({ token, onUnauthenticated, fetch: fetchImpl, sleep });
}

/** Requests by path through the client's transport; every outcome is an ApiResult, never an exception. */
export function requestVia(client: WalletClient): ApiRequest {
  return <T>(path: string, { method = 'GET', ...rest }: RequestOptions = {}) => resultOf(client.transport.send<T>({ method, path, ...rest }));
}

export async function resultOf<T>(answer: Promise<ApiResponse<T>>): Promise<ApiResult<T>> {
  try {
    const { status, data, replayed } = await answer;
    return { ok: true, status, data, replayed };
  } catch (error) {
    if (!(error instanceof ApiProblemError)) throw error;
    return failureOf(error);
  }
}

export function failureOf(error: ApiProblemError): ApiFailure {
  return { ok: false, status: error.status, problem: error.problem, replayed: error.replayed, retryAfter: error.retryAfterSeconds };
}

/** Appends the non-empty parameters to the path's query string. */
export function withQuery(path: string, params: Record<string, string | number | null | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') query.set(name, String(value));
  }
  const text = query.toString();
  if (!text) return path;
  return `${path}${path.includes('?') ? '&' : '?'}${text}`;
}
