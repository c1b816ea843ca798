import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event feed's own state and its two ways out (docs/events.md).
 *
 * - `event_feed` holds the relay's counter: the last position it stamped. A row rather than
 *   max(position), so that a purge can never make a position be handed out twice.
 * - `event_users` is the per-user feed, filled by the relay in the transaction that stamps the
 *   positions: a user's page is one range scan of (user_id, position), however many events
 *   other users have.
 * - `event_sink_cursors`: the last position each broker sink has published (the purge keeps
 *   everything after the lowest one).
 * - `webhooks` and `webhook_deliveries`: one delivery row per (event, webhook), created by the
 *   relay when it stamps the event, claimed FOR UPDATE SKIP LOCKED by any instance.
 */
export class Webhooks1764400000000 implements MigrationInterface {
  name = 'Webhooks1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE event_feed (
        id            boolean PRIMARY KEY DEFAULT true CHECK (id),
        last_position bigint NOT NULL DEFAULT 0 CHECK (last_position >= 0)
      );
      INSERT INTO event_feed DEFAULT VALUES;

      -- The admin feed filtered by type.
      CREATE INDEX events_type_position_idx ON events (type, position) WHERE position IS NOT NULL;

      CREATE TABLE event_users (
        user_id  uuid NOT NULL,
        position bigint NOT NULL,
        type     text NOT NULL,
        PRIMARY KEY (user_id, position)
      );
      CREATE INDEX event_users_type_idx ON event_users (user_id, type, position);
      -- The purge deletes by position.
      CREATE INDEX event_users_position_idx ON event_users (position);

      CREATE TABLE event_sink_cursors (
        sink       text PRIMARY KEY,
        position   bigint NOT NULL CHECK (position >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE webhooks (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        url         text NOT NULL CHECK (length(url) <= 2048),
        events      text[] NOT NULL CHECK (cardinality(events) > 0),
        description text CHECK (length(description) <= 500),
        status      text NOT NULL DEFAULT 'ENABLED' CHECK (status = 'ENABLED'),
        -- whsec_ + base64 of the key bytes: needed in clear to sign every delivery.
        secret      text NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE webhook_deliveries (
        event_position       bigint NOT NULL REFERENCES events (position) ON DELETE CASCADE,
        webhook_id           uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
        status               text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
        -- Attempts started; an attempt is counted when it is claimed, before it is sent.
        attempts             int NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        -- When the next attempt may start; while one is being sent, the end of its lease.
        next_attempt_at      timestamptz,
        last_response_status int,
        last_error           text,
        created_at           timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (event_position, webhook_id),
        CHECK ((status = 'PENDING') = (next_attempt_at IS NOT NULL))
      );
      CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, event_position);
      CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'PENDING';
      -- The purge keeps every event from the oldest pending delivery on.
      CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (event_position) WHERE status = 'PENDING';
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE webhook_deliveries; DROP TABLE webhooks; DROP TABLE event_sink_cursors; DROP TABLE event_users;
      DROP INDEX events_type_position_idx; DROP TABLE event_feed;
    `);
  }
}
