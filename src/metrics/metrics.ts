import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per process; /metrics serves it in the Prometheus text format. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const httpRequests = new Counter({
  name: 'http_requests_total',
  help: 'HTTP requests by method, route and status',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});

export const httpDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request latency by method, route and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const movementsPosted = new Counter({
  name: 'wallet_movements_total',
  help: 'Money movements applied, by type (replays are not counted)',
  labelNames: ['type'] as const,
  registers: [registry],
});

/** Read from PostgreSQL every few seconds by src/events/event-backlog.ts: the whole deployment's backlog, not this instance's. */
export const eventsUnpublished = new Gauge({
  name: 'events_unpublished',
  help: 'Events not yet handed over, by sink: webhook = PENDING deliveries; amqp = events not yet confirmed by the broker (stamped or not)',
  labelNames: ['sink'] as const,
  registers: [registry],
});

/** Read from PostgreSQL every few seconds by src/holds/holds-gauge.ts: the whole deployment's holds. */
export const holdsPending = new Gauge({
  name: 'wallet_holds_pending',
  help: 'Holds not yet captured, voided or released, by asset',
  labelNames: ['asset'] as const,
  registers: [registry],
});

export const webhookDeliveries = new Counter({
  name: 'webhook_deliveries_total',
  help: 'Webhook delivery attempts by outcome: succeeded; retrying (failed, another attempt is scheduled); failed (the last attempt failed)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});
