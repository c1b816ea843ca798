import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { TestUser } from './support/api-client';
import { ledgerProblems } from './support/ledger-checks';
import { startServiceProcess } from './support/service-process';
import { startTestApp, TestApp } from './support/test-app';
import { HoldsGauge } from '../src/holds/holds-gauge';
import { HoldsService } from '../src/holds/holds.service';

describe('holds', () => {
  let t: TestApp;
  let admin: string;
  let payer: TestUser;
  let payee: TestUser;

  beforeAll(async () => {
    // No sweeper here: only the expiry test starts an instance that sweeps. Holds may last
    // 1 s (the API's minimum is 60 s; HOLD_EXPIRY_SECONDS_MIN lowers it for tests) so that
    // expiry really happens by time, with no fixture moving expires_at.
    t = await startTestApp({ HOLD_SWEEP_MS: '0', HOLD_EXPIRY_SECONDS_MIN: '1' });
    admin = await t.api.adminToken();
  });
  beforeEach(async () => {
    payer = await t.api.register('payer');
    payee = await t.api.register('payee');
    await t.api.fund(admin, payer.id, 'USD', 1_000);
  });
  afterEach(async () => {
    expect(await ledgerProblems(t.sql)).toEqual([]);
    const report = await t.api.get('/api/v1/admin/reconciliation', admin);
    expect(report.body.problems).toEqual([]);
  });
  afterAll(() => t.close());

  const hold = (body: object, token = payer.token, key?: string) => t.api.post('/api/v1/holds', { asset: 'USD', amount: 400, toUserId: payee.id, ...body }, token, key);
  const wallet = async (token: string) => (await t.api.get('/api/v1/wallets', token)).body.find((w: { asset: string }) => w.asset === 'USD');

  it('reserves money in HOLDING, shows it as held, and captures all of it', async () => {
    const created = await hold({ description: 'order 7', metadata: { orderId: '7' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'PENDING',
      asset: 'USD',
      amount: 400,
      capturedAmount: 0,
      payerUserId: payer.id,
      recipient: { userId: payee.id, systemCode: null },
      description: 'order 7',
      metadata: { orderId: '7' },
      resolvedAt: null,
    });
    expect(Date.parse(created.body.expiresAt) - Date.parse(created.body.createdAt)).toBe(604_800_000);
    expect(await wallet(payer.token)).toMatchObject({ balance: 600, held: 400 });
    const [holdTx] = created.body.transactionIds;
    const holdTransaction = await t.api.get(`/api/v1/transactions/${holdTx}`, payer.token);
    expect(holdTransaction.body).toMatchObject({ type: 'HOLD', holdId: created.body.id, amount: 400 });
    expect(holdTransaction.body.postings[0].to.systemCode).toBe('HOLDING');

    const captured = await t.api.post(`/api/v1/holds/${created.body.id}/capture`, {}, payee.token);
    expect(captured.status).toBe(201);
    expect(captured.body).toMatchObject({ type: 'HOLD_CAPTURE', holdId: created.body.id, amount: 400, toUserId: payee.id });
    expect(await wallet(payer.token)).toMatchObject({ balance: 600, held: 0 });
    expect(await t.api.balance(payee.token, 'USD')).toBe(400);
    const after = await t.api.get(`/api/v1/holds/${created.body.id}`, payer.token);
    expect(after.body).toMatchObject({ status: 'CAPTURED', capturedAmount: 400, transactionIds: [holdTx, captured.body.id] });
    expect(after.body.resolvedAt).not.toBeNull();
  });

  it('writes each step\'s events in the step\'s own transaction, with the hold as it left it', async () => {
    const created = await hold({ metadata: { orderId: '9' } });
    const captured = await t.api.post(`/api/v1/holds/${created.body.id}/capture`, { amount: 100 }, payee.token);
    const { rows } = await t.sql.query(
      `SELECT type, user_ids::text[] AS user_ids, data::jsonb AS data, created_at FROM events
        WHERE data::jsonb ->> 'id' = ANY($1) OR data::jsonb ->> 'holdId' = $2 ORDER BY id`,
      [[created.body.id, ...created.body.transactionIds, captured.body.id], created.body.id],
    );
    expect(rows.map((r) => r.type)).toEqual(['transaction.created', 'hold.created', 'transaction.created', 'hold.captured']);
    expect(rows[1].data).toEqual(created.body);
    expect(rows[2].data).toEqual(captured.body);
    expect(rows[3].data).toMatchObject({ status: 'CAPTURED', capturedAmount: 100, transactionIds: [created.body.transactionIds[0], captured.body.id] });
    expect(rows[3].user_ids.sort()).toEqual([payer.id, payee.id].sort());
    // Same database transaction: same transaction time as the movement.
    const { rows: tx } = await t.sql.query('SELECT created_at FROM transactions WHERE id = $1', [captured.body.id]);
    expect(rows[3].created_at).toEqual(tx[0].created_at);
  });

  it('captures part and gives the rest back in one two-posting transaction', async () => {
    const created = await hold({});
    const captured = await t.api.post(`/api/v1/holds/${created.body.id}/capture`, { amount: 150, metadata: { note: 'partial' } }, payee.token);
    expect(captured.status).toBe(201);
    expect(captured.body.postings.map((p: { to: { userId: string }; amount: number }) => [p.to.userId, p.amount])).toEqual([
      [payee.id, 150],
      [payer.id, 250],
    ]);
    expect(captured.body.amount).toBeNull();
    expect(await t.api.balance(payer.token, 'USD')).toBe(850);
    expect(await t.api.balance(payee.token, 'USD')).toBe(150);
    const tooMuch = await t.api.post(`/api/v1/holds/${(await hold({})).body.id}/capture`, { amount: 401 }, payee.token);
    expect([tooMuch.status, tooMuch.body.code]).toEqual([422, 'CAPTURE_EXCEEDS_HOLD']);
  });

  it('voids, then refuses every later step with HOLD_NOT_PENDING; a hold step cannot be reversed', async () => {
    const created = await hold({});
    const voided = await t.api.post(`/api/v1/holds/${created.body.id}/void`, { reason: 'out of stock' }, payee.token);
    expect(voided.status).toBe(201);
    expect(voided.body).toMatchObject({ type: 'HOLD_RELEASE', toUserId: payer.id, amount: 400, description: 'out of stock' });
    expect(await wallet(payer.token)).toMatchObject({ balance: 1_000, held: 0 });
    for (const step of ['capture', 'void']) {
      const res = await t.api.post(`/api/v1/holds/${created.body.id}/${step}`, {}, admin);
      expect([res.status, res.body.code]).toEqual([409, 'HOLD_NOT_PENDING']);
    }
    expect((await t.api.get(`/api/v1/holds/${created.body.id}`, payee.token)).body.status).toBe('VOIDED');
    const reversal = await t.api.post(`/api/v1/transactions/${voided.body.id}/reversal`, { reason: 'undo' }, admin);
    expect([reversal.status, reversal.body.code]).toEqual([422, 'NOT_REVERSIBLE']);
  });

  it('decides expiry by time, then a sweeping instance releases the hold as EXPIRED', async () => {
    const created = await hold({ expiresInSeconds: 1 });
    const pending = await hold({ expiresInSeconds: 60 });
    await sleep(1_100);
    // Another instance of the service (a process of its own) sweeps; this one never does.
    const sweeping = await startServiceProcess({ databaseUrl: t.db.url, env: { HOLD_SWEEP_MS: '100' } });
    let status = 'PENDING';
    try {
      for (let i = 0; i < 50 && status === 'PENDING'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = (await t.api.get(`/api/v1/holds/${created.body.id}`, payer.token)).body.status;
      }
    } finally {
      await sweeping.stop('SIGTERM');
    }
    expect(status).toBe('EXPIRED');
    expect((await t.api.get(`/api/v1/holds/${pending.body.id}`, payer.token)).body.status).toBe('PENDING');
    await t.api.post(`/api/v1/holds/${pending.body.id}/void`, {}, payee.token);
    expect(await wallet(payer.token)).toMatchObject({ balance: 1_000, held: 0 });
    const late = await t.api.post(`/api/v1/holds/${created.body.id}/capture`, {}, payee.token);
    expect([late.status, late.body.code]).toEqual([409, 'HOLD_NOT_PENDING']);
  });

  it('refuses capture and void past expiresAt before any sweeper ran', async () => {
    const created = await hold({ expiresInSeconds: 1 });
    await sleep(1_100);
    for (const [step, token] of [['capture', payee.token], ['void', admin]]) {
      const res = await t.api.post(`/api/v1/holds/${created.body.id}/${step}`, {}, token);
      expect([res.status, res.body.code]).toEqual([409, 'HOLD_NOT_PENDING']);
    }
    expect((await t.api.get(`/api/v1/holds/${created.body.id}`, payer.token)).body.status).toBe('PENDING');
    // Still held until released: the sweeper's job, done here through the service's own path.
    await t.app.get(HoldsService).expireNext();
    expect(await wallet(payer.token)).toMatchObject({ balance: 1_000, held: 0 });
  });

  it('resolves a hold exactly once when 30 captures and voids race', async () => {
    const created = await hold({ amount: 300 });
    const attempts = await Promise.all([
      ...Array.from({ length: 15 }, () => t.api.post(`/api/v1/holds/${created.body.id}/capture`, { amount: 100 }, payee.token)),
      ...Array.from({ length: 15 }, () => t.api.post(`/api/v1/holds/${created.body.id}/void`, {}, admin)),
    ]);
    const statuses = attempts.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(29);
    const { rows } = await t.sql.query(`SELECT count(*)::int AS n FROM transactions WHERE hold_id = $1 AND type <> 'HOLD'`, [created.body.id]);
    expect(rows[0].n).toBe(1);
  });

  it('resolves a hold once when captures race its expiry, and only a capture before expiresAt can win', async () => {
    const created = await hold({ expiresInSeconds: 1 });
    const expiresAt = Date.parse(created.body.expiresAt);
    const captures: Array<Promise<{ status: number }>> = [];
    const sweeps: Array<Promise<boolean>> = [];
    while (Date.now() < expiresAt + 300) {
      captures.push(t.api.post(`/api/v1/holds/${created.body.id}/capture`, {}, payee.token));
      if (Date.now() >= expiresAt - 100) sweeps.push(t.app.get(HoldsService).expireNext());
      await sleep(20);
    }
    const [answers, released] = await Promise.all([Promise.all(captures), Promise.all(sweeps)]);
    const won = answers.filter((a) => a.status === 201).length;
    expect(won + released.filter(Boolean).length).toBe(1);
    expect(answers.every((a) => a.status === 201 || a.status === 409)).toBe(true);
    const { rows } = await t.sql.query(
      `SELECT t.type, t.created_at < h.expires_at AS before_expiry, h.status FROM transactions t JOIN holds h ON h.id = t.hold_id
        WHERE t.hold_id = $1 AND t.type <> 'HOLD'`,
      [created.body.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toEqual(
      rows[0].type === 'HOLD_CAPTURE' ? { type: 'HOLD_CAPTURE', before_expiry: true, status: 'CAPTURED' } : { type: 'HOLD_RELEASE', before_expiry: false, status: 'EXPIRED' },
    );
  });

  it('replays create and capture by key, and the idempotent create moves money once', async () => {
    const key = randomUUID();
    const first = await hold({}, payer.token, key);
    const again = await hold({}, payer.token, key);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await wallet(payer.token)).toMatchObject({ balance: 600, held: 400 });
    const captureKey = randomUUID();
    const captured = await t.api.post(`/api/v1/holds/${first.body.id}/capture`, {}, payee.token, captureKey);
    const replayed = await t.api.post(`/api/v1/holds/${first.body.id}/capture`, {}, payee.token, captureKey);
    expect(replayed.body).toEqual(captured.body);
    expect(await t.api.balance(payee.token, 'USD')).toBe(400);
  });

  it('refuses bad holds and lets only the recipient or an admin resolve them', async () => {
    const cases: Array<[object, number, string]> = [
      [{ amount: 1_001 }, 422, 'INSUFFICIENT_FUNDS'],
      [{ toUserId: payer.id }, 422, 'SAME_WALLET'],
      [{ toUserId: randomUUID() }, 404, 'RECIPIENT_NOT_FOUND'],
      [{ toUserId: undefined, toEmail: 'nobody@example.com' }, 404, 'RECIPIENT_NOT_FOUND'],
      [{ asset: 'NOPE' }, 422, 'ASSET_NOT_FOUND'],
      [{ toUserId: undefined }, 400, 'VALIDATION_FAILED'],
      [{ toSystem: 'REVENUE' }, 400, 'VALIDATION_FAILED'],
      [{ toUserId: undefined, toSystem: 'TREASURY' }, 400, 'VALIDATION_FAILED'],
      [{ expiresInSeconds: 0 }, 400, 'VALIDATION_FAILED'],
      [{ expiresInSeconds: 2_592_001 }, 400, 'VALIDATION_FAILED'],
      [{ metadata: { k: 1 } }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of cases) {
      const res = await hold(body);
      expect([res.status, res.body.code]).toEqual([status, code]);
    }
    expect(await wallet(payer.token)).toMatchObject({ balance: 1_000, held: 0 });
    const created = await hold({});
    const stranger = await t.api.register('stranger');
    expect((await t.api.get(`/api/v1/holds/${created.body.id}`, stranger.token)).status).toBe(404);
    expect((await t.api.post(`/api/v1/holds/${created.body.id}/capture`, {}, stranger.token)).status).toBe(404);
    expect((await t.api.post(`/api/v1/holds/${created.body.id}/capture`, {}, payer.token)).status).toBe(403);
    expect((await t.api.post(`/api/v1/holds/${randomUUID()}/void`, {}, admin)).status).toBe(404);
    const revenueHold = await hold({ toUserId: undefined, toSystem: 'REVENUE' });
    expect(revenueHold.body.recipient).toMatchObject({ userId: null, systemCode: 'REVENUE' });
    expect((await t.api.post(`/api/v1/holds/${revenueHold.body.id}/capture`, {}, payee.token)).status).toBe(404);
    const byAdmin = await t.api.post(`/api/v1/holds/${revenueHold.body.id}/capture`, {}, admin);
    expect(byAdmin.body.postings[0].to.systemCode).toBe('REVENUE');
  });

  it('counts pending holds per asset in /metrics', async () => {
    await hold({ amount: 10 });
    const { rows } = await t.sql.query(`SELECT count(*)::int AS n FROM holds h JOIN assets a ON a.id = h.asset_id WHERE a.code = 'USD' AND status = 'PENDING'`);
    await t.app.get(HoldsGauge).refresh();
    const metrics = (await t.api.get('/metrics')).body as string;
    expect(metrics).toContain(`wallet_holds_pending{asset="USD"} ${rows[0].n}`);
  });

  it('lists holds for the payer and the recipient, newest first, by status, in keyset pages', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await hold({ amount: 10 })).body.id);
    await t.api.post(`/api/v1/holds/${ids[0]}/void`, {}, payee.token);
    for (const who of [payer, payee]) {
      const page1 = await t.api.get('/api/v1/holds?limit=2', who.token);
      expect(page1.body.items.map((h: { id: string }) => h.id)).toEqual([ids[2], ids[1]]);
      const page2 = await t.api.get(`/api/v1/holds?limit=2&cursor=${page1.body.nextCursor}`, who.token);
      expect(page2.body.items.map((h: { id: string }) => h.id)).toEqual([ids[0]]);
      expect(page2.body.nextCursor).toBeNull();
    }
    const voided = await t.api.get('/api/v1/holds?status=VOIDED', payer.token);
    expect(voided.body.items.map((h: { id: string }) => h.id)).toEqual([ids[0]]);
    const stranger = await t.api.register('stranger');
    expect((await t.api.get('/api/v1/holds', stranger.token)).body.items).toEqual([]);
  });
});
