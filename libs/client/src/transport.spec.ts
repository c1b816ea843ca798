import { ApiProblemError } from './problem';
import { Transport, type TransportOptions } from './transport';

interface Call {
  url: string;
  init: RequestInit;
}

function json(body: unknown, status: number, headers: Record<string, string> = {}): Response {
  const type = status >= 400 ? 'application/problem+json' : 'application/json';
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type, ...headers } });
}

const busy = () => json({ type: 'about:blank', title: 'Busy', status: 503, detail: 'try again', code: 'BUSY' }, 503, { 'Retry-After': '1' });

/** A fetch that answers from a script, one entry per call (an Error is thrown as a lost connection). */
function scripted(script: Array<() => Response | Error>, calls: Call[]): typeof fetch {
  return async (input, init) => {
    calls.push({ url: String(input), init: init ?? {} });
    const next = script[calls.length - 1]();
    if (next instanceof Error) throw next;
    return next;
  };
}

function transport(script: Array<() => Response | Error>, calls: Call[], options: TransportOptions = {}) {
  const delays: number[] = [];
  const sleep = async (ms: number) => {
    delays.push(ms);
  };
  return { delays, transport: new Transport({ fetch: scripted(script, calls), sleep, random: () => 0.5, ...options }) };
}

const write = { method: 'POST' as const, path: '/transfers', body: { amount: 5 }, idempotencyKey: 'key-1' };

describe('Transport', () => {
  it('sends the token, the key and a JSON body under /api/v1, and reports a replay', async () => {
    const calls: Call[] = [];
    const { transport: t } = transport([() => json({ id: 't1' }, 201, { 'Idempotent-Replayed': 'true' })], calls, {
      baseUrl: 'http://svc',
      token: () => 'abc',
    });
    expect(await t.send(write)).toEqual({ status: 201, data: { id: 't1' }, replayed: true });
    expect(calls[0].url).toBe('http://svc/api/v1/transfers');
    expect(calls[0].init.headers).toEqual({
      Accept: 'application/json, application/problem+json',
      Authorization: 'Bearer abc',
      'Idempotency-Key': 'key-1',
      'Content-Type': 'application/json',
    });
  });

  it('retries 503 BUSY with the same Idempotency-Key, waiting at least Retry-After', async () => {
    const calls: Call[] = [];
    const { transport: t, delays } = transport([busy, busy, () => json({ id: 't1' }, 201)], calls);
    expect((await t.send(write)).data).toEqual({ id: 't1' });
    expect(calls.map((c) => (c.init.headers as Record<string, string>)['Idempotency-Key'])).toEqual(['key-1', 'key-1', 'key-1']);
    expect(delays).toEqual([1000, 1000]);
  });

  it('backs off with jitter that grows with each attempt, capped by delayMaxMs', async () => {
    const calls: Call[] = [];
    const lost = () => new TypeError('fetch failed');
    const retry = { attemptsMax: 5, baseDelayMs: 100, delayMaxMs: 300 };
    const { transport: t, delays } = transport([lost, lost, lost, lost, () => json({}, 200)], calls, { retry });
    await t.send(write);
    expect(delays).toEqual([50, 100, 150, 150]);
  });

  it('gives up after attemptsMax and throws the last problem', async () => {
    const calls: Call[] = [];
    const { transport: t } = transport([busy, busy, busy], calls, { retry: { attemptsMax: 3 } });
    const error = await t.send(write).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiProblemError);
    expect(error).toMatchObject({ status: 503, code: 'BUSY', retryAfterSeconds: 1 });
    expect(calls).toHaveLength(3);
  });

  it('retries a lost answer of a keyed POST, then reports NETWORK_ERROR with status 0', async () => {
    const calls: Call[] = [];
    const lost = () => new TypeError('fetch failed');
    const { transport: t } = transport([lost, lost], calls, { retry: { attemptsMax: 2 } });
    await expect(t.send(write)).rejects.toMatchObject({ status: 0, code: 'NETWORK_ERROR', detail: 'fetch failed' });
    expect(calls).toHaveLength(2);
  });

  it('does not resend a POST without a key after a lost answer (it may have been applied)', async () => {
    const calls: Call[] = [];
    const { transport: t } = transport([() => new TypeError('fetch failed')], calls);
    await expect(t.send({ method: 'POST', path: '/webhooks', body: {} })).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    expect(calls).toHaveLength(1);
  });

  it('maps a refusal to ApiProblemError with its code, detail, field errors and posting, without retrying', async () => {
    const calls: Call[] = [];
    const problem = { type: 'about:blank', title: 'Unprocessable', status: 422, detail: 'not enough', code: 'INSUFFICIENT_FUNDS', posting: 1 };
    const { transport: t } = transport([() => json(problem, 422)], calls);
    const error = (await t.send(write).catch((e: unknown) => e)) as ApiProblemError;
    expect(error).toMatchObject({ status: 422, code: 'INSUFFICIENT_FUNDS', detail: 'not enough', posting: 1, errors: [] });
    expect(error.problem).toEqual(problem);
    expect(calls).toHaveLength(1);
  });

  it('makes a problem of a non-JSON error answer', async () => {
    const { transport: t } = transport([() => new Response('oops', { status: 502, statusText: 'Bad Gateway' })], []);
    await expect(t.send({ method: 'GET', path: '/wallets' })).rejects.toMatchObject({ status: 502, code: 'HTTP_502', detail: 'Bad Gateway' });
  });

  it('calls onUnauthenticated on 401 UNAUTHENTICATED only', async () => {
    let lost = 0;
    const unauthenticated = () => json({ status: 401, code: 'UNAUTHENTICATED', title: 'Unauthorized', detail: 'x' }, 401);
    const badLogin = () => json({ status: 401, code: 'INVALID_CREDENTIALS', title: 'Unauthorized', detail: 'x' }, 401);
    const { transport: t } = transport([unauthenticated, badLogin], [], { onUnauthenticated: () => (lost += 1) });
    await expect(t.send({ method: 'GET', path: '/users/me' })).rejects.toBeInstanceOf(ApiProblemError);
    await expect(t.send({ method: 'POST', path: '/auth/login', body: {} })).rejects.toBeInstanceOf(ApiProblemError);
    expect(lost).toBe(1);
  });

  it('reads text/csv as text and drops empty query parameters', async () => {
    const calls: Call[] = [];
    const csv = () => new Response('a,b\n1,2\n', { status: 200, headers: { 'Content-Type': 'text/csv' } });
    const { transport: t } = transport([csv], calls);
    const answer = await t.send({ method: 'GET', path: '/wallets/1/statement', query: { from: 'x', to: '', cursor: null }, accept: 'text/csv' });
    expect(answer.data).toBe('a,b\n1,2\n');
    expect(calls[0].url).toBe('/api/v1/wallets/1/statement?from=x');
    expect((calls[0].init.headers as Record<string, string>).Accept).toBe('text/csv, application/problem+json');
  });
});
