import { randomUUID } from 'node:crypto';
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

  it('leaves the ledger consistent', async () => {
    expect(await ledgerProblems(t.sql)).toEqual([]);
  });
});
