import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { ApiResponse } from './support/api-client';
import { ledgerProblems } from './support/ledger-checks';
import { fundedUsers, LOCAL_REDIS_URL, quietOnDrop, redisAvailable, ServiceProcess, startServiceProcess } from './support/service-process';
import { createTestDatabase, TestDatabase } from './support/test-db';

const LOGIN_LIMIT = 5;
const CLIENTS = 32;

/** Runs `tasks` with at most `width` in flight. */
async function withWidth<T>(tasks: Array<() => Promise<T>>, width: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < tasks.length; i = next++) results[i] = await tasks[i]();
  };
  await Promise.all(Array.from({ length: width }, lane));
  return results;
}

(redisAvailable() ? describe : describe.skip)('two instances of the built service on one database and one Redis', () => {
  // Unique per run: parallel runs on one Redis must not share counters.
  const prefix = `opstest-${randomBytes(4).toString('hex')}:`;
  let db: TestDatabase;
  let sql: Pool;
  let a: ServiceProcess;
  let b: ServiceProcess;

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = new Pool({ connectionString: db.url, max: 2 });
    quietOnDrop(sql);
    const env = { REDIS_URL: LOCAL_REDIS_URL, REDIS_KEY_PREFIX: prefix, THROTTLE_ENABLED: 'true', THROTTLE_LOGIN_LIMIT: String(LOGIN_LIMIT) };
    [a, b] = await Promise.all([startServiceProcess({ databaseUrl: db.url, env }), startServiceProcess({ databaseUrl: db.url, env })]);
  });
  afterEach(async () => {
    expect(await ledgerProblems(sql)).toEqual([]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await sql.end();
    await db.drop();
    const redis = new Redis(LOCAL_REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('both are ready with Redis up', async () => {
    for (const service of [a, b]) expect((await service.api.get('/health/ready')).body).toEqual({ status: 'ok', database: 'up', redis: 'up', amqp: 'not-configured' });
  });

  it('shares login throttling: 5 attempts split across both pass, the 6th on either gets 429 with Retry-After', async () => {
    const credentials = { email: `nobody-${randomUUID().slice(0, 8)}@example.com`, password: 'wrong-password' };
    const login = (service: ServiceProcess): Promise<ApiResponse> => service.api.request('POST', '/api/v1/auth/login', credentials);
    const attempts = [];
    for (const service of [a, b, a, b, a]) attempts.push((await login(service)).status);
    expect(attempts).toEqual(Array(LOGIN_LIMIT).fill(401));
    for (const service of [b, a]) {
      const refused = await login(service);
      expect([refused.status, refused.body.code]).toEqual([429, 'RATE_LIMITED']);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
  });

  it('applies one idempotency key sent to both at once exactly once', async () => {
    const [payer, payee] = await fundedUsers(a.api, 2, 'GOLD_COINS', 1_000);
    const keys = Array.from({ length: 10 }, () => randomUUID());
    const results = await Promise.all(
      keys.flatMap((key) => [a, b, a, b].map((service) => service.api.post('/api/v1/transfers', { asset: 'GOLD_COINS', amount: 3, toUserId: payee.id }, payer.token, key))),
    );
    expect(results.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
    expect(results.filter((r) => r.headers.get('idempotent-replayed') === null)).toHaveLength(keys.length);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(keys.length);
    expect(await b.api.balance(payer.token, 'GOLD_COINS')).toBe(1_000 - 3 * keys.length);
  });

  it('300 debits of 1 against a balance of 100, split across both: exactly 100 succeed', async () => {
    const [spender] = await fundedUsers(b.api, 1, 'DIAMONDS', 100);
    const tasks = Array.from({ length: 300 }, (_, i) => () => [a, b][i % 2].api.post('/api/v1/spends', { asset: 'DIAMONDS', amount: 1 }, spender.token));
    const results = await withWidth(tasks, CLIENTS);
    expect(results.filter((r) => r.status === 201)).toHaveLength(100);
    expect(results.filter((r) => r.status === 422 && r.body.code === 'INSUFFICIENT_FUNDS')).toHaveLength(200);
    expect(await a.api.balance(spender.token, 'DIAMONDS')).toBe(0);
    const { rows } = await sql.query(`SELECT count(*)::int AS n FROM transactions WHERE type = 'SPEND' AND from_user_id = $1`, [spender.id]);
    expect(rows[0].n).toBe(100);
  });
});
