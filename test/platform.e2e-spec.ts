import { startTestApp, TestApp } from './support/test-app';

describe('problems, health, docs, metrics, reconciliation', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.api.adminToken();
  });
  afterAll(() => t.close());

  it('answers unknown routes, malformed JSON and oversized bodies with problem+json', async () => {
    const unknown = await t.api.get('/api/v1/nothing-here', admin);
    expect([unknown.status, unknown.body.code]).toEqual([404, 'NOT_FOUND']);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    const user = await t.api.register('p');
    const malformed = await t.api.request('POST', '/api/v1/spends', undefined, { token: user.token, key: 'k-1', rawBody: '{"asset": "USD", ' });
    expect([malformed.status, malformed.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const huge = await t.api.request('POST', '/api/v1/spends', undefined, {
      token: user.token,
      key: 'k-2',
      rawBody: JSON.stringify({ asset: 'USD', amount: 1, description: 'x'.repeat(200_000) }),
    });
    expect([huge.status, huge.body.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    for (const res of [unknown, malformed, huge]) {
      expect(Object.keys(res.body).sort()).toEqual(expect.arrayContaining(['code', 'detail', 'status', 'title', 'type']));
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts|SELECT|INSERT/);
    }
  });

  it('serves /health and /health/ready', async () => {
    expect((await t.api.get('/health')).body).toEqual({ status: 'ok' });
    const ready = await t.api.get('/health/ready');
    expect(ready.status).toBe(200);
  });

  it('serves the OpenAPI document with bearer auth and every movement', async () => {
    const doc = await t.api.get('/docs-json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(doc.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const path of ['/api/v1/transfers', '/api/v1/spends', '/api/v1/top-ups', '/api/v1/transactions/{id}/reversal', '/api/v1/wallets/{id}/entries']) {
      expect(Object.keys(doc.body.paths)).toContain(path);
    }
    expect(doc.body.components.schemas.CreateTransferDto.properties.amount).toMatchObject({ minimum: 1, maximum: 9007199254740991 });
    expect(Object.keys(doc.body.paths['/api/v1/transfers'].post.responses)).toEqual(expect.arrayContaining(['201', '400', '422', '503']));
    expect(doc.body.components.schemas.ProblemDto.required).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail', 'code']));
    expect((await t.api.get('/docs')).status).toBe(200);
  });

  it('exports Prometheus metrics by route and status', async () => {
    await t.api.get('/api/v1/assets', admin);
    const user = await t.api.register('m');
    await t.api.fund(admin, user.id, 'GOLD_COINS', 3);
    const metrics = await t.api.get<string>('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/http_requests_total\{method="GET",route="\/api\/v1\/assets",status="200"\} \d+/);
    expect(metrics.body).toContain('http_request_duration_seconds_bucket');
    expect(metrics.body).toContain('db_pool_connections');
    expect(metrics.body).toMatch(/wallet_movements_total\{type="TOP_UP"\} [1-9]/);
    expect(metrics.body).toContain('process_cpu_seconds_total');
  });

  it('reconciles a clean ledger and reports a broken one', async () => {
    const user = await t.api.register('r');
    await t.api.fund(admin, user.id, 'USD', 700);
    const clean = await t.api.get('/api/v1/admin/reconciliation', admin);
    expect(clean.status).toBe(200);
    const { rows } = await t.sql.query('SELECT (SELECT count(*) FROM transactions)::int AS transactions, (SELECT count(*) FROM wallets)::int AS wallets');
    expect(clean.body).toMatchObject({ ok: true, problems: [], ...rows[0] });
    expect((await t.api.get('/api/v1/admin/reconciliation', user.token)).status).toBe(403);
    // Tamper with a balance behind the service's back: wallets are not append-only, the ledger is.
    await t.sql.query(`UPDATE wallets SET balance = balance + 1 WHERE user_id = $1`, [user.id]);
    const broken = await t.api.get('/api/v1/admin/reconciliation', admin);
    expect(broken.body.ok).toBe(false);
    expect(broken.body.problems.map((p: { invariant: string }) => p.invariant).sort()).toEqual(['ASSET_SUMS_TO_ZERO', 'WALLET_BALANCE_MATCHES_ENTRIES']);
    await t.sql.query(`UPDATE wallets SET balance = balance - 1 WHERE user_id = $1`, [user.id]);
  });
});
