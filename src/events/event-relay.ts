import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { FeedSignal } from './feed-signal';

/** Arbitrary, fixed: one relay at a time across all instances. */
const RELAY_LOCK_KEY = 7_220_912;
/** At most this many events stamped per transaction, so one stamp never runs for long. */
const EVENTS_PER_STAMP_MAX = 1_000;
/** After repeated failures (database down), wait at most this long between attempts. */
const FAILURE_BACKOFF_MS_MAX = 5_000;

const PENDING_SQL = 'SELECT EXISTS (SELECT 1 FROM events WHERE position IS NULL) AS pending';

/**
 * Stamps the next positions on the committed events that have none, oldest id first, and in the
 * same transaction lists each event in its users' feeds and creates its webhook deliveries.
 * Must run under RELAY_LOCK_KEY, in a statement started after the lock was taken: its
 * snapshot then includes every earlier stamp, so positions only ever grow.
 */
const STAMP_SQL = `
  WITH picked AS (
    SELECT id FROM events WHERE position IS NULL ORDER BY id LIMIT $1)
  , numbered AS (
    SELECT p.id, f.last_position + row_number() OVER (ORDER BY p.id) AS position FROM picked p CROSS JOIN event_feed f)
  , stamped AS (
    UPDATE events e SET position = n.position FROM numbered n WHERE e.id = n.id
    RETURNING e.position, e.type, e.user_ids)
  , readers AS (
    INSERT INTO event_users (user_id, position, type)
    SELECT DISTINCT u.user_id, s.position, s.type FROM stamped s CROSS JOIN unnest(s.user_ids) AS u(user_id))
  , deliveries AS (
    INSERT INTO webhook_deliveries (event_position, webhook_id, next_attempt_at)
    SELECT s.position, w.id, now() FROM stamped s JOIN webhooks w ON w.events && ARRAY[s.type, '*'])
  , head AS (
    UPDATE event_feed SET last_position = (SELECT max(position) FROM stamped) WHERE EXISTS (SELECT 1 FROM stamped))
  SELECT count(*)::int AS stamped FROM stamped`;

/**
 * The feed's single writer. A sequence id is handed out at insert and becomes visible at
 * commit, so "after id N" can skip an id that commits late (DESIGN.md, "Events (outbox)").
 * Positions are handed out here instead, to events already committed, in the order this
 * relay finds them; readers only ever see stamped events. Every instance runs this loop
 * every EVENT_RELAY_POLL_MS; an advisory lock lets one of them stamp at a time. Nothing here
 * is on the path of a money movement: writers only insert their event rows.
 */
@Injectable()
export class EventRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('EventRelay');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private stopping = false;
  private failures = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly signal: FeedSignal,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.eventWorkersEnabled) this.schedule(0);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    if (this.timer !== null) clearTimeout(this.timer);
    await this.running;
  }

  /** Stamps until nothing committed is left unstamped; the number stamped (0 when another instance holds the lock). */
  async relay(): Promise<number> {
    let total = 0;
    for (;;) {
      const [{ pending }] = await this.dataSource.query(PENDING_SQL);
      if (!pending) return total;
      const stamped = await this.dataSource.transaction((manager) => this.stamp(manager));
      total += stamped;
      if (stamped > 0) this.signal.notify();
      if (stamped < EVENTS_PER_STAMP_MAX) return total;
    }
  }

  private async stamp(manager: EntityManager): Promise<number> {
    const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [RELAY_LOCK_KEY]);
    if (!locked) return 0;
    // The planner's guesses for a statement of data-modifying CTEs run high enough to JIT-compile
    // it, which costs ~0.4 s for a statement that runs in a few ms.
    await manager.query('SET LOCAL jit = off');
    const [{ stamped }] = await manager.query(STAMP_SQL, [EVENTS_PER_STAMP_MAX]);
    return stamped;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.tick();
    }, delayMs);
  }

  private async tick(): Promise<void> {
    try {
      await this.relay();
      this.failures = 0;
    } catch (error) {
      this.failures += 1;
      this.logger.error({ err: error, failures: this.failures }, 'stamping events failed; retrying');
    }
    if (this.stopping) return;
    const { eventRelayPollMs } = this.config;
    this.schedule(Math.min(eventRelayPollMs * 2 ** Math.min(this.failures, 10), Math.max(eventRelayPollMs, FAILURE_BACKOFF_MS_MAX)));
  }
}
