import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { ledgerProblems } from './support/ledger-checks';
import { quietOnDrop } from './support/service-process';
import { startTestApp, TestApp } from './support/test-app';
import { onServer } from './support/test-db';

const CHROMIUM = '/usr/bin/chromium';
const REQUEST_TIMEOUT_MS = 400;

describe('HTTP hardening and the request deadline', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS), LOCK_TIMEOUT_MS: '5000', STATEMENT_TIMEOUT_MS: '5000' });
    quietOnDrop(t.sql);
  });
  afterAll(() => t.close());

  it('sends security headers and a CSP, compresses large responses only', async () => {
    const health = await t.api.request('GET', '/health', undefined, { headers: { 'accept-encoding': 'gzip' } });
    expect(health.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(health.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    expect(health.headers.get('x-powered-by')).toBeNull();
    expect(health.headers.get('content-encoding')).toBeNull();
    const spec = await t.api.request('GET', '/docs-json', undefined, { headers: { 'accept-encoding': 'gzip' } });
    expect([spec.status, spec.headers.get('content-encoding')]).toEqual([200, 'gzip']);
  });

  (existsSync(CHROMIUM) ? it : it.skip)('renders the Swagger UI (and the console, when served) under that CSP', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const violations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
      });
      page.on('pageerror', (error) => violations.push(error.message));
      await page.goto(`${t.api.baseUrl}/docs`);
      await page.waitForSelector('.swagger-ui .info .title', { timeout: 15_000 });
      expect(await page.textContent('.swagger-ui .info .title')).toContain('Wallet service');
      const root = await t.api.get('/');
      if (root.status === 200 && String(root.headers.get('content-type')).includes('text/html')) {
        await page.goto(`${t.api.baseUrl}/`);
        await page.waitForFunction("document.querySelector('#root')?.childElementCount > 0", undefined, { timeout: 15_000 });
      }
      expect(violations).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('reports not ready (503) while its database refuses connections, and ready again after', async () => {
    const token = (await t.api.register('dbdown')).token;
    const sessions = `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`;
    await onServer(async (client) => {
      await client.query(`ALTER DATABASE "${t.db.name}" ALLOW_CONNECTIONS false`);
      await client.query(sessions, [t.db.name]);
    });
    try {
      expect(await t.api.get('/health/ready')).toMatchObject({ status: 503, body: { status: 'unavailable', database: 'down' } });
      // The token check itself reads the account: an unreachable database is a 503, never a 500.
      const read = await t.api.get('/api/v1/wallets', token);
      expect([read.status, read.body?.code]).toEqual([503, 'BUSY']);
    } finally {
      await onServer((client) => client.query(`ALTER DATABASE "${t.db.name}" ALLOW_CONNECTIONS true`));
    }
    expect(await t.api.get('/health/ready')).toMatchObject({ status: 200, body: { status: 'ok', database: 'up' } });
    expect((await t.api.get('/api/v1/wallets', token)).status).toBe(200);
  });

  it('answers 503 BUSY at the deadline instead of hanging; a retry with the same key replays the real outcome', async () => {
    const admin = await t.api.adminToken();
    const [payer, payee] = [await t.api.register('stuck'), await t.api.register('payee')];
    await t.api.fund(admin, payer.id, 'GOLD_COINS', 50);
    const locker = await t.sql.connect();
    const key = randomUUID();
    const body = { asset: 'GOLD_COINS', amount: 7, toUserId: payee.id };
    try {
      await locker.query('BEGIN');
      await locker.query(`SELECT id FROM wallets WHERE user_id = $1 FOR UPDATE`, [payer.id]);
      const startedAt = Date.now();
      const stuck = await t.api.post('/api/v1/transfers', body, payer.token, key);
      const tookMs = Date.now() - startedAt;
      expect([stuck.status, stuck.body.code, stuck.headers.get('retry-after')]).toEqual([503, 'BUSY', '1']);
      expect(stuck.body.detail).toContain('same Idempotency-Key');
      expect(tookMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
      expect(tookMs).toBeLessThan(REQUEST_TIMEOUT_MS + 1_500);
    } finally {
      await locker.query('ROLLBACK');
      locker.release();
    }
    const retry = await t.api.post('/api/v1/transfers', body, payer.token, key);
    expect(retry.status).toBe(201);
    expect(await t.api.balance(payer.token, 'GOLD_COINS')).toBe(43);
    const { rows } = await t.sql.query(`SELECT count(*)::int AS n FROM transactions WHERE from_user_id = $1`, [payer.id]);
    expect(rows[0].n).toBe(1);
    expect(await ledgerProblems(t.sql)).toEqual([]);
  });
});
