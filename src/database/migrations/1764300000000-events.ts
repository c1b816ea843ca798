import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox: every committed change writes its events in the same database transaction
 * (the posting engine's write statement). `id` is handed out at insert time and so says
 * nothing about commit order; `position` is stamped later, in commit-visibility order, by
 * the feed's relay (src/events), and only stamped events are ever shown.
 */
export class Events1764300000000 implements MigrationInterface {
  name = 'Events1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE events (
        id         bigserial PRIMARY KEY,
        type       text NOT NULL CHECK (type IN ('transaction.created', 'hold.created', 'hold.captured', 'hold.voided',
                                                 'hold.expired', 'batch.completed')),
        -- The users the event is about: a user's feed shows these.
        user_ids   uuid[] NOT NULL DEFAULT '{}',
        -- json, not jsonb: delivered as written, key order included.
        data       json NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        position   bigint UNIQUE
      );
      CREATE INDEX events_unpositioned_idx ON events (id) WHERE position IS NULL;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE events');
  }
}
