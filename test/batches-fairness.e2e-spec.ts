import { randomUUID } from 'node:crypto';
import { TestUser } from './support/api-client';
import { finished, upload } from './support/batch-upload';
import { ledgerProblems } from './support/ledger-checks';
import { startServiceProcess } from './support/service-process';
import { startTestApp, TestApp } from './support/test-app';

const LARGE_ROWS = 20_000;
const CHUNK_ROWS = 100;

/** A file of `rows` payouts to addresses nobody has: every row fails fast, but each still takes its chunk. */
function unknownRecipients(rows: number): string {
  const lines = Array.from({ length: rows }, (_, i) => `nobody-${i}@unknown.example,1`);
  return `recipient,amount\n${lines.join('\n')}\n`;
}

/**
 * docs/security.md "Hostile input": at most BATCH_OPEN_MAX open batches per user, and a worker that
 * shares its time among owners. The uploads go through an instance whose worker is off, so
 * the queue is exactly as arranged when a second instance's worker starts on it; the order
 * in which chunks were paid is read from a log the database keeps, not from clocks.
 */
describe('batch queue fairness', () => {
  let uploads: TestApp;
  let admin: string;
  let hoarder: TestUser;
  let small: TestUser;
  let payee: TestUser;

  beforeAll(async () => {
    uploads = await startTestApp({ BATCH_WORKER_ENABLED: 'false', BATCH_OPEN_MAX: '2' });
    admin = await uploads.api.adminToken();
    [hoarder, small, payee] = await Promise.all(['hoarder', 'small', 'payee'].map((p) => uploads.api.register(p)));
    await uploads.api.fund(admin, small.id, 'GOLD_COINS', 10);
    await uploads.sql.query(`
      CREATE TABLE chunk_log (seq bigserial PRIMARY KEY, batch_id uuid NOT NULL, user_id uuid NOT NULL, status text NOT NULL);
      CREATE FUNCTION log_chunk() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO chunk_log (batch_id, user_id, status) VALUES (NEW.id, NEW.user_id, NEW.status); RETURN NEW; END $$;
      CREATE TRIGGER log_chunk AFTER UPDATE OF next_row ON batches FOR EACH ROW EXECUTE FUNCTION log_chunk();`);
  });
  afterAll(() => uploads.close());

  it('refuses a third open batch with 409 TOO_MANY_OPEN_BATCHES, stores nothing, and still replays earlier uploads', async () => {
    const firstKey = randomUUID();
    const first = await upload(uploads, hoarder.token, unknownRecipients(LARGE_ROWS), { key: firstKey });
    expect(first.status).toBe(202);
    expect((await upload(uploads, hoarder.token, unknownRecipients(LARGE_ROWS))).status).toBe(202);
    const thirdKey = randomUUID();
    const third = await upload(uploads, hoarder.token, 'recipient,amount\nx@unknown.example,1\n', { key: thirdKey });
    expect(third.status).toBe(409);
    expect(third.body.code).toBe('TOO_MANY_OPEN_BATCHES');
    const replay = await upload(uploads, hoarder.token, unknownRecipients(LARGE_ROWS), { key: firstKey });
    expect(replay.status).toBe(202);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const { rows } = await uploads.sql.query('SELECT count(*)::int AS batches, (SELECT count(*)::int FROM idempotency_keys WHERE key = $1) AS keys FROM batches', [thirdKey]);
    expect(rows[0]).toEqual({ batches: 2, keys: 0 });
  });

  it("pays another user's one-row batch within a couple of chunks, behind two large ones", async () => {
    const one = await upload(uploads, small.token, `recipient,amount\n${payee.email},3\n`);
    expect(one.status).toBe(202);
    // Another process: two Nest apps in one process would share (and close) one TypeORM DataSource.
    const worker = await startServiceProcess({ databaseUrl: uploads.db.url, env: { BATCH_CHUNK_ROWS: String(CHUNK_ROWS), BATCH_POLL_MS: '20' } });
    try {
      expect(await finished(uploads, small.token, one.body.id)).toMatchObject({ status: 'COMPLETED', succeededCount: 1 });
    } finally {
      await worker.stop();
    }
    const { rows: log } = await uploads.sql.query<{ user_id: string; status: string }>('SELECT user_id, status FROM chunk_log ORDER BY seq');
    const smallChunk = log.findIndex((entry) => entry.user_id === small.id);
    // Served right after the one chunk of the hoarder's that started the queue (both owners unserved: the older first).
    expect(smallChunk).toBe(1);
    expect(log[smallChunk].status).toBe('COMPLETED');
    // The large batches were still far from done: fairness, not an empty queue, let it through.
    const { rows: open } = await uploads.sql.query(`SELECT count(*)::int AS n FROM batches WHERE user_id = $1 AND status IN ('PENDING', 'PROCESSING')`, [hoarder.id]);
    expect(open[0].n).toBe(2);
    const wallets = await uploads.api.get('/api/v1/wallets', payee.token);
    expect(wallets.body).toEqual([expect.objectContaining({ asset: 'GOLD_COINS', balance: 3 })]);
  });

  it("serves an owner's own batches oldest first", async () => {
    const { rows } = await uploads.sql.query(`SELECT count(DISTINCT batch_id)::int AS batches FROM chunk_log WHERE user_id = $1`, [hoarder.id]);
    // Within an owner the oldest batch goes first: the second large batch has not been touched.
    expect(rows[0].batches).toBe(1);
    expect(await ledgerProblems(uploads.sql)).toEqual([]);
  });
});
