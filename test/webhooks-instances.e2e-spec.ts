import { Pool } from 'pg';
import { ApiClient, TestUser } from './support/api-client';
import { eventually } from './support/event-feed';
import { fundedUsers, quietOnDrop, ServiceProcess, startServiceProcess } from './support/service-process';
import { createTestDatabase, TestDatabase } from './support/test-db';
import { Answer, Receiver, ReceivedHook, signatureValid, startReceiver } from './support/webhook-receiver';

/** The built service as production runs it; the receivers are local, so private hosts are allowed except where refused on purpose. */
const FAST = {
  EVENT_RELAY_POLL_MS: '20',
  WEBHOOK_POLL_MS: '50',
  WEBHOOK_TIMEOUT_MS: '1000',
  WEBHOOK_RETRY_DELAYS_MS: '1500',
  WEBHOOK_ALLOW_PRIVATE_HOSTS: 'true',
};

describe('webhooks across restarts, crashes and instances (built service)', () => {
  let db: TestDatabase;
  let sql: Pool;
  const services: ServiceProcess[] = [];
  const receivers: Receiver[] = [];

  beforeEach(async () => {
    db = await createTestDatabase();
    sql = new Pool({ connectionString: db.url, max: 2 });
    quietOnDrop(sql);
  });
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.stop('SIGKILL')));
    await Promise.all(receivers.splice(0).map((r) => r.close()));
    await sql.end();
    await db.drop();
  });

  async function start(env: Record<string, string> = {}): Promise<ServiceProcess> {
    const service = await startServiceProcess({ databaseUrl: db.url, env: { ...FAST, ...env } });
    services.push(service);
    return service;
  }

  async function receiver(answer?: (hook: ReceivedHook, index: number) => Answer): Promise<Receiver> {
    const started = await startReceiver(answer);
    receivers.push(started);
    return started;
  }

  async function subscribe(api: ApiClient, url: string): Promise<{ id: string; secret: string; status: number; body: any }> {
    const created = await api.request('POST', '/api/v1/webhooks', { url, events: ['*'] }, { token: await api.adminToken() });
    return { ...created.body, status: created.status, body: created.body };
  }

  async function oneTransfer(api: ApiClient): Promise<{ users: TestUser[]; transactionId: string }> {
    const users = await fundedUsers(api, 2, 'GOLD_COINS', 100);
    const sent = await api.post('/api/v1/transfers', { asset: 'GOLD_COINS', amount: 7, toUserId: users[1].id }, users[0].token);
    expect(sent.status).toBe(201);
    return { users, transactionId: sent.body.id };
  }

  /** The delivery row of the transfer's event, as SQL has it. */
  const deliveryOf = async (transactionId: string) =>
    (
      await sql.query(
        `SELECT d.status, d.attempts FROM webhook_deliveries d JOIN events e ON e.position = d.event_position WHERE e.data->>'id' = $1`,
        [transactionId],
      )
    ).rows[0] as { status: string; attempts: number } | undefined;

  it('delivers, after a SIGKILL and a restart, a delivery that was waiting for its retry', async () => {
    const first = await start();
    let up = false;
    const hooks = await receiver(() => (up ? 200 : 500));
    const { secret } = await subscribe(first.api, hooks.url);
    const { transactionId } = await oneTransfer(first.api);
    // The claim counts an attempt before sending it: wait for the receiver to have answered it (500).
    const received = () => hooks.received.filter((h) => JSON.parse(h.body).data.id === transactionId).length;
    await eventually(async () => (received() === 1 ? true : undefined), 'the first attempt reaching the receiver');
    await first.stop('SIGKILL');
    up = true;
    await start();
    const delivered = await eventually(async () => {
      const row = await deliveryOf(transactionId);
      return row?.status === 'SUCCEEDED' ? row : undefined;
    }, 'delivery by the new instance');
    expect(delivered.attempts).toBe(2);
    const sent = hooks.received.filter((h) => JSON.parse(h.body).data.id === transactionId);
    expect(sent.map((h) => h.headers['webhook-id'])).toEqual([sent[0].headers['webhook-id'], sent[0].headers['webhook-id']]);
    expect(sent.every((h) => signatureValid(secret, h))).toBe(true);
  });

  it('sends again, once its lease is over, an attempt cut short by a SIGKILL mid-request', async () => {
    const first = await start();
    let killed = false;
    const hooks = await receiver(() => (killed ? 200 : 'hang'));
    await subscribe(first.api, hooks.url);
    const { transactionId } = await oneTransfer(first.api);
    const isTransfer = (h: ReceivedHook) => JSON.parse(h.body).data.id === transactionId;
    await eventually(async () => (hooks.received.some(isTransfer) ? true : undefined), 'the first attempt to arrive');
    await first.stop('SIGKILL');
    killed = true;
    const killedAtMs = Date.now();
    await start();
    const delivered = await eventually(async () => {
      const row = await deliveryOf(transactionId);
      return row?.status === 'SUCCEEDED' ? row : undefined;
    }, 'the attempt after the lease');
    expect(delivered.attempts).toBe(2);
    const attempts = hooks.received.filter(isTransfer);
    expect(attempts).toHaveLength(2);
    // Not before the lease (twice WEBHOOK_TIMEOUT_MS from the claim) ran out.
    expect(attempts[1].receivedAtMs - attempts[0].receivedAtMs).toBeGreaterThanOrEqual(1_900);
    expect(attempts[1].receivedAtMs).toBeGreaterThan(killedAtMs);
  });

  it('stops promptly on SIGTERM with an attempt in flight, records it as cut short, and the next start delivers it', async () => {
    const first = await start({ WEBHOOK_TIMEOUT_MS: '10000', WEBHOOK_RETRY_DELAYS_MS: '500' });
    let stopped = false;
    const hooks = await receiver(() => (stopped ? 200 : 'hang'));
    await subscribe(first.api, hooks.url);
    const { transactionId } = await oneTransfer(first.api);
    await eventually(async () => (hooks.received.some((h) => JSON.parse(h.body).data.id === transactionId) ? true : undefined), 'the attempt');
    const stoppingAtMs = Date.now();
    expect(await first.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(Date.now() - stoppingAtMs).toBeLessThan(5_000);
    const { rows } = await sql.query(
      `SELECT d.status, d.attempts, d.last_error FROM webhook_deliveries d JOIN events e ON e.position = d.event_position WHERE e.data->>'id' = $1`,
      [transactionId],
    );
    expect(rows).toEqual([{ status: 'PENDING', attempts: 1, last_error: 'cut short: the service was stopping' }]);
    stopped = true;
    await start();
    const delivered = await eventually(async () => {
      const row = await deliveryOf(transactionId);
      return row?.status === 'SUCCEEDED' ? row : undefined;
    }, 'delivery after the restart');
    expect(delivered.attempts).toBe(2);
  });

  it('shares deliveries between two instances on one database without sending an attempt twice', async () => {
    // A generous timeout: on a loaded machine a 1 s attempt can time out and be (rightly) sent again.
    const [a, b] = await Promise.all([start({ WEBHOOK_TIMEOUT_MS: '10000' }), start({ WEBHOOK_TIMEOUT_MS: '10000' })]);
    // Both instances' dispatchers claim from the same table while both relays race to stamp.
    const hooks = await receiver(() => 200);
    await subscribe(a.api, hooks.url);
    const users = await fundedUsers(a.api, 8, 'GOLD_COINS', 10_000);
    const sent = await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        (i % 2 === 0 ? a : b).api.post('/api/v1/transfers', { asset: 'GOLD_COINS', amount: 1, toUserId: users[(i + 1) % 8].id }, users[i % 8].token),
      ),
    );
    expect(sent.every((r) => r.status === 201)).toBe(true);
    const events = (await sql.query('SELECT count(*)::int AS n FROM events')).rows[0].n;
    const { rows } = await eventually(async () => {
      const result = await sql.query(`SELECT status, attempts FROM webhook_deliveries`);
      return result.rows.length === events && result.rows.every((r) => r.status === 'SUCCEEDED') ? result : undefined;
    }, 'every delivery');
    // Every event, each one attempted once and received once.
    expect(rows).toHaveLength(events);
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
    const ids = hooks.received.map((h) => h.headers['webhook-id']);
    expect(ids).toHaveLength(events);
    expect(new Set(ids).size).toBe(events);
    // Both instances took part.
    const succeeded = async (s: ServiceProcess) => Number(/webhook_deliveries_total\{outcome="succeeded"\} (\d+)/.exec((await s.api.get('/metrics')).body)?.[1] ?? 0);
    const [byA, byB] = await Promise.all([succeeded(a), succeeded(b)]);
    expect(byA + byB).toBe(events);
    expect(Math.min(byA, byB)).toBeGreaterThan(0);
  });

  it('refuses private hosts in production, when created and again when sending', async () => {
    const service = await start({ WEBHOOK_ALLOW_PRIVATE_HOSTS: 'false' });
    // Numeric spellings of 127.0.0.1 are not URLs the validator accepts: refused before any lookup.
    for (const url of ['http://2130706433/', 'http://0x7f.1/']) expect((await subscribe(service.api, url)).status).toBe(400);
    for (const url of ['http://127.0.0.1:9/x', 'http://localhost/x', 'http://[::1]/x', 'http://169.254.169.254/latest', 'http://10.1.2.3/', 'http://[::ffff:127.0.0.1]/']) {
      const refused = await subscribe(service.api, url);
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe('VALIDATION_FAILED');
      expect(refused.body.errors).toEqual([{ field: 'url', message: expect.stringMatching(/url is not allowed: .* resolves to .*loopback, private, link-local or reserved/) }]);
    }
    // A public address is accepted (only subscribed to something that does not happen here).
    const accepted = await service.api.request('POST', '/api/v1/webhooks', { url: 'https://93.184.216.34/hooks', events: ['batch.completed'] }, { token: await service.api.adminToken() });
    expect(accepted.status).toBe(201);
    // A host that passed when created and points inward now (DNS rebinding) is refused at send time.
    const hooks = await receiver();
    await sql.query(`INSERT INTO webhooks (url, events, secret) VALUES ($1, '{*}', 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=')`, [hooks.url]);
    const { transactionId } = await oneTransfer(service.api);
    const refusedAttempt = await eventually(async () => {
      const { rows } = await sql.query(
        `SELECT d.last_error FROM webhook_deliveries d JOIN events e ON e.position = d.event_position WHERE e.data->>'id' = $1 AND d.attempts > 0`,
        [transactionId],
      );
      return rows[0]?.last_error ?? undefined;
    }, 'the refused attempt');
    expect(refusedAttempt).toMatch(/127\.0\.0\.1.*loopback, private/);
    expect(hooks.received).toEqual([]);
  });
});
