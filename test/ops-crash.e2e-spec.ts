import { Pool } from 'pg';
import { ledgerProblems } from './support/ledger-checks';
import { fundedUsers, quietOnDrop, SentTransfer, ServiceProcess, startServiceProcess, transferLoad } from './support/service-process';
import { createTestDatabase, TestDatabase } from './support/test-db';

const USERS = 8;
const CLIENTS = 32;
const FUNDS = 10_000;
/** Acknowledged transfers to wait for before the kill, so it lands in the middle of the load. */
const ACKED_BEFORE_KILL = 150;

/** Runs async work over `items`, `width` at a time. */
async function inBatches<T, R>(items: T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += width) results.push(...(await Promise.all(items.slice(i, i + width).map(work))));
  return results;
}

describe('crash safety: SIGKILL of the built service mid-load', () => {
  let db: TestDatabase;
  let sql: Pool;
  const services: ServiceProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = new Pool({ connectionString: db.url, max: 2 });
    quietOnDrop(sql);
  });
  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop('SIGKILL')));
    await sql.end();
    await db.drop();
  });

  it('keeps every acknowledged transfer, applies retried keys at most once, balances match entries', async () => {
    const first = await startServiceProcess({ databaseUrl: db.url });
    services.push(first);
    const users = await fundedUsers(first.api, USERS, 'GOLD_COINS', FUNDS);
    const load = transferLoad(first.api, users, CLIENTS, 'GOLD_COINS');
    while (load.sent.filter((t) => t.status === 201).length < ACKED_BEFORE_KILL) await new Promise((r) => setTimeout(r, 10));
    first.child.kill('SIGKILL');
    await load.stop();
    await first.exited;

    const acked = load.sent.filter((t) => t.status !== undefined);
    const unanswered = load.sent.filter((t) => t.status === undefined);
    expect(acked.map((t) => t.status).filter((s) => s !== 201)).toEqual([]);
    expect(unanswered.length).toBeGreaterThan(0);

    const second = await startServiceProcess({ databaseUrl: db.url });
    services.push(second);
    const ids = acked.map((t) => t.responseBody.id as string);
    const present = await sql.query(`SELECT count(*)::int AS n FROM transactions WHERE id = ANY($1::uuid[])`, [ids]);
    expect(present.rows[0].n).toBe(acked.length);

    const retries = await inBatches(load.sent, 16, (t: SentTransfer) => second.api.post('/api/v1/transfers', t.body, t.from.token, t.key));
    expect(retries.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
    acked.forEach((t) => {
      const retry = retries[load.sent.indexOf(t)];
      expect([retry.headers.get('idempotent-replayed'), retry.body.id]).toEqual(['true', t.responseBody.id]);
    });
    const replayedUnanswered = unanswered.filter((t) => retries[load.sent.indexOf(t)].headers.get('idempotent-replayed') === 'true').length;

    // One key, one transaction: as many keys as transfers, each naming a distinct existing transaction.
    const userIds = users.map((u) => u.id);
    const counts = await sql.query(
      `SELECT (SELECT count(*)::int FROM idempotency_keys WHERE user_id = ANY($1::uuid[])) AS keys,
              (SELECT count(*)::int FROM transactions WHERE type = 'TRANSFER' AND from_user_id = ANY($1::uuid[])) AS transfers,
              (SELECT count(DISTINCT t.id)::int FROM idempotency_keys k JOIN transactions t ON t.id = (k.response_body->>'id')::uuid
                WHERE k.user_id = ANY($1::uuid[])) AS linked`,
      [userIds],
    );
    expect(counts.rows[0]).toEqual({ keys: load.sent.length, transfers: load.sent.length, linked: load.sent.length });
    expect(await ledgerProblems(sql)).toEqual([]);
    const balances = await sql.query(`SELECT coalesce(sum(balance), 0)::int AS total FROM wallets WHERE user_id = ANY($1::uuid[])`, [userIds]);
    expect(balances.rows[0].total).toBe(USERS * FUNDS);
    const reconciliation = await second.api.get('/api/v1/admin/reconciliation', await second.api.adminToken());
    expect(reconciliation.body).toMatchObject({ ok: true, problems: [] });
    console.log(
      `crash: ${load.sent.length} sent, ${acked.length} acknowledged before SIGKILL, ${unanswered.length} unanswered ` +
        `(${replayedUnanswered} had committed before the kill, ${unanswered.length - replayedUnanswered} applied on retry)`,
    );
  });
});
