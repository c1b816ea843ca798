import { createClient, requestVia, withQuery, type ClientConfig } from './api';

const noWait = async () => undefined;
const consoleRequest = (config: ClientConfig) => requestVia(createClient({ sleep: noWait, ...config }));

interface Call {
  url: string;
  init: RequestInit;
}

function fakeFetch(response: () => Response, calls: Call[] = []): typeof fetch {
  return async (input, init) => {
    calls.push({ url: String(input), init: init ?? {} });
    return response();
  };
}

function json(body: unknown, status: number, headers: Record<string, string> = {}): Response {
  const type = status >= 400 ? 'application/problem+json' : 'application/json';
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type, ...headers } });
}

describe('requestVia (the console on libs/client)', () => {
  it('sends the token, the idempotency key and a JSON body under /api/v1', async () => {
    const calls: Call[] = [];
    const request = consoleRequest({
      token: 'abc',
      onUnauthenticated: () => undefined,
      fetchImpl: fakeFetch(() => json({ id: 't1' }, 201, { 'Idempotent-Replayed': 'true' }), calls),
    });
    const result = await request('/transfers', { method: 'POST', body: { amount: 5 }, idempotencyKey: 'k-1' });
    expect(result).toEqual({ ok: true, status: 201, data: { id: 't1' }, replayed: true });
    expect(calls[0].url).toBe('/api/v1/transfers');
    expect(calls[0].init.method).toBe('POST');
    expect(calls[0].init.body).toBe('{"amount":5}');
    expect(calls[0].init.headers).toEqual({
      Accept: 'application/json, application/problem+json',
      Authorization: 'Bearer abc',
      'Idempotency-Key': 'k-1',
      'Content-Type': 'application/json',
    });
  });

  it('returns problems with Retry-After and never throws', async () => {
    const problem = { type: 'about:blank', title: 'Too Many Requests', status: 429, code: 'RATE_LIMITED' };
    const request = consoleRequest({
      token: null,
      onUnauthenticated: () => undefined,
      fetchImpl: fakeFetch(() => json(problem, 429, { 'Retry-After': '7' })),
    });
    expect(await request('/wallets')).toEqual({ ok: false, status: 429, problem, replayed: false, retryAfter: 7 });
  });

  it('reports UNAUTHENTICATED but not INVALID_CREDENTIALS as a lost session', async () => {
    let lost = 0;
    const code = { value: 'UNAUTHENTICATED' };
    const request = consoleRequest({
      token: 'expired',
      onUnauthenticated: () => {
        lost += 1;
      },
      fetchImpl: fakeFetch(() => json({ title: 'Unauthorized', status: 401, code: code.value }, 401)),
    });
    await request('/wallets');
    code.value = 'INVALID_CREDENTIALS';
    await request('/auth/login', { method: 'POST', body: {} });
    expect(lost).toBe(1);
  });

  it('turns non-problem errors and network failures into problems', async () => {
    const html = consoleRequest({
      token: null,
      onUnauthenticated: () => undefined,
      fetchImpl: fakeFetch(() => new Response('<html>', { status: 502, statusText: 'Bad Gateway' })),
    });
    const offline = consoleRequest({
      token: null,
      onUnauthenticated: () => undefined,
      fetchImpl: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    const badGateway = await html('/wallets');
    const network = await offline('/wallets');
    expect(badGateway.ok === false && badGateway.problem.code).toBe('HTTP_502');
    expect(network.ok === false && network.problem.code).toBe('NETWORK_ERROR');
    expect(network.status).toBe(0);
  });

  it('passes multipart bodies through untouched', async () => {
    const calls: Call[] = [];
    const request = consoleRequest({
      token: 't',
      onUnauthenticated: () => undefined,
      fetchImpl: fakeFetch(() => json({ id: 'b1' }, 202), calls),
    });
    const form = new FormData();
    form.set('asset', 'USD');
    await request('/batches', { method: 'POST', form, idempotencyKey: 'k' });
    expect(calls[0].init.body).toBe(form);
    expect(calls[0].init.headers).toEqual({
      Accept: 'application/json, application/problem+json',
      Authorization: 'Bearer t',
      'Idempotency-Key': 'k',
    });
  });
});

describe('withQuery', () => {
  it('keeps only the parameters that have a value', () => {
    expect(withQuery('/transactions', { type: '', limit: 20, cursor: null })).toBe('/transactions?limit=20');
    expect(withQuery('/transactions', { cursor: 'a b&c' })).toBe('/transactions?cursor=a+b%26c');
    expect(withQuery('/wallets', {})).toBe('/wallets');
    expect(withQuery('/transactions?type=SPEND', { limit: 20 })).toBe('/transactions?type=SPEND&limit=20');
  });
});
