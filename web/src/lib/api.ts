import type { Problem } from './types';

const API_BASE = '/api/v1';

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
  method?: 'GET' | 'POST';
  body?: unknown;
  form?: FormData;
  idempotencyKey?: string;
}

export type ApiRequest = <T>(path: string, options?: RequestOptions) => Promise<ApiResult<T>>;

export interface ClientConfig {
  token: string | null;
  onUnauthenticated: () => void;
  fetchImpl?: typeof fetch;
  now?: () => number;
}

/** Builds a request function that never throws: every outcome is an ApiResult. */
export function createApiClient({
  token,
  onUnauthenticated,
  fetchImpl = (input, init) => fetch(input, init),
  now = Date.now,
}: ClientConfig): ApiRequest {
  return async <T>(path: string, options: RequestOptions = {}): Promise<ApiResult<T>> => {
    let response: Response;
    try {
      response = await fetchImpl(API_BASE + path, buildInit(token, options));
    } catch {
      return networkFailure();
    }
    const result = await readResult<T>(response, now());
    if (!result.ok && result.status === 401 && result.problem.code === 'UNAUTHENTICATED') {
      onUnauthenticated();
    }
    return result;
  };
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

function buildInit(token: string | null, { method = 'GET', body, form, idempotencyKey }: RequestOptions): RequestInit {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  if (form) return { method, headers, body: form };
  if (body === undefined) return { method, headers };
  headers['Content-Type'] = 'application/json';
  return { method, headers, body: JSON.stringify(body) };
}

async function readResult<T>(response: Response, nowMs: number): Promise<ApiResult<T>> {
  const payload = await readJson(response);
  const replayed = response.headers.get('Idempotent-Replayed') === 'true';
  if (response.ok) return { ok: true, status: response.status, data: payload as T, replayed };
  return {
    ok: false,
    status: response.status,
    problem: toProblem(payload, response),
    replayed,
    retryAfter: parseRetryAfter(response.headers.get('Retry-After'), nowMs),
  };
}

async function readJson(response: Response): Promise<unknown> {
  if (!/json/i.test(response.headers.get('Content-Type') ?? '')) return null;
  try {
    return await response.json();
  } catch {
    return null;
  }
}

function toProblem(payload: unknown, response: Response): Problem {
  if (typeof payload === 'object' && payload !== null && typeof (payload as Problem).code === 'string') {
    return { ...(payload as Problem), status: response.status };
  }
  return {
    type: 'about:blank',
    title: response.statusText || 'Request failed',
    status: response.status,
    code: `HTTP_${response.status}`,
  };
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110). */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - nowMs) / 1000));
}

function networkFailure(): ApiFailure {
  return {
    ok: false,
    status: 0,
    problem: { type: 'about:blank', title: 'Network error', status: 0, code: 'NETWORK_ERROR' },
    replayed: false,
    retryAfter: null,
  };
}
