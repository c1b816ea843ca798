import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { EventRow, presentEvent } from '../events/event.presenter';
import { FeedSignal } from '../events/feed-signal';
import { webhookDeliveries } from '../metrics/metrics';
import { retryDelayMs } from './retry-schedule';
import { publicHostsOnly } from './ssrf-guard';
import { postOnce, SendOutcome } from './webhook-sender';

interface ClaimedDelivery extends EventRow {
  webhook_id: string;
  /** This attempt's number, 1-based. */
  attempts: number;
  url: string;
  secret: string;
}

/**
 * Claims due deliveries (any instance, FOR UPDATE SKIP LOCKED) and, in the same statement,
 * counts the attempt and pushes next_attempt_at to the end of a lease: the attempt is then
 * sent outside any transaction, and no other instance claims it before the lease ends. A
 * crash mid-attempt leaves the delivery PENDING; it is claimed again once the lease is over.
 * A delivery whose last attempt was cut short that way has no attempt left: FAILED.
 */
const CLAIM_SQL = `
  WITH due AS (
    SELECT event_position, webhook_id, attempts FROM webhook_deliveries
     WHERE status = 'PENDING' AND next_attempt_at <= now()
     ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
  , claimed AS (
    UPDATE webhook_deliveries d SET attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => $2::float8 / 1000)
      FROM due WHERE d.event_position = due.event_position AND d.webhook_id = due.webhook_id AND due.attempts < $3
    RETURNING d.event_position, d.webhook_id, d.attempts)
  , exhausted AS (
    UPDATE webhook_deliveries d SET status = 'FAILED', next_attempt_at = NULL, last_response_status = NULL,
           last_error = 'the last attempt was cut short: the instance sending it stopped'
      FROM due WHERE d.event_position = due.event_position AND d.webhook_id = due.webhook_id AND due.attempts >= $3)
  SELECT c.event_position AS position, c.webhook_id, c.attempts, w.url, w.secret, e.type, e.created_at, e.data
    FROM claimed c JOIN webhooks w ON w.id = c.webhook_id JOIN events e ON e.position = c.event_position`;

/** Records an attempt's outcome, unless the delivery has moved on meanwhile (claimed again after its lease). */
const RECORD_SQL = `
  UPDATE webhook_deliveries
     SET status = $4,
         next_attempt_at = CASE WHEN $4 = 'PENDING' THEN now() + make_interval(secs => $5::float8 / 1000) END,
         last_response_status = $6, last_error = $7
   WHERE event_position = $1 AND webhook_id = $2 AND attempts = $3 AND status = 'PENDING'`;

type Outcome = 'succeeded' | 'retrying' | 'failed';

/**
 * Sends webhook deliveries, up to WEBHOOK_SENDS_MAX at once per instance, each attempt signed in
 * the Standard Webhooks format. Every instance runs it; the database decides who sends what.
 * A slow receiver holds one of these slots, never a request or a money movement.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('WebhookDispatcher');
  private readonly inFlight = new Set<Promise<void>>();
  private readonly stopped = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: () => void = () => undefined;
  private pumping: Promise<void> | null = null;
  private again = false;
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly signal: FeedSignal,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.eventWorkersEnabled) return;
    this.unsubscribe = this.signal.subscribe(() => this.pump());
    this.timer = setInterval(() => this.pump(), this.config.webhookPollMs);
    this.pump();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    this.unsubscribe();
    clearInterval(this.timer);
    await this.pumping;
    // A receiver may take WEBHOOK_TIMEOUT_MS to answer, longer than a shutdown should: cut the
    // attempts short and record them as failed, so they are retried on schedule.
    this.stopped.abort();
    await Promise.all(this.inFlight);
  }

  /** Fills the free sending slots with due deliveries; a call while it runs makes it look once more. */
  private pump(): void {
    if (this.stopping) return;
    if (this.pumping !== null) {
      this.again = true;
      return;
    }
    this.pumping = this.fill()
      .catch((error) => this.logger.error({ err: error }, 'claiming webhook deliveries failed; retrying'))
      .finally(() => {
        this.pumping = null;
        if (this.again) {
          this.again = false;
          this.pump();
        }
      });
  }

  private async fill(): Promise<void> {
    while (!this.stopping && this.inFlight.size < this.config.webhookSendsMax) {
      const free = this.config.webhookSendsMax - this.inFlight.size;
      const claimed = await this.claim(free);
      for (const delivery of claimed) this.track(this.attempt(delivery));
      if (claimed.length < free) return;
    }
  }

  private track(sending: Promise<void>): void {
    this.inFlight.add(sending);
    void sending.finally(() => {
      this.inFlight.delete(sending);
      this.pump();
    });
  }

  private claim(count: number): Promise<ClaimedDelivery[]> {
    // The lease outlasts the attempt's timeout with room to record the outcome.
    const leaseMs = 2 * this.config.webhookTimeoutMs;
    return this.dataSource.query(CLAIM_SQL, [count, leaseMs, this.config.webhookAttemptsMax]);
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    try {
      const sent = await this.send(delivery);
      const outcome: Outcome = sent.error === null ? 'succeeded' : delivery.attempts >= this.config.webhookAttemptsMax ? 'failed' : 'retrying';
      const status = { succeeded: 'SUCCEEDED', retrying: 'PENDING', failed: 'FAILED' }[outcome];
      const delayMs = retryDelayMs(delivery.attempts, this.config.webhookRetryDelaysMs);
      await this.dataSource.query(RECORD_SQL, [delivery.position, delivery.webhook_id, delivery.attempts, status, delayMs, sent.status, sent.error]);
      webhookDeliveries.inc({ outcome });
    } catch (error) {
      // The outcome was not recorded: the lease runs out and the delivery is attempted again.
      this.logger.error({ err: error, webhookId: delivery.webhook_id, position: delivery.position }, 'recording a webhook attempt failed');
    }
  }

  private send(delivery: ClaimedDelivery): Promise<SendOutcome> {
    const event = presentEvent(delivery);
    const body = JSON.stringify(event);
    const sentAt = new Date();
    const headers = {
      'webhook-id': event.id,
      'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
      'webhook-signature': new Webhook(delivery.secret).sign(event.id, sentAt, body),
    };
    return postOnce(delivery.url, body, headers, {
      timeoutMs: this.config.webhookTimeoutMs,
      publicOnly: publicHostsOnly(this.config),
      signal: this.stopped.signal,
    });
  }
}
