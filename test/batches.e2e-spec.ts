import { randomUUID } from 'node:crypto';
import { TestUser } from './support/api-client';
import { finished, upload, UploadOptions } from './support/batch-upload';
import { ledgerProblems } from './support/ledger-checks';
import { startTestApp, TestApp } from './support/test-app';

async function storedCounts(t: TestApp): Promise<{ batches: number; items: number; keys: number }> {
  const { rows } = await t.sql.query(`SELECT (SELECT count(*)::int FROM batches) AS batches, (SELECT count(*)::int FROM batch_items) AS items,
                                             (SELECT count(*)::int FROM idempotency_keys) AS keys`);
  return rows[0];
}

describe('batch payouts', () => {
  let t: TestApp;
  let admin: string;
  let payer: TestUser;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    // Small chunks: a file spans several chunk transactions, and some chunks hold only rows refused at upload.
    t = await startTestApp({ BATCH_CHUNK_ROWS: '3' });
    admin = await t.api.adminToken();
  });
  beforeEach(async () => {
    [payer, alice, bob] = await Promise.all([t.api.register('payer'), t.api.register('alice'), t.api.register('bob')]);
  });
  afterEach(async () => {
    expect(await ledgerProblems(t.sql)).toEqual([]);
  });
  afterAll(() => t.close());

  it('pays a mixed file row by row, in file order, and fails only the rows that cannot be paid', async () => {
    await t.api.fund(admin, payer.id, 'GOLD_COINS', 100);
    const file = [
      '\uFEFFamount,reference,recipient',
      `60,"Invoice 7, March",${alice.email.toUpperCase()}`,
      `12x,bad amount,${alice.email}`,
      '10,,nobody-batch@example.com',
      `5,self,${payer.email}`,
      `50,"He said ""thanks""",${bob.id}`,
      `30,,${bob.email}`,
      '7,bad recipient,not-an-email',
      `1,,${randomUUID()}`,
      '',
      '',
    ].join('\r\n');
    const created = await upload(t, payer.token, file, { fileName: 'march.csv' });
    expect(created.status).toBe(202);
    expect(created.body).toEqual({
      id: expect.any(String), status: 'PENDING', asset: 'GOLD_COINS', fileName: 'march.csv', itemCount: 8,
      processedCount: 2, succeededCount: 0, failedCount: 2, totalAmount: 163, succeededAmount: 0,
      createdAt: expect.any(String), completedAt: null,
    });

    const batch = await finished(t, payer.token, created.body.id);
    expect(batch).toMatchObject({ status: 'COMPLETED_WITH_ERRORS', itemCount: 8, processedCount: 8, succeededCount: 2, failedCount: 6, totalAmount: 163, succeededAmount: 90 });
    expect(batch.completedAt).not.toBeNull();

    const items = (await t.api.get(`/api/v1/batches/${batch.id}/items?limit=100`, payer.token)).body.items;
    expect(items.map((i: any) => [i.row, i.status, i.errorCode, i.amount])).toEqual([
      [1, 'SUCCEEDED', null, 60],
      [2, 'FAILED', 'VALIDATION_FAILED', null],
      [3, 'FAILED', 'RECIPIENT_NOT_FOUND', 10],
      [4, 'FAILED', 'SAME_WALLET', 5],
      [5, 'FAILED', 'INSUFFICIENT_FUNDS', 50],
      [6, 'SUCCEEDED', null, 30],
      [7, 'FAILED', 'VALIDATION_FAILED', 7],
      [8, 'FAILED', 'RECIPIENT_NOT_FOUND', 1],
    ]);
    expect(items[0]).toMatchObject({ recipient: alice.email.toUpperCase(), reference: 'Invoice 7, March', errorMessage: null, transactionId: expect.any(String) });
    expect(items[1].errorMessage).toMatch(/amount must be an integer/);
    expect(items[4]).toMatchObject({ reference: 'He said "thanks"', transactionId: null, errorMessage: expect.stringMatching(/Not enough/) });
    expect(items[6].errorMessage).toMatch(/recipient must be an email address or a user id/);

    expect(await t.api.balance(payer.token, 'GOLD_COINS')).toBe(10);
    expect(await t.api.balance(alice.token, 'GOLD_COINS')).toBe(60);
    expect(await t.api.balance(bob.token, 'GOLD_COINS')).toBe(30);
    const paid = await t.sql.query(
      `SELECT t.batch_row, t.amount::int, t.to_user_id, t.description, i.transaction_id = t.id AS linked
         FROM transactions t JOIN batch_items i ON i.batch_id = t.batch_id AND i.row = t.batch_row
        WHERE t.batch_id = $1 AND t.type = 'BATCH_PAYOUT' ORDER BY t.batch_row`,
      [batch.id],
    );
    expect(paid.rows).toEqual([
      { batch_row: 1, amount: 60, to_user_id: alice.id, description: 'Invoice 7, March', linked: true },
      { batch_row: 6, amount: 30, to_user_id: bob.id, description: null, linked: true },
    ]);
    const transaction = await t.api.get(`/api/v1/transactions/${items[0].transactionId}`, alice.token);
    expect(transaction.body).toMatchObject({ type: 'BATCH_PAYOUT', batchId: batch.id, fromUserId: payer.id, toUserId: alice.id, amount: 60 });

    const failedOnly = await t.api.get(`/api/v1/batches/${batch.id}/items?status=FAILED`, payer.token);
    expect(failedOnly.body.items.map((i: any) => i.row)).toEqual([2, 3, 4, 5, 7, 8]);
  });

  it('fails only the row the database refuses and pays the rest of its chunk, one savepoint per row', async () => {
    await t.api.fund(admin, payer.id, 'GOLD_COINS', 100);
    // A rule the code does not know: the chunk's one-statement write is refused, so its rows are written one by one.
    await t.sql.query('ALTER TABLE transactions ADD CONSTRAINT test_refuses_13 CHECK (amount <> 13)');
    try {
      const created = await upload(t, payer.token, `recipient,amount\n${alice.email},5\n${bob.email},13\n${alice.email},7\n`);
      const batch = await finished(t, payer.token, created.body.id);
      expect(batch).toMatchObject({ status: 'COMPLETED_WITH_ERRORS', succeededCount: 2, failedCount: 1, succeededAmount: 12 });
      const items = (await t.api.get(`/api/v1/batches/${batch.id}/items`, payer.token)).body.items;
      expect(items.map((i: any) => [i.row, i.status, i.errorCode])).toEqual([[1, 'SUCCEEDED', null], [2, 'FAILED', 'INTERNAL'], [3, 'SUCCEEDED', null]]);
      expect(items[1].errorMessage).toMatch(/SQLSTATE 23514.*nothing was paid/);
    } finally {
      await t.sql.query('ALTER TABLE transactions DROP CONSTRAINT test_refuses_13');
    }
    expect([await t.api.balance(payer.token, 'GOLD_COINS'), await t.api.balance(alice.token, 'GOLD_COINS'), await t.api.balance(bob.token, 'GOLD_COINS')]).toEqual([88, 12, 0]);
  });

  it('fails every row with INSUFFICIENT_FUNDS when the payer has no wallet for the asset', async () => {
    const created = await upload(t, payer.token, `recipient,amount\n${alice.email},1\n${bob.email},2\n`, { asset: 'DIAMONDS' });
    const batch = await finished(t, payer.token, created.body.id);
    expect(batch).toMatchObject({ status: 'COMPLETED_WITH_ERRORS', failedCount: 2, succeededCount: 0 });
    const items = (await t.api.get(`/api/v1/batches/${batch.id}/items`, payer.token)).body.items;
    expect(items.map((i: any) => i.errorCode)).toEqual(['INSUFFICIENT_FUNDS', 'INSUFFICIENT_FUNDS']);
  });

  it('completes at once a file whose every row has a bad cell', async () => {
    const created = await upload(t, payer.token, 'recipient,amount\nnobody,1\nx@example.com,-1\n');
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ status: 'COMPLETED_WITH_ERRORS', processedCount: 2, failedCount: 2, totalAmount: 1 });
    expect(created.body.completedAt).not.toBeNull();
  });

  it('refuses file-level problems with 400 VALIDATION_FAILED and stores nothing', async () => {
    const tooManyRows = `recipient,amount\n${`${alice.email},1\n`.repeat(100_001)}`;
    // A valid row and then blank lines (which the parser skips quickly): only the size is wrong.
    const tooLarge = `recipient,amount\n${alice.email},1\n${'\n'.repeat(10 * 1024 * 1024)}`;
    const cases: Array<[string, string | Buffer | null, RegExp, UploadOptions?]> = [
      ['no file', null, /file is missing/],
      ['an empty file', '', /empty/],
      ['a header only', 'recipient,amount\r\n\r\n', /no payout rows/],
      ['no amount column', `recipient,value\n${alice.email},5\n`, /no "amount" column/],
      ['no recipient column', `email,amount\n${alice.email},5\n`, /no "recipient" column/],
      ['a binary file', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00]), /not a UTF-8 text CSV/],
      ['broken CSV', `recipient,amount\n"${alice.email},5\n`, /not valid CSV/],
      ['over 100,000 rows', tooManyRows, /more than 100000 payout rows/],
      ['over 10 MiB', tooLarge, /larger than 10485760 bytes/],
      ['an unknown form field', `recipient,amount\n${alice.email},5\n`, /invalid/, { fields: { fromUserId: alice.id } }],
      ['no asset', `recipient,amount\n${alice.email},5\n`, /invalid/, { asset: null }],
      ['a malformed asset code', `recipient,amount\n${alice.email},5\n`, /invalid/, { asset: 'gold' }],
    ];
    const before = await storedCounts(t);
    for (const [name, file, detail, options] of cases) {
      const key = randomUUID();
      const refused = await upload(t, payer.token, file, { ...options, key });
      expect([name, refused.status, refused.body.code]).toEqual([name, 400, 'VALIDATION_FAILED']);
      expect([name, refused.body.detail]).toEqual([name, expect.stringMatching(detail)]);
      expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    expect(await storedCounts(t)).toEqual(before);

    const notMultipart = await t.api.post('/api/v1/batches', { asset: 'GOLD_COINS' }, payer.token);
    expect([notMultipart.status, notMultipart.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(await storedCounts(t)).toEqual(before);
  });

  it('lets a key refused for a bad file be used again for a good one', async () => {
    const key = randomUUID();
    expect((await upload(t, payer.token, 'recipient,amount\n', { key })).status).toBe(400);
    expect((await upload(t, payer.token, `recipient,amount\n${alice.email},1\n`, { key })).status).toBe(202);
  });

  it('replays the same key with the same asset and file bytes, and refuses it with anything else', async () => {
    const key = randomUUID();
    const file = `recipient,amount\n${alice.email},1\n${bob.email},2\n`;
    const first = await upload(t, payer.token, file, { key, fileName: 'a.csv' });
    expect(first.status).toBe(202);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    // Another file name and another multipart boundary: still the same request.
    const again = await upload(t, payer.token, Buffer.from(file), { key, fileName: 'b.csv' });
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const otherFile = await upload(t, payer.token, `${file}${alice.email},3\n`, { key });
    expect([otherFile.status, otherFile.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    const otherAsset = await upload(t, payer.token, file, { key, asset: 'DIAMONDS' });
    expect([otherAsset.status, otherAsset.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    const { rows } = await t.sql.query('SELECT count(*)::int AS n FROM batches WHERE user_id = $1', [payer.id]);
    expect(rows[0].n).toBe(1);
  });

  it('stores one batch when the same upload arrives several times at once', async () => {
    const key = randomUUID();
    const file = `recipient,amount\n${alice.email},1\n`;
    const answers = await Promise.all([1, 2, 3, 4].map(() => upload(t, payer.token, file, { key })));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(3);
    const { rows } = await t.sql.query('SELECT count(*)::int AS n FROM batches WHERE user_id = $1', [payer.id]);
    expect(rows[0].n).toBe(1);
  });

  it('answers 422 ASSET_NOT_FOUND for an unknown asset, stores it with the key, and needs a key', async () => {
    const key = randomUUID();
    const file = `recipient,amount\n${alice.email},1\n`;
    const unknown = await upload(t, payer.token, file, { key, asset: 'NO_SUCH_ASSET' });
    expect([unknown.status, unknown.body.code]).toEqual([422, 'ASSET_NOT_FOUND']);
    const replay = await upload(t, payer.token, file, { key, asset: 'NO_SUCH_ASSET' });
    expect([replay.status, replay.body.code, replay.headers.get('idempotent-replayed')]).toEqual([422, 'ASSET_NOT_FOUND', 'true']);
    const noKey = await upload(t, payer.token, file, { key: null });
    expect([noKey.status, noKey.body.code]).toEqual([400, 'IDEMPOTENCY_KEY_REQUIRED']);
    const { rows } = await t.sql.query('SELECT count(*)::int AS n FROM batches WHERE user_id = $1', [payer.id]);
    expect(rows[0].n).toBe(0);
  });

  it('shows a batch to its owner and to admins only, and lists the caller’s batches newest first', async () => {
    const ids: string[] = [];
    for (const amount of [1, 2, 3]) ids.push((await upload(t, payer.token, `recipient,amount\n${alice.email},${amount}\n`)).body.id);
    const [, , newest] = ids;
    expect((await t.api.get(`/api/v1/batches/${newest}`, payer.token)).status).toBe(200);
    expect((await t.api.get(`/api/v1/batches/${newest}`, admin)).status).toBe(200);
    expect((await t.api.get(`/api/v1/batches/${newest}/items`, admin)).status).toBe(200);
    for (const path of [`/api/v1/batches/${newest}`, `/api/v1/batches/${newest}/items`, `/api/v1/batches/${randomUUID()}`, '/api/v1/batches/not-a-uuid']) {
      const hidden = await t.api.get(path, bob.token);
      expect([path, hidden.status, hidden.body.code]).toEqual([path, 404, 'NOT_FOUND']);
    }
    expect((await t.api.get('/api/v1/batches', bob.token)).body).toEqual({ items: [], nextCursor: null });
    expect((await t.api.get('/api/v1/batches')).status).toBe(401);

    const page1 = await t.api.get('/api/v1/batches?limit=2', payer.token);
    expect(page1.body.items.map((b: any) => b.id)).toEqual([ids[2], ids[1]]);
    const page2 = await t.api.get(`/api/v1/batches?limit=2&cursor=${page1.body.nextCursor}`, payer.token);
    expect(page2.body).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
    expect((await t.api.get('/api/v1/batches?limit=0', payer.token)).status).toBe(400);
    expect((await t.api.get('/api/v1/batches?cursor=bogus', payer.token)).status).toBe(400);
  });

  it('pages through items in file order, filtered by status', async () => {
    await t.api.fund(admin, payer.id, 'GOLD_COINS', 3);
    const rows = [1, 1, 1, 1, 1].map((amount) => `${alice.email},${amount}`).join('\n');
    const batch = await finished(t, payer.token, (await upload(t, payer.token, `recipient,amount\n${rows}\n`)).body.id);
    expect(batch).toMatchObject({ succeededCount: 3, failedCount: 2 });
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '' : `&cursor=${cursor}`;
      const page: any = (await t.api.get(`/api/v1/batches/${batch.id}/items?limit=2${query}`, payer.token)).body;
      seen.push(...page.items.map((i: any) => i.row));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    const failed = await t.api.get(`/api/v1/batches/${batch.id}/items?status=FAILED&limit=1`, payer.token);
    expect(failed.body.items.map((i: any) => [i.row, i.errorCode])).toEqual([[4, 'INSUFFICIENT_FUNDS']]);
    const rest = await t.api.get(`/api/v1/batches/${batch.id}/items?status=FAILED&cursor=${failed.body.nextCursor}`, payer.token);
    expect(rest.body).toEqual({ items: [expect.objectContaining({ row: 5 })], nextCursor: null });
    expect((await t.api.get(`/api/v1/batches/${batch.id}/items?status=LOST`, payer.token)).status).toBe(400);
  });

  it('documents the upload as multipart/form-data in the OpenAPI document', async () => {
    const { body } = await t.api.get('/docs-json');
    const post = body.paths['/api/v1/batches'].post;
    expect(Object.keys(post.requestBody.content)).toEqual(['multipart/form-data']);
    expect(post.requestBody.content['multipart/form-data'].schema.properties.file).toEqual(expect.objectContaining({ format: 'binary' }));
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['202', '400', '409', '422', '429', '503']));
    expect(body.components.schemas.BatchItemDto.properties.errorCode).toBeDefined();
  });
});
