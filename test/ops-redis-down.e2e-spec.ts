import { TestUser } from './support/api-client';
import { ledgerProblems } from './support/ledger-checks';
import { startTestApp, TestApp } from './support/test-app';

/** Nothing listens there. */
const DEAD_REDIS_URL = 'redis://127.0.0.1:6390';
const LOGIN_LIMIT = 3;

describe('Redis unreachable: the service keeps serving (fail open)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ REDIS_URL: DEAD_REDIS_URL, THROTTLE_ENABLED: 'true', THROTTLE_LOGIN_LIMIT: String(LOGIN_LIMIT) });
  });
  afterAll(() => t.close());

  it('reports readiness as degraded, still 200', async () => {
    const ready = await t.api.get('/health/ready');
    expect([ready.status, ready.body]).toEqual([200, { status: 'degraded', database: 'up', redis: 'down' }]);
  });

  it('moves money correctly', async () => {
    const admin = await t.api.adminToken();
    const users: TestUser[] = [await t.api.register('nored1'), await t.api.register('nored2')];
    await t.api.fund(admin, users[0].id, 'GOLD_COINS', 100);
    const results = await Promise.all(
      Array.from({ length: 30 }, () => t.api.post('/api/v1/transfers', { asset: 'GOLD_COINS', amount: 2, toUserId: users[1].id }, users[0].token)),
    );
    expect(results.map((r) => r.status)).toEqual(Array(30).fill(201));
    expect(await t.api.balance(users[0].token, 'GOLD_COINS')).toBe(40);
    expect(await t.api.balance(users[1].token, 'GOLD_COINS')).toBe(60);
    expect(await ledgerProblems(t.sql)).toEqual([]);
  });

  it('still limits logins, with this instance counting on its own, and counts the Redis failures', async () => {
    const credentials = { email: 'guess@example.com', password: 'wrong-password' };
    const statuses = [];
    for (let i = 0; i <= LOGIN_LIMIT; i++) statuses.push((await t.api.request('POST', '/api/v1/auth/login', credentials)).status);
    expect(statuses).toEqual([...Array(LOGIN_LIMIT).fill(401), 429]);
    const metrics = await t.api.get('/metrics');
    const failures = Number(/^throttle_storage_errors_total (\d+)/m.exec(metrics.body)?.[1]);
    expect(failures).toBeGreaterThan(0);
  });
});
