import { execFileSync } from 'node:child_process';
import { Pool } from 'pg';
import { ledgerProblems } from './support/ledger-checks';
import { fundedUsers, quietOnDrop, ServiceProcess, startServiceProcess } from './support/service-process';
import { createTestDatabase, TestDatabase } from './support/test-db';

const workersOf = (pid: number): number[] => {
  try {
    return execFileSync('pgrep', ['-P', String(pid)]).toString().trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
};

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** WEB_CONCURRENCY=2: two worker processes behind one port, one ledger. */
describe('node:cluster workers', () => {
  let db: TestDatabase;
  let service: ServiceProcess;
  let sql: Pool;

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = new Pool({ connectionString: db.url, max: 2 });
    quietOnDrop(sql);
    // No JWT_SECRET: the primary generates one for all workers, or tokens would fail on the other worker.
    service = await startServiceProcess({ databaseUrl: db.url, env: { WEB_CONCURRENCY: '2', JWT_SECRET: '', NODE_ENV: 'development' } });
  });
  afterAll(async () => {
    await service?.stop('SIGTERM');
    await sql.end();
    await db.drop();
  });

  it('serves from two workers with one token secret and exact balances under parallel transfers', async () => {
    await until(() => workersOf(service.child.pid as number).length === 2, 15_000);
    const admin = await service.api.adminToken();
    const users = await fundedUsers(service.api, 4, 'USD', 1_000);
    // Many requests over fresh connections land on both workers; every token must work on each.
    const results = await Promise.all(
      Array.from({ length: 80 }, (_, i) =>
        service.api.post('/api/v1/transfers', { asset: 'USD', amount: 10, toUserId: users[(i + 1) % 4].id }, users[i % 4].token),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(80).fill(201));
    expect((await service.api.get('/api/v1/wallets', admin)).status).toBe(200);
    const { rows } = await sql.query(`SELECT sum(balance)::int AS total FROM wallets w JOIN users u ON u.id = w.user_id WHERE u.id = ANY($1)`, [
      users.map((u) => u.id),
    ]);
    expect(rows[0].total).toBe(4_000);
    expect(await ledgerProblems(sql)).toEqual([]);
  });

  it('replaces a worker killed with SIGKILL and keeps serving', async () => {
    const [victim] = workersOf(service.child.pid as number);
    process.kill(victim, 'SIGKILL');
    await until(() => {
      const workers = workersOf(service.child.pid as number);
      return workers.length === 2 && !workers.includes(victim);
    }, 15_000);
    expect((await service.api.get('/health')).status).toBe(200);
  });

  it('stops cleanly on SIGTERM: workers drain, the primary exits 0', async () => {
    const exit = await service.stop('SIGTERM');
    expect(exit.code).toBe(0);
  });
});
