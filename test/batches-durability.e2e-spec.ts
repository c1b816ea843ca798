import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { TestUser } from './support/api-client';
import { ledgerProblems } from './support/ledger-checks';
import { startTestApp, TestApp } from './support/test-app';

interface Payout {
  recipient: { id: string; email: string };
  amount: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Recipients straight into SQL: they only receive, so they need no password or token. */
async function recipients(sql: Pool, count: number): Promise<Array<{ id: string; email: string }>> {
  const tag = randomUUID().slice(0, 8);
  const { rows } = await sql.query(
    `INSERT INTO users (email, name, password_hash) SELECT 'r' || g || '-' || $1::text || '@example.com', 'recipient', 'not-a-hash'
       FROM generate_series(1, $2::int) AS g ORDER BY g RETURNING id, email`,
    [tag, count],
  );
  return rows;
}

function payouts(to: Array<{ id: string; email: string }>, count: number): Payout[] {
  return Array.from({ length: count }, (_, i) => ({ recipient: to[(i * 7) % to.length], amount: 1 + (i % 5) }));
}

function csvOf(rows: Payout[]): string {
  // Half the rows name the recipient by id, half by email: both resolutions under load.
  return `recipient,amount,reference\n${rows.map((p, i) => `${i % 2 ? p.recipient.id : p.recipient.email},${p.amount},row ${i + 1}`).join('\n')}\n`;
}

async function upload(t: TestApp, payer: TestUser, csv: string): Promise<string> {
  const form = new FormData();
  form.append('asset', 'GOLD_COINS');
  form.append('file', new Blob([csv]), 'payouts.csv');
  const response = await fetch(`${t.api.baseUrl}/api/v1/batches`, {
    method: 'POST',
    headers: { authorization: `Bearer ${payer.token}`, 'idempotency-key': randomUUID() },
    body: form,
  });
  const body = (await response.json()) as { id: string };
  if (response.status !== 202) throw new Error(`upload failed: ${response.status} ${JSON.stringify(body)}`);
  return body.id;
}

async function batchRow(sql: Pool, id: string): Promise<any> {
  const { rows } = await sql.query(
    `SELECT status, item_count, processed_count, succeeded_count, failed_count, succeeded_amount::int FROM batches WHERE id = $1`,
    [id],
  );
  return rows[0];
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(10);
  }
}

/**
 * What a batch must come to, whatever crashed or ran in parallel: rows in file order, each
 * paid when the payer still had the money at its turn, and never twice.
 */
function expectedOutcome(rows: Payout[], funding: number): { paid: boolean[]; byRecipient: Map<string, number> } {
  let balance = funding;
  const byRecipient = new Map<string, number>();
  const paid = rows.map((p) => {
    if (p.amount > balance) return false;
    balance -= p.amount;
    byRecipient.set(p.recipient.id, (byRecipient.get(p.recipient.id) ?? 0) + p.amount);
    return true;
  });
  return { paid, byRecipient };
}

/** Checks the batch, its rows and the payer's balance; returns what each recipient should have received. */
async function expectPaidExactlyOnce(sql: Pool, batchId: string, rows: Payout[], funding: number, payer: TestUser): Promise<Map<string, number>> {
  const { paid, byRecipient } = expectedOutcome(rows, funding);
  const paidAmount = rows.reduce((sum, p, i) => sum + (paid[i] ? p.amount : 0), 0);
  expect(await batchRow(sql, batchId)).toEqual({
    status: paid.every(Boolean) ? 'COMPLETED' : 'COMPLETED_WITH_ERRORS',
    item_count: rows.length,
    processed_count: rows.length,
    succeeded_count: paid.filter(Boolean).length,
    failed_count: paid.filter((p) => !p).length,
    succeeded_amount: paidAmount,
  });
  const items = await sql.query(
    `SELECT i.row, i.status, count(t.id)::int AS payments, bool_and(t.id = i.transaction_id) AS linked
       FROM batch_items i LEFT JOIN transactions t ON t.batch_id = i.batch_id AND t.batch_row = i.row AND t.type = 'BATCH_PAYOUT'
      WHERE i.batch_id = $1 GROUP BY i.row, i.status, i.transaction_id ORDER BY i.row`,
    [batchId],
  );
  expect(items.rows.map((r) => [r.row, r.status, r.payments, r.linked])).toEqual(
    rows.map((_, i) => (paid[i] ? [i + 1, 'SUCCEEDED', 1, true] : [i + 1, 'FAILED', 0, null])),
  );
  expect(await balancesOf(sql, [payer.id])).toEqual(new Map([[payer.id, funding - paidAmount]]));
  return byRecipient;
}

async function balancesOf(sql: Pool, userIds: string[]): Promise<Map<string, number>> {
  const { rows } = await sql.query(
    `SELECT w.user_id, w.balance::int FROM wallets w JOIN assets a ON a.id = w.asset_id WHERE a.code = 'GOLD_COINS' AND w.user_id = ANY($1::uuid[])`,
    [userIds],
  );
  return new Map(rows.map((r) => [r.user_id, r.balance]));
}

/** Every recipient holds exactly what the batches paid it, and the ledger balances. */
async function expectReceived(sql: Pool, ...received: Array<Map<string, number>>): Promise<void> {
  const expected = new Map<string, number>();
  for (const map of received) for (const [id, amount] of map) expected.set(id, (expected.get(id) ?? 0) + amount);
  expect(await balancesOf(sql, [...expected.keys()])).toEqual(expected);
  expect(await ledgerProblems(sql)).toEqual([]);
}

