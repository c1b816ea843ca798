import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { ledgerProblems } from './support/ledger-checks';
import { fundedUsers, quietOnDrop, ServiceProcess, startServiceProcess, transferLoad } from './support/service-process';
import { createTestDatabase, TestDatabase } from './support/test-db';

const SHUTDOWN_TIMEOUT_MS = 8_000;

/** The built service at LOG_LEVEL=info: its request logs, then a SIGTERM in the middle of a burst. */
describe('logs and graceful shutdown of the built service', () => {
  let db: TestDatabase;
  let sql: Pool;
  let service: ServiceProcess;

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = new Pool({ connectionString: db.url, max: 2 });
    quietOnDrop(sql);
    service = await startServiceProcess({ databaseUrl: db.url, env: { LOG_LEVEL: 'info', SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) } });
  });
  afterAll(async () => {
    await service?.stop('SIGKILL');
    await sql.end();
    await db.drop();
  });

  function logLines(): Array<Record<string, any>> {
    return service
      .output()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line));
  }

  async function lineFor(requestId: string): Promise<Record<string, any>> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const line = logLines().find((l) => l.reqId === requestId && l.msg === 'request completed');
      if (line !== undefined) return line;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no log line for request ${requestId}:\n${service.output()}`);
  }

  it('logs one JSON line per request with its id, user, route, status and duration, and no secrets', async () => {
    const user = await service.api.register('logged');
    const requestId = `ops-${randomBytes(6).toString('hex')}`;
    const me = await service.api.request('GET', '/api/v1/users/me', undefined, { token: user.token, headers: { 'x-request-id': requestId } });
    expect([me.status, me.headers.get('x-request-id')]).toEqual([200, requestId]);
    expect(await lineFor(requestId)).toMatchObject({
      level: 30,
      method: 'GET',
      path: '/api/v1/users/me',
      route: '/api/v1/users/me',
      status: 200,
      userId: user.id,
      responseTime: expect.any(Number),
    });

    const problemId = `ops-${randomBytes(6).toString('hex')}`;
    const problem = await service.api.request('GET', '/api/v1/wallets/not-a-wallet', undefined, { token: user.token, headers: { 'x-request-id': problemId } });
    expect([problem.status, problem.body.instance]).toEqual([404, `urn:request:${problemId}`]);
    expect(await lineFor(problemId)).toMatchObject({ status: 404, userId: user.id });

    // Not a sane id (too long, or not visible ASCII): replaced by a fresh one, which is echoed and logged.
    for (const bad of ['x'.repeat(129), 'has space']) {
      const res = await service.api.request('GET', '/health', undefined, { headers: { 'x-request-id': bad } });
      const generated = res.headers.get('x-request-id');
      expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    }

    const output = service.output();
    for (const secret of ['password-123', user.token, 'Bearer', 'authorization']) expect(output).not.toContain(secret);
  });

  it('on SIGTERM during a burst: no accepted request gets a 5xx, and it exits 0 within the deadline', async () => {
    const users = await fundedUsers(service.api, 8, 'GOLD_COINS', 10_000);
    const load = transferLoad(service.api, users, 32, 'GOLD_COINS');
    while (load.sent.filter((t) => t.status !== undefined).length < 100) await new Promise((r) => setTimeout(r, 10));
    const signalledAtMs = Date.now();
    service.child.kill('SIGTERM');
    const exit = await service.exited;
    const shutdownMs = Date.now() - signalledAtMs;
    await load.stop();

    const answered = load.sent.filter((t) => t.status !== undefined);
    const finishedDuringDrain = answered.filter((t) => t.startedAtMs < signalledAtMs && (t.answeredAtMs ?? 0) >= signalledAtMs);
    // Sent on a kept-alive connection after the signal: served, and told to close that connection.
    const startedDuringDrain = answered.filter((t) => t.startedAtMs > signalledAtMs + 20);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(shutdownMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    expect(answered.map((t) => t.status).filter((s) => s !== 201)).toEqual([]);
    expect(finishedDuringDrain.length).toBeGreaterThan(0);
    expect(startedDuringDrain.filter((t) => t.connection !== 'close')).toEqual([]);

    const ids = answered.map((t) => t.responseBody.id as string);
    const present = await sql.query(`SELECT count(*)::int AS n FROM transactions WHERE id = ANY($1::uuid[])`, [ids]);
    expect(present.rows[0].n).toBe(answered.length);
    // Nothing was applied without an answer: what was not accepted was not run.
    const transfers = await sql.query(`SELECT count(*)::int AS n FROM transactions WHERE type = 'TRANSFER' AND from_user_id = ANY($1::uuid[])`, [
      users.map((u) => u.id),
    ]);
    expect(transfers.rows[0].n).toBe(answered.length);
    expect(await ledgerProblems(sql)).toEqual([]);
    expect(logLines().some((l) => l.context === 'Shutdown' && l.msg === 'shut down cleanly')).toBe(true);
    console.log(
      `shutdown: exit ${exit.code} after ${shutdownMs} ms; ${answered.length} answered (all 201), ` +
        `${finishedDuringDrain.length} of them finished during the drain, ${startedDuringDrain.length} sent during it (Connection: close), ` +
        `${load.sent.length - answered.length} not accepted`,
    );
  });
});
