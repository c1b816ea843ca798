import { TestUser } from './support/api-client';
import { eventually, readFeed } from './support/event-feed';
import { startTestApp, TestApp } from './support/test-app';
import { Answer, Receiver, ReceivedHook, signatureValid, startReceiver } from './support/webhook-receiver';

describe('webhooks', () => {
  let t: TestApp;
  let admin: string;
  let alice: TestUser;
  let bob: TestUser;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    t = await startTestApp({
      EVENT_RELAY_POLL_MS: '20',
      WEBHOOK_POLL_MS: '20',
      WEBHOOK_RETRY_DELAYS_MS: '300,600',
      WEBHOOK_ATTEMPTS_MAX: '3',
      WEBHOOK_TIMEOUT_MS: '500',
    });
    admin = await t.api.adminToken();
    [alice, bob] = await Promise.all([t.api.register('alice'), t.api.register('bob')]);
    await t.api.fund(admin, alice.id, 'USD', 100_000);
  });
  afterEach(async () => {
    const { body } = await t.api.get('/api/v1/webhooks', admin);
    await Promise.all(body.map((hook: { id: string }) => t.api.request('DELETE', `/api/v1/webhooks/${hook.id}`, undefined, { token: admin })));
    await Promise.all(receivers.splice(0).map((r) => r.close()));
  });
  afterAll(() => t.close());

  async function receiver(answer?: (hook: ReceivedHook, index: number) => Answer): Promise<Receiver> {
    const started = await startReceiver(answer);
    receivers.push(started);
    return started;
  }

  async function subscribe(url: string, events: string[] = ['transaction.created']): Promise<{ id: string; secret: string }> {
    const created = await t.api.request('POST', '/api/v1/webhooks', { url, events, description: 'test' }, { token: admin });
    expect(created.status).toBe(201);
    return created.body;
  }

  async function transfer(amount = 10): Promise<string> {
    const sent = await t.api.post('/api/v1/transfers', { asset: 'USD', amount, toUserId: bob.id }, alice.token);
    expect(sent.status).toBe(201);
    return sent.body.id;
  }

  /** The feed's event for a transaction, once the relay has stamped it. */
  const eventOf = (transactionId: string) =>
    eventually(async () => (await readFeed(t.api, admin, '&type=transaction.created')).events.find((e) => e.data.id === transactionId), 'the event');

  const delivery = async (webhookId: string, eventId: string) =>
    (await t.api.get(`/api/v1/webhooks/${webhookId}/deliveries?limit=100`, admin)).body.items.find((d: { eventId: string }) => d.eventId === eventId);

  const settled = (webhookId: string, eventId: string) =>
    eventually(async () => {
      const found = await delivery(webhookId, eventId);
      return found !== undefined && found.status !== 'PENDING' ? found : undefined;
    }, 'the delivery to settle');

  describe('admin API', () => {
    it('creates a webhook, shows its secret only once, lists and deletes it', async () => {
      const created = await t.api.request('POST', '/api/v1/webhooks', { url: 'https://example.com/hooks', events: ['*'] }, { token: admin });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ url: 'https://example.com/hooks', events: ['*'], description: null, status: 'ENABLED' });
      expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      const listed = await t.api.get('/api/v1/webhooks', admin);
      expect(listed.body).toEqual([{ id: created.body.id, url: created.body.url, events: ['*'], description: null, status: 'ENABLED', createdAt: created.body.createdAt }]);
      const deleted = await t.api.request('DELETE', `/api/v1/webhooks/${created.body.id}`, undefined, { token: admin });
      expect(deleted.status).toBe(204);
      expect((await t.api.get('/api/v1/webhooks', admin)).body).toEqual([]);
      expect((await t.api.request('DELETE', `/api/v1/webhooks/${created.body.id}`, undefined, { token: admin })).status).toBe(404);
      expect((await t.api.get(`/api/v1/webhooks/${created.body.id}/deliveries`, admin)).status).toBe(404);
    });

    it.each([
      [{ url: 'ftp://example.com/x', events: ['*'] }, 'url'],
      [{ url: 'not a url', events: ['*'] }, 'url'],
      [{ url: 'https://example.com', events: [] }, 'events'],
      [{ url: 'https://example.com', events: ['money.moved'] }, 'events'],
      [{ url: 'https://example.com', events: ['*', 'hold.created'] }, 'events'],
      [{ url: 'https://example.com', events: ['*'], secret: 'mine' }, 'secret'],
    ])('refuses %p with 400 naming %s', async (body, field) => {
      const response = await t.api.request('POST', '/api/v1/webhooks', body, { token: admin });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(response.body.errors)).toContain(field);
    });

    it('is described in the OpenAPI document, with the feed', async () => {
      const { paths } = (await t.api.get('/docs-json')).body;
      expect(Object.keys(paths)).toEqual(expect.arrayContaining(['/api/v1/events', '/api/v1/webhooks', '/api/v1/webhooks/{id}', '/api/v1/webhooks/{id}/deliveries']));
      expect(paths['/api/v1/webhooks'].post.responses['201']).toBeDefined();
      expect(paths['/api/v1/webhooks/{id}'].delete.responses['204']).toBeDefined();
    });

    it('is for admins only', async () => {
      expect((await t.api.get('/api/v1/webhooks', alice.token)).status).toBe(403);
      const created = await t.api.request('POST', '/api/v1/webhooks', { url: 'https://example.com', events: ['*'] }, { token: alice.token });
      expect(created.status).toBe(403);
    });

    it('refuses a deliveries cursor it did not issue', async () => {
      const hook = await subscribe('https://example.com/hooks', ['batch.completed']);
      for (const cursor of ['garbage!', 'WyJ4Il0', 'WzFd']) {
        expect((await t.api.get(`/api/v1/webhooks/${hook.id}/deliveries?cursor=${cursor}`, admin)).status).toBe(400);
      }
    });
  });

  it('delivers a signed Standard Webhooks POST whose body is the feed event', async () => {
    const hooks = await receiver();
    const { id, secret } = await subscribe(hooks.url);
    const event = await eventOf(await transfer());
    const [hook] = await eventually(async () => (hooks.of(event.id).length > 0 ? hooks.of(event.id) : undefined), 'the webhook');
    expect(JSON.parse(hook.body)).toEqual(event);
    expect(hook.headers['content-type']).toBe('application/json');
    expect(Math.abs(Number(hook.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(30);
    expect(signatureValid(secret, hook)).toBe(true);
    expect(signatureValid(secret, { ...hook, body: hook.body.replace('"amount":10', '"amount":11') })).toBe(false);
    expect(signatureValid(`whsec_${Buffer.alloc(32, 1).toString('base64')}`, hook)).toBe(false);
    expect(await settled(id, event.id)).toEqual({
      eventId: event.id,
      eventType: 'transaction.created',
      status: 'SUCCEEDED',
      attempts: 1,
      lastResponseStatus: 200,
      lastError: null,
      nextAttemptAt: null,
    });
  });

  it('sends only the types a webhook subscribed to', async () => {
    const hooks = await receiver();
    const { id } = await subscribe(hooks.url, ['hold.created']);
    await transfer();
    const hold = await t.api.post('/api/v1/holds', { asset: 'USD', amount: 5, toUserId: bob.id }, alice.token);
    const created = await eventually(async () => hooks.received.find((h) => JSON.parse(h.body).data.id === hold.body.id), 'hold.created');
    expect(JSON.parse(created.body).type).toBe('hold.created');
    const { body } = await t.api.get(`/api/v1/webhooks/${id}/deliveries`, admin);
    expect(body.items.map((d: { eventType: string }) => d.eventType)).toEqual(['hold.created']);
    expect(hooks.received.every((h) => JSON.parse(h.body).type === 'hold.created')).toBe(true);
  });

  it('retries after 500s with growing delays, then succeeds with the same id and body', async () => {
    const hooks = await receiver((_, index) => (index < 2 ? 500 : 204));
    const { id, secret } = await subscribe(hooks.url);
    const event = await eventOf(await transfer());
    const result = await settled(id, event.id);
    expect(result).toMatchObject({ status: 'SUCCEEDED', attempts: 3, lastResponseStatus: 204, lastError: null });
    const attempts = hooks.of(event.id);
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((h) => h.body)).size).toBe(1);
    expect(attempts.every((h) => signatureValid(secret, h))).toBe(true);
    // 300 ms then 600 ms, each ±20 % (and a poll of 20 ms late at most, plus scheduling).
    const gaps = [attempts[1].receivedAtMs - attempts[0].receivedAtMs, attempts[2].receivedAtMs - attempts[1].receivedAtMs];
    // Lower bounds only: a loaded machine can make any gap longer, never shorter. The second
    // floor (480) is above the first delay's ceiling (360), so the schedule grows.
    expect(gaps[0]).toBeGreaterThanOrEqual(240);
    expect(gaps[1]).toBeGreaterThanOrEqual(480);
  });

  it('gives up after WEBHOOK_ATTEMPTS_MAX, and counts attempts by outcome', async () => {
    const hooks = await receiver(() => 503);
    const { id } = await subscribe(hooks.url);
    const event = await eventOf(await transfer());
    expect(await settled(id, event.id)).toMatchObject({
      status: 'FAILED',
      attempts: 3,
      lastResponseStatus: 503,
      lastError: 'the receiver answered 503',
      nextAttemptAt: null,
    });
    expect(hooks.of(event.id)).toHaveLength(3);
    const metrics = (await t.api.get('/metrics')).body as string;
    expect(metrics).toMatch(/webhook_deliveries_total\{outcome="failed"\} [1-9]/);
    expect(metrics).toMatch(/webhook_deliveries_total\{outcome="retrying"\} [1-9]/);
    expect(metrics).toMatch(/webhook_deliveries_total\{outcome="succeeded"\} [1-9]/);
  });

  it('times out a receiver that does not answer, and a hanging receiver never slows a transfer', async () => {
    const timed = async () => {
      const startedAt = performance.now();
      await transfer(1);
      return performance.now() - startedAt;
    };
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const baseline: number[] = [];
    for (let i = 0; i < 15; i++) baseline.push(await timed());
    const hooks = await receiver(() => 'hang');
    const { id } = await subscribe(hooks.url);
    const withHook: number[] = [];
    for (let i = 0; i < 15; i++) withHook.push(await timed());
    const last = await readFeed(t.api, admin, '&type=transaction.created');
    const event = last.events[last.events.length - 1];
    const pending = await eventually(async () => {
      const found = await delivery(id, event.id);
      return found?.lastError ? found : undefined;
    }, 'the first attempt to time out');
    expect(pending).toMatchObject({ status: 'PENDING', attempts: 1, lastResponseStatus: null, lastError: 'no answer within 500 ms' });
    expect(median(withHook)).toBeLessThan(median(baseline) * 3 + 20);
  });
});