/** Ends the database sessions holding a batch row mid-chunk, as a crash of that process would. */
async function killChunkInFlight(sql: Pool): Promise<number> {
  const { rows } = await sql.query(
    `SELECT count(pg_terminate_backend(a.pid))::int AS killed FROM pg_stat_activity a
      WHERE a.datname = current_database() AND a.application_name = 'wallet-service' AND a.pid <> pg_backend_pid()
        AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.relation = 'batches'::regclass)`,
  );
  return rows[0].killed;
}

describe('batch payouts: durability', () => {
  it('resumes after its worker was killed mid-chunk and its instance stopped, paying every row exactly once', async () => {
    const uploader = await startTestApp({ BATCH_WORKER_ENABLED: 'false' });
    try {
      const payer = await uploader.api.register('payer');
      const rows = payouts(await recipients(uploader.sql, 60), 3_000);
      // Less than the file's total (9,000): the last rows meet INSUFFICIENT_FUNDS, across the restart too.
      const funding = 8_500;
      await uploader.api.fund(await uploader.api.adminToken(), payer.id, 'GOLD_COINS', funding);
      const batchId = await upload(uploader, payer, csvOf(rows));

      const worker = await startTestApp({ BATCH_CHUNK_ROWS: '20' }, uploader.db);
      await until('the first instance has paid some rows', async () => (await batchRow(uploader.sql, batchId)).processed_count >= 300);
      let kills = 0;
      await until('three chunks were killed in flight', async () => (kills += await killChunkInFlight(uploader.sql)) >= 3);
      await worker.close();
      const interrupted = await batchRow(uploader.sql, batchId);
      expect(interrupted.status).toBe('PROCESSING');
      expect(interrupted.processed_count).toBeLessThan(rows.length);

      const successor = await startTestApp({ BATCH_CHUNK_ROWS: '500' }, uploader.db);
      try {
        await until('the batch is complete', async () => (await batchRow(uploader.sql, batchId)).status !== 'PROCESSING');
      } finally {
        await successor.close();
      }
      await expectReceived(uploader.sql, await expectPaidExactlyOnce(uploader.sql, batchId, rows, funding, payer));
    } finally {
      await uploader.close();
    }
  });

  it('shares batches between two instances on one database without paying any row twice', async () => {
    const first = await startTestApp({ BATCH_CHUNK_ROWS: '50' });
    const second = await startTestApp({ BATCH_CHUNK_ROWS: '50' }, first.db);
    try {
      const admin = await first.api.adminToken();
      const [payerA, payerB] = await Promise.all([first.api.register('payer-a'), second.api.register('payer-b')]);
      // Both batches pay the same recipients, so the instances also contend for the same wallet locks.
      const shared = await recipients(first.sql, 40);
      const rowsA = payouts(shared, 2_000);
      const rowsB = payouts(shared.slice().reverse(), 2_000);
      const [fundingA, fundingB] = [5_500, 10_000];
      await first.api.fund(admin, payerA.id, 'GOLD_COINS', fundingA);
      await first.api.fund(admin, payerB.id, 'GOLD_COINS', fundingB);
      const [batchA, batchB] = await Promise.all([upload(first, payerA, csvOf(rowsA)), upload(second, payerB, csvOf(rowsB))]);
      await until('both batches are complete', async () => {
        const states = await Promise.all([batchRow(first.sql, batchA), batchRow(first.sql, batchB)]);
        return states.every((s) => s.status.startsWith('COMPLETED'));
      });
      const receivedA = await expectPaidExactlyOnce(first.sql, batchA, rowsA, fundingA, payerA);
      const receivedB = await expectPaidExactlyOnce(first.sql, batchB, rowsB, fundingB, payerB);
      await expectReceived(first.sql, receivedA, receivedB);
    } finally {
      await second.close();
      await first.close();
    }
  });

  it('skips a batch another worker holds, pays the next one meanwhile, and takes the held one once it is free', async () => {
    const uploader = await startTestApp({ BATCH_WORKER_ENABLED: 'false' });
    const holder = await uploader.sql.connect();
    try {
      const payer = await uploader.api.register('payer');
      await uploader.api.fund(await uploader.api.adminToken(), payer.id, 'GOLD_COINS', 1_000);
      const rows = payouts(await recipients(uploader.sql, 5), 50);
      const held = await upload(uploader, payer, csvOf(rows));
      const free = await upload(uploader, payer, csvOf(rows));
      // What another instance's worker holds while it pays a chunk of the (older) batch.
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM batches WHERE id = $1 FOR UPDATE', [held]);

      const worker = await startTestApp({}, uploader.db);
      try {
        await until('the free batch is complete', async () => (await batchRow(uploader.sql, free)).status === 'COMPLETED');
        expect(await batchRow(uploader.sql, held)).toMatchObject({ status: 'PENDING', processed_count: 0 });
        await holder.query('COMMIT');
        await until('the held batch is complete', async () => (await batchRow(uploader.sql, held)).status === 'COMPLETED');
      } finally {
        await worker.close();
      }
    } finally {
      holder.release();
      await uploader.close();
    }
  });
});
