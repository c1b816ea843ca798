import { ConsumeMessage } from 'amqplib';
import { randomBytes } from 'node:crypto';
import { EventBacklog } from '../src/events/event-backlog';
import { TestUser } from './support/api-client';
import { brokerAvailable, BrokerProxy, BrokerTap } from './support/broker';
import { eventually, FeedEvent, readFeed } from './support/event-feed';
import { startTestApp, TestApp } from './support/test-app';
import { createTestDatabase, TestDatabase } from './support/test-db';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

(brokerAvailable() ? describe : describe.skip)('RabbitMQ publishing (the local broker)', () => {
  const exchange = `wallet.events.test.${randomBytes(4).toString('hex')}`;
  let db: TestDatabase;
  let tap: BrokerTap;
  let proxy: BrokerProxy;
  let t: TestApp;
  let admin: string;
  let alice: TestUser;
  let bob: TestUser;

  const withBroker = () => ({ AMQP_URL: proxy.url, AMQP_EXCHANGE: exchange, EVENT_RELAY_POLL_MS: '20' });

  beforeAll(async () => {
    [db, tap, proxy] = await Promise.all([createTestDatabase(), BrokerTap.open(exchange), BrokerProxy.start()]);
    t = await startTestApp(withBroker(), db);
    admin = await t.api.adminToken();
    [alice, bob] = await Promise.all([t.api.register('alice'), t.api.register('bob')]);
    await t.api.fund(admin, alice.id, 'USD', 100_000);
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([tap?.close(), proxy?.cut()]);
    await db?.drop();
  });

  const transfer = async () => {
    const startedAt = performance.now();
    const sent = await t.api.post('/api/v1/transfers', { asset: 'USD', amount: 1, toUserId: bob.id }, alice.token);
    expect(sent.status).toBe(201);
    return performance.now() - startedAt;
  };
  const feed = async () => (await readFeed(t.api, admin)).events;
  const ids = (messages: ConsumeMessage[]) => messages.map((m) => m.properties.messageId as string);
  /** Waits until every event written so far is in the feed, then until the broker has delivered each one to the tap. */
  const allPublished = async (): Promise<FeedEvent[]> => {
    const unstamped = async () => (await t.sql.query('SELECT count(*)::int AS n FROM events WHERE position IS NULL')).rows[0].n;
    await eventually(async () => ((await unstamped()) === 0 ? true : undefined), 'the relay');
    const events = await feed();
    await eventually(async () => (events.every((e) => ids(tap.messages).includes(e.id)) ? true : undefined), 'every event on the broker');
    return events;
  };

  it('publishes every event, confirmed and persistent, with the routing key = type and messageId = event id', async () => {
    const hold = await t.api.post('/api/v1/holds', { asset: 'USD', amount: 10, toUserId: bob.id }, alice.token);
    expect(hold.status).toBe(201);
    await transfer();
    const events = await allPublished();
    expect(events.map((e) => e.type)).toEqual(['transaction.created', 'transaction.created', 'hold.created', 'transaction.created']);
    expect(ids(tap.messages)).toEqual(events.map((e) => e.id));
    tap.messages.forEach((message, i) => {
      expect(message.fields.exchange).toBe(exchange);
      expect(message.fields.routingKey).toBe(events[i].type);
      expect(message.properties).toMatchObject({ messageId: events[i].id, contentType: 'application/json', deliveryMode: 2 });
      expect(JSON.parse(message.content.toString('utf8'))).toEqual(events[i]);
    });
    expect((await t.api.get('/health/ready')).body).toMatchObject({ status: 'ok', amqp: 'up' });
  });

  it('keeps transfers at their latency while the broker is down, then publishes what it missed', async () => {
    const baseline: number[] = [];
    for (let i = 0; i < 15; i++) baseline.push(await transfer());
    await allPublished();
    await proxy.cut();
    const ready = await eventually(async () => {
      const response = await t.api.get('/health/ready');
      return response.body.amqp === 'down' ? response : undefined;
    }, 'readiness to see the broker down');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('degraded');
    const during: number[] = [];
    for (let i = 0; i < 15; i++) during.push(await transfer());
    expect(median(during)).toBeLessThan(median(baseline) * 3 + 20);
    await t.app.get(EventBacklog).refresh();
    expect((await t.api.get('/metrics')).body).toMatch(/events_unpublished\{sink="amqp"\} (1[5-9]|[2-9]\d)/);

    await proxy.restore();
    const events = await allPublished();
    expect(new Set(ids(tap.messages))).toEqual(new Set(events.map((e) => e.id)));
    expect((await t.api.get('/health/ready')).body).toMatchObject({ status: 'ok', amqp: 'up' });
    // The cursor moves in the transaction that follows the broker's confirms: a moment after the tap has the messages.
    await eventually(async () => {
      await t.app.get(EventBacklog).refresh();
      return /events_unpublished\{sink="amqp"\} 0\n/.test((await t.api.get('/metrics')).body) ? true : undefined;
    }, 'an empty amqp backlog');
  });

  it('resumes from its cursor in PostgreSQL after a restart, without publishing again what the broker confirmed', async () => {
    await allPublished();
    const publishedBefore = tap.messages.length;
    await t.app.close();
    // Meanwhile an instance without a broker keeps moving money.
    const without = await startTestApp({ EVENT_RELAY_POLL_MS: '20' }, db);
    for (let i = 0; i < 5; i++) {
      expect((await without.api.post('/api/v1/transfers', { asset: 'USD', amount: 1, toUserId: bob.id }, alice.token)).status).toBe(201);
    }
    await without.app.close();
    await without.sql.end();
    await t.sql.end();
    t = await startTestApp(withBroker(), db);
    const events = await allPublished();
    expect(tap.messages.length - publishedBefore).toBe(5);
    expect(ids(tap.messages)).toEqual(events.map((e) => e.id));
  });
});
