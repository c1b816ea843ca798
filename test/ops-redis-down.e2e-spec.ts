import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { TestUser } from './support/api-client';
import { ledgerProblems } from './support/ledger-checks';
import { freePort, quietOnDrop } from './support/service-process';
import { startTestApp, TestApp } from './support/test-app';

/** Nothing listens there. */
const DEAD_REDIS_URL = 'redis://127.0.0.1:6390';
const LOGIN_LIMIT = 3;

async function readiness(t: TestApp): Promise<[number, unknown]> {
  const ready = await t.api.get('/health/ready');
  return [ready.status, ready.body];
}

describe('Redis unreachable: the service keeps serving (fail open)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ REDIS_URL: DEAD_REDIS_URL, THROTTLE_ENABLED: 'true', THROTTLE_LOGIN_LIMIT: String(LOGIN_LIMIT) });
    quietOnDrop(t.sql);
  });
  afterAll(() => t.close());

  it('reports readiness as degraded, still 200', async () => {
    expect(await readiness(t)).toEqual([200, { status: 'degraded', database: 'up', redis: 'down', amqp: 'not-configured' }]);
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

const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedisServer && process.env.CI === 'true') throw new Error('redis-server is required under CI=true');

/** A private redis-server, so it can be frozen and killed without touching anyone else's. */
(hasRedisServer ? describe : describe.skip)('Redis hangs, dies and comes back while serving', () => {
  let t: TestApp;
  let port: number;
  let redis: ChildProcess;
  let payer: TestUser;
  let payee: TestUser;

  async function startRedis(): Promise<void> {
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let i = 0; i < 50 && spawnSync('redis-cli', ['-p', String(port), 'ping']).stdout?.toString().trim() !== 'PONG'; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function untilReadiness(expected: unknown): Promise<void> {
    for (let i = 0; i < 50 && JSON.stringify((await readiness(t))[1]) !== JSON.stringify(expected); i++) await new Promise((r) => setTimeout(r, 100));
    expect((await readiness(t))[1]).toEqual(expected);
  }

  async function transfersWork(): Promise<void> {
    const results = await Promise.all(
      Array.from({ length: 5 }, () => t.api.post('/api/v1/transfers', { asset: 'DIAMONDS', amount: 1, toUserId: payee.id }, payer.token)),
    );
    expect(results.map((r) => r.status)).toEqual(Array(5).fill(201));
  }

  beforeAll(async () => {
    port = await freePort();
    await startRedis();
    t = await startTestApp({ REDIS_URL: `redis://127.0.0.1:${port}`, THROTTLE_ENABLED: 'true' });
    quietOnDrop(t.sql);
    [payer, payee] = [await t.api.register('hang1'), await t.api.register('hang2')];
    await t.api.fund(await t.api.adminToken(), payer.id, 'DIAMONDS', 1_000);
  });
  afterAll(async () => {
    redis.kill('SIGCONT');
    redis.kill('SIGKILL');
    await t.close();
  });

  /** throttle_storage_errors_total, summed over its labels. */
  async function storageErrors(): Promise<number> {
    const text = (await t.api.get('/metrics')).body as string;
    return [...text.matchAll(/^throttle_storage_errors_total(?:\{[^}]*\})? (\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
  }

  it('keeps answering fast while Redis is frozen, and while it is dead; reconnects when it is back', async () => {
    await untilReadiness({ status: 'ok', database: 'up', redis: 'up', amqp: 'not-configured' });
    await transfersWork();

    redis.kill('SIGSTOP');
    const errorsBefore = await storageErrors();
    const startedAt = Date.now();
    for (let i = 0; i < 10; i++) expect((await t.api.get('/api/v1/wallets', payer.token)).status).toBe(200);
    const elapsedMs = Date.now() - startedAt;
    // Only one request per pause (1 s) waits for the Redis command timeout; the others skip
    // Redis and count in memory. Counted, not timed: the time only says how many pauses passed.
    const failedCommands = (await storageErrors()) - errorsBefore;
    expect(failedCommands).toBeGreaterThanOrEqual(1);
    expect(failedCommands).toBeLessThanOrEqual(1 + Math.ceil(elapsedMs / 1_000));
    await transfersWork();
    expect(await readiness(t)).toEqual([200, { status: 'degraded', database: 'up', redis: 'down', amqp: 'not-configured' }]);

    redis.kill('SIGCONT');
    redis.kill('SIGKILL');
    await new Promise((r) => redis.once('exit', r));
    await transfersWork();
    await untilReadiness({ status: 'degraded', database: 'up', redis: 'down', amqp: 'not-configured' });

    await startRedis();
    await untilReadiness({ status: 'ok', database: 'up', redis: 'up', amqp: 'not-configured' });
    await transfersWork();
    expect(await t.api.balance(payer.token, 'DIAMONDS')).toBe(1_000 - 20);
    expect(await ledgerProblems(t.sql)).toEqual([]);
  });
});
