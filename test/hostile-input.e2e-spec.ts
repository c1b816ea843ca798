import { randomUUID } from 'node:crypto';
import { upload } from './support/batch-upload';
import { ledgerProblems } from './support/ledger-checks';
import { startTestApp, TestApp } from './support/test-app';

/** Whatever a client sends, the answer is a 4xx problem and the ledger does not move. */
describe('hostile input', () => {
  let t: TestApp;
  let token: string;
  let userId: string;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.api.adminToken();
    const user = await t.api.register('hostile');
    token = user.token;
    userId = user.id;
    await t.api.fund(admin, userId, 'GOLD_COINS', 100);
  });
  afterAll(() => t.close());

  const bodies: Array<[string, string, string]> = [
    ['an array', '[]', 'application/json'],
    ['a string', '"GOLD_COINS"', 'application/json'],
    ['null', 'null', 'application/json'],
    ['a number', '42', 'application/json'],
    ['nested junk', '{"asset":{"$ne":null},"amount":1}', 'application/json'],
    ['prototype pollution', '{"asset":"GOLD_COINS","amount":1,"__proto__":{"role":"admin"}}', 'application/json'],
    ['constructor key', '{"asset":"GOLD_COINS","amount":1,"constructor":{"prototype":{"x":1}}}', 'application/json'],
    ['SQL in the asset', `{"asset":"GOLD_COINS'; DROP TABLE wallets;--","amount":1}`, 'application/json'],
    ['an amount as a huge string', '{"asset":"GOLD_COINS","amount":"99999999999999999999999"}', 'application/json'],
    ['text/plain content', '{"asset":"GOLD_COINS","amount":1}', 'text/plain'],
    ['a 600-char description', JSON.stringify({ asset: 'GOLD_COINS', amount: 1, description: 'x'.repeat(600) }), 'application/json'],
    ['a boolean amount', '{"asset":"GOLD_COINS","amount":true}', 'application/json'],
    ['an array amount', '{"asset":"GOLD_COINS","amount":[1]}', 'application/json'],
  ];

  it.each(bodies)('answers %s with a 4xx problem and moves nothing', async (_, rawBody, contentType) => {
    const res = await t.api.request('POST', '/api/v1/spends', undefined, {
      token,
      key: randomUUID(),
      rawBody,
      headers: { 'content-type': contentType },
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await t.api.balance(token, 'GOLD_COINS')).toBe(100);
  });

  it('treats hostile path ids as not found', async () => {
    for (const path of [
      "/api/v1/transactions/1' OR '1'='1",
      '/api/v1/wallets/-1',
      '/api/v1/wallets/99999999999999999999999',
      '/api/v1/wallets/1e3',
      '/api/v1/transactions/%00',
    ]) {
      const res = await t.api.get(path.replace(/ /g, '%20'), token);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
  });

  it('refuses odd Idempotency-Keys and headers without side effects', async () => {
    const withKey = (key: string) => t.api.request('POST', '/api/v1/spends', { asset: 'GOLD_COINS', amount: 1 }, { token, headers: { 'idempotency-key': key } });
    expect((await withKey('tab\there')).status).toBe(400);
    expect((await withKey('k'.repeat(256))).status).toBe(400);
    expect((await withKey('k'.repeat(255))).status).toBe(201);
    expect(await t.api.balance(token, 'GOLD_COINS')).toBe(99);
  });

  const problem = (res: { status: number; body: any; headers: Headers }, status: number, code: string) => {
    expect({ status: res.status, code: res.body?.code, type: res.headers.get('content-type') }).toEqual({
      status,
      code,
      type: expect.stringContaining('application/problem+json'),
    });
  };

  describe('NUL characters', () => {
    it('refuses them in JSON, before login and after, with 400 VALIDATION_FAILED naming the field', async () => {
      const login = await t.api.request('POST', '/api/v1/auth/login', { email: 'a\u0000@example.com', password: 'x' });
      problem(login, 400, 'VALIDATION_FAILED');
      expect(login.body.errors).toEqual([{ field: 'email', message: expect.any(String) }]);
      problem(await t.api.request('POST', '/api/v1/auth/register', { email: 'nul@example.com', password: 'password-123', name: 'a\u0000b' }), 400, 'VALIDATION_FAILED');
      problem(await t.api.post('/api/v1/spends', { asset: 'GOLD_COINS', amount: 1, description: 'pay\u0000' }, token), 400, 'VALIDATION_FAILED');
      problem(await t.api.post('/api/v1/spends', { asset: 'GOLD_COINS', amount: 1, ['x\u0000']: 1 }, token), 400, 'VALIDATION_FAILED');
    });

    it('refuses them in the query string, even of a route that reads no query', async () => {
      problem(await t.api.get('/api/v1/transactions?type=TRANSFER%00', token), 400, 'VALIDATION_FAILED');
      problem(await t.api.get('/api/v1/wallets?anything=%00', token), 400, 'VALIDATION_FAILED');
      // A body field of the same name does not hide the query parameter.
      const both = await t.api.request('POST', '/api/v1/spends?description=%00', { asset: 'GOLD_COINS', amount: 1, description: 'ok' }, { token, key: randomUUID() });
      problem(both, 400, 'VALIDATION_FAILED');
    });

    it('refuses them in multipart fields and file names', async () => {
      problem(await upload(t, token, 'recipient,amount\nx@example.com,1\n', { fileName: 'pay\u0000.csv' }), 400, 'VALIDATION_FAILED');
      problem(await upload(t, token, 'recipient,amount\nx@example.com,1\n', { asset: 'GOLD\u0000' }), 400, 'VALIDATION_FAILED');
      expect((await t.sql.query('SELECT count(*)::int AS n FROM batches')).rows[0].n).toBe(0);
    });
  });

  it('refuses the multipart field names that slip past the whitelist', async () => {
    for (const name of ['constructor', '__proto__', 'prototype', 'extra']) {
      problem(await upload(t, token, 'recipient,amount\nx@example.com,1\n', { fields: { [name]: '1' } }), 400, 'VALIDATION_FAILED');
    }
  });

  it('refuses a batch upload without Idempotency-Key before reading its file', async () => {
    // The file is not CSV: read first, it would have been a VALIDATION_FAILED.
    problem(await upload(t, token, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0]), { key: null }), 400, 'IDEMPOTENCY_KEY_REQUIRED');
  });

  describe('cursors', () => {
    const encode = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
    const lists = () => [`/api/v1/transactions`, `/api/v1/batches`, `/api/v1/wallets/${walletId}/entries`, `/api/v1/batches/${batchId}/items`];
    let walletId: string;
    let batchId: string;

    beforeAll(async () => {
      walletId = String((await t.api.get('/api/v1/wallets', token)).body[0].id);
      const created = await upload(t, token, 'recipient,amount\nnobody@example.com,1\n');
      expect(created.status).toBe(202);
      batchId = created.body.id;
    });

    // Functions: the list names of a wallet's entries and a batch's items carry their ids, known only in beforeAll.
    it.each<[string, () => string]>([
      ['garbage', () => 'not-a-cursor'],
      ['not JSON', () => encode('{{{')],
      ['an object', () => encode({ at: 1 })],
      ['wrong types', () => encode(['transactions', 1, 2])],
      ['an impossible date', () => encode(['transactions', '2026-02-30 10:00:00.000001+00', '00000000-0000-4000-8000-000000000000'])],
      ['a bad uuid', () => encode(['batches', '2026-01-01 10:00:00+00', 'zzz'])],
      ['an out-of-range row', () => encode([`batch-items:${batchId}`, 2 ** 31])],
      ['a negative row', () => encode([`batch-items:${batchId}`, -1])],
      ['an out-of-range entry id', () => encode([`wallet-entries:${walletId}`, '9999999999999999999'])],
      ['a fractional row', () => encode([`batch-items:${batchId}`, 1.5])],
      ['nulls', () => encode([null, null])],
    ])('answers %s with 400 on every list', async (_, cursor) => {
      for (const list of lists()) problem(await t.api.get(`${list}?cursor=${cursor()}`, token), 400, 'VALIDATION_FAILED');
    });

    it("refuses another list's cursor, or another batch's, and accepts the list's own", async () => {
      const mine = encode([`batch-items:${batchId}`, 0]);
      expect((await t.api.get(`/api/v1/batches/${batchId}/items?cursor=${mine}`, token)).status).toBe(200);
      for (const list of lists().filter((l) => !l.endsWith('/items'))) problem(await t.api.get(`${list}?cursor=${mine}`, token), 400, 'VALIDATION_FAILED');
      const other = await upload(t, token, 'recipient,amount\nsomeone@example.com,1\n');
      problem(await t.api.get(`/api/v1/batches/${other.body.id}/items?cursor=${mine}`, token), 400, 'VALIDATION_FAILED');
    });
  });

  describe('media types', () => {
    const spend = (headers: Record<string, string>, rawBody = '{"asset":"GOLD_COINS","amount":1}') =>
      t.api.request('POST', '/api/v1/spends', undefined, { token, key: randomUUID(), rawBody, headers });

    it('answers an unsupported Content-Encoding or charset with 415 UNSUPPORTED_MEDIA_TYPE, without the library message', async () => {
      for (const headers of <Array<Record<string, string>>>[
        { 'content-type': 'application/json', 'content-encoding': 'x-bogus' },
        { 'content-type': 'application/json; charset=latin1' },
        { 'content-type': 'application/json; charset=utf-16' },
        { 'content-type': 'application/json; charset=no-such-charset' },
      ]) {
        const res = await spend(headers);
        problem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
        expect(res.body.detail).not.toMatch(/unsupported charset "|content encoding unsupported/);
      }
      problem(await upload(t, token, 'recipient,amount\nx@example.com,1\n', { headers: { 'content-encoding': 'gzip' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect(await t.api.balance(token, 'GOLD_COINS')).toBe(99);
    });

    it('still takes gzip-compressed JSON', async () => {
      const { gzipSync } = await import('node:zlib');
      const res = await fetch(`${t.api.baseUrl}/api/v1/spends`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'idempotency-key': randomUUID(), 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: gzipSync('{"asset":"GOLD_COINS","amount":1}'),
      });
      expect(res.status).toBe(201);
      expect(await t.api.balance(token, 'GOLD_COINS')).toBe(98);
    });
  });

  it.each(['1.0000000000000001', '10e-1', '1.0', '1e0', '1E+0', '-0.0'])('refuses the number literal %s even where it parses to an integer', async (literal) => {
    const res = await t.api.request('POST', '/api/v1/spends', undefined, {
      token,
      key: randomUUID(),
      rawBody: `{"asset":"GOLD_COINS","amount":${literal}}`,
    });
    problem(res, 400, 'VALIDATION_FAILED');
    // Digits, dots and exponents inside strings are text, not numbers.
    expect((await t.api.post('/api/v1/spends', { asset: 'GOLD_COINS', amount: 1, description: '1.5e3 -2.0' }, token)).status).toBe(201);
    await t.api.fund(admin, userId, 'GOLD_COINS', 1);
  });

  it('leaves the ledger consistent', async () => {
    expect(await ledgerProblems(t.sql)).toEqual([]);
  });
});

/** docs/security.md "Hostile input": balances shown by the API, system wallets summed over shards included, stay JSON-safe. */
describe('system wallet balances near the bound', () => {
  const MAX = 9_007_199_254_740_991;
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SYSTEM_WALLET_SHARDS: '2' });
  });
  afterAll(() => t.close());

  it('refuses an issue that would push the summed TREASURY past 2^53 - 1 with 422 BALANCE_LIMIT, never a 500 later', async () => {
    const admin = await t.api.adminToken();
    const users = await Promise.all([1, 2, 3].map((i) => t.api.register(`whale${i}`)));
    // Each user may hold MAX / 2; three of them would take the TREASURY (2 shards) to -1.5 × MAX.
    const answers = [];
    for (const user of users) answers.push(await t.api.post('/api/v1/top-ups', { userId: user.id, asset: 'GOLD_COINS', amount: Math.floor(MAX / 2) }, admin));
    for (const answer of answers.filter((a) => a.status !== 201)) expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 422, code: 'BALANCE_LIMIT' });
    expect(answers.filter((a) => a.status === 422).length).toBeGreaterThanOrEqual(1);
    const system = await t.api.get('/api/v1/wallets?kind=SYSTEM', admin);
    expect(system.status).toBe(200);
    const treasury = system.body.find((w: { asset: string; systemCode: string }) => w.asset === 'GOLD_COINS' && w.systemCode === 'TREASURY');
    expect(treasury.balance).toBeGreaterThanOrEqual(-MAX);
    expect(await ledgerProblems(t.sql)).toEqual([]);
  });
});
