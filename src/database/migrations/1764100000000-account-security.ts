import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Revocable tokens and a fair batch queue (issue 10).
 *
 * `users.token_version` is the generation of the account's tokens: every token carries the
 * value it was issued under, and logout, a password change, a role change or disabling the
 * account bump it, so every earlier token stops matching. `users.status` DISABLED keeps the
 * account and its money but refuses logins, tokens and payments to it.
 *
 * `batches.served_at` is when the worker last paid a chunk of the batch: the worker serves
 * the owner whose open batches were served least recently first, so one user's large files
 * cannot hold back another user's small one.
 */
export class AccountSecurity1764100000000 implements MigrationInterface {
  name = 'AccountSecurity1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE users
        ADD COLUMN status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'DISABLED')),
        ADD COLUMN token_version integer NOT NULL DEFAULT 0 CHECK (token_version >= 0);
      COMMENT ON COLUMN users.token_version IS 'Generation of the account''s tokens: bumped to revoke every token issued before';

      ALTER TABLE batches ADD COLUMN served_at timestamptz;
      COMMENT ON COLUMN batches.served_at IS 'When the worker last paid a chunk of this batch (fair scheduling between owners)';
      CREATE INDEX batches_open_user_idx ON batches (user_id) WHERE status IN ('PENDING', 'PROCESSING');
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX batches_open_user_idx;
      ALTER TABLE batches DROP COLUMN served_at;
      ALTER TABLE users DROP COLUMN token_version, DROP COLUMN status;
    `);
  }
}
