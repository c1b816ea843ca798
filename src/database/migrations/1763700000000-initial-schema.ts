import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The whole ledger schema. The invariants of DESIGN.md are enforced here, by PostgreSQL,
 * not only by the code: balance CHECKs, append-only triggers, a deferred sum-to-zero
 * trigger per transaction, foreign keys and the history indexes.
 */
export class InitialSchema1763700000000 implements MigrationInterface {
  name = 'InitialSchema1763700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE users (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email         text NOT NULL CHECK (email = lower(email) AND length(email) <= 254),
        name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        password_hash text NOT NULL,
        role          text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
        created_at    timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX users_email_uq ON users (email);

      CREATE TABLE assets (
        id         serial PRIMARY KEY,
        code       text NOT NULL UNIQUE CHECK (code ~ '^[A-Z][A-Z0-9_]{1,15}$'),
        name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        scale      smallint NOT NULL CHECK (scale BETWEEN 0 AND 8),
        created_at timestamptz NOT NULL DEFAULT now()
      );

      -- A system wallet (TREASURY, REVENUE) is several rows, its shards, so that unrelated
      -- movements lock different rows (DESIGN.md "Hot accounts"). The API shows their sum.
      CREATE TABLE wallets (
        id          bigserial PRIMARY KEY,
        asset_id    integer NOT NULL REFERENCES assets (id),
        user_id     uuid REFERENCES users (id),
        kind        text NOT NULL CHECK (kind IN ('USER', 'SYSTEM')),
        system_code text CHECK (system_code IN ('TREASURY', 'REVENUE')),
        shard       smallint NOT NULL DEFAULT 0 CHECK (shard >= 0),
        balance     bigint NOT NULL DEFAULT 0,
        version     bigint NOT NULL DEFAULT 0,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT wallets_owner_ck CHECK (
          (kind = 'USER' AND user_id IS NOT NULL AND system_code IS NULL AND shard = 0)
          OR (kind = 'SYSTEM' AND user_id IS NULL AND system_code IS NOT NULL)),
        CONSTRAINT wallets_user_balance_non_negative_ck CHECK (kind = 'SYSTEM' OR balance >= 0),
        CONSTRAINT wallets_balance_bound_ck CHECK (balance BETWEEN -9007199254740991 AND 9007199254740991)
      );
      CREATE UNIQUE INDEX wallets_user_asset_uq ON wallets (user_id, asset_id) WHERE kind = 'USER';
      CREATE UNIQUE INDEX wallets_system_shard_uq ON wallets (asset_id, system_code, shard) WHERE kind = 'SYSTEM';

      CREATE TABLE batches (
        id               uuid PRIMARY KEY,
        user_id          uuid NOT NULL REFERENCES users (id),
        asset_id         integer NOT NULL REFERENCES assets (id),
        status           text NOT NULL DEFAULT 'PENDING'
                         CHECK (status IN ('PENDING', 'PROCESSING', 'COMPLETED', 'COMPLETED_WITH_ERRORS')),
        file_name        text NOT NULL,
        item_count       integer NOT NULL CHECK (item_count BETWEEN 1 AND 100000),
        processed_count  integer NOT NULL DEFAULT 0,
        succeeded_count  integer NOT NULL DEFAULT 0,
        failed_count     integer NOT NULL DEFAULT 0,
        total_amount     bigint NOT NULL DEFAULT 0,
        succeeded_amount bigint NOT NULL DEFAULT 0,
        created_at       timestamptz NOT NULL DEFAULT now(),
        completed_at     timestamptz,
        CHECK (processed_count = succeeded_count + failed_count AND processed_count <= item_count)
      );
      CREATE INDEX batches_user_created_idx ON batches (user_id, created_at DESC, id DESC);
      CREATE INDEX batches_open_idx ON batches (created_at) WHERE status IN ('PENDING', 'PROCESSING');

      CREATE TABLE transactions (
        id             uuid PRIMARY KEY,
        type           text NOT NULL CHECK (type IN
                       ('TRANSFER', 'SPEND', 'WITHDRAWAL', 'TOP_UP', 'BONUS', 'REVERSAL', 'BATCH_PAYOUT')),
        status         text NOT NULL DEFAULT 'COMPLETED' CHECK (status = 'COMPLETED'),
        asset_id       integer NOT NULL REFERENCES assets (id),
        amount         bigint NOT NULL CHECK (amount BETWEEN 1 AND 9007199254740991),
        from_wallet_id bigint NOT NULL REFERENCES wallets (id),
        to_wallet_id   bigint NOT NULL REFERENCES wallets (id),
        from_user_id   uuid REFERENCES users (id),
        to_user_id     uuid REFERENCES users (id),
        description    text CHECK (length(description) <= 500),
        batch_id       uuid REFERENCES batches (id),
        batch_row      integer,
        -- Unique: a transaction can be reversed once, and nothing has to be updated to know it.
        reversal_of    uuid UNIQUE REFERENCES transactions (id),
        created_at     timestamptz NOT NULL DEFAULT now(),
        CHECK (from_wallet_id <> to_wallet_id),
        CHECK ((batch_id IS NULL) = (batch_row IS NULL)),
        CHECK ((type = 'REVERSAL') = (reversal_of IS NOT NULL))
      );
      -- The deterministic key of a batch row: each row is paid at most once, ever.
      CREATE UNIQUE INDEX transactions_batch_row_uq ON transactions (batch_id, batch_row) WHERE batch_id IS NOT NULL;
      CREATE INDEX transactions_from_user_idx ON transactions (from_user_id, created_at DESC, id DESC) WHERE from_user_id IS NOT NULL;
      CREATE INDEX transactions_to_user_idx ON transactions (to_user_id, created_at DESC, id DESC) WHERE to_user_id IS NOT NULL;

      CREATE TABLE ledger_entries (
        id             bigserial PRIMARY KEY,
        transaction_id uuid NOT NULL REFERENCES transactions (id),
        wallet_id      bigint NOT NULL REFERENCES wallets (id),
        direction      text NOT NULL CHECK (direction IN ('DEBIT', 'CREDIT')),
        amount         bigint NOT NULL CHECK (amount BETWEEN 1 AND 9007199254740991),
        balance_after  bigint NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX ledger_entries_wallet_idx ON ledger_entries (wallet_id, id DESC);
      CREATE INDEX ledger_entries_transaction_idx ON ledger_entries (transaction_id);

      CREATE TABLE idempotency_keys (
        user_id        uuid NOT NULL REFERENCES users (id),
        key            text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
        request_hash   text NOT NULL,
        status_code    smallint,
        -- json, not jsonb: a replay returns the very bytes of the first answer, key order included.
        response_body  json,
        created_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, key)
      );
      CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

      CREATE TABLE batch_items (
        batch_id       uuid NOT NULL REFERENCES batches (id),
        row            integer NOT NULL CHECK (row >= 1),
        recipient      text NOT NULL,
        recipient_user_id uuid REFERENCES users (id),
        amount         bigint CHECK (amount BETWEEN 1 AND 9007199254740991),
        reference      text,
        status         text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
        error_code     text,
        error_message  text,
        transaction_id uuid REFERENCES transactions (id),
        PRIMARY KEY (batch_id, row),
        CHECK ((status = 'SUCCEEDED') = (transaction_id IS NOT NULL))
      );
      CREATE INDEX batch_items_status_idx ON batch_items (batch_id, status, row);
    `);
    await this.createTriggers(queryRunner);
  }

  private async createTriggers(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$;

      CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
        FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
      CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
      CREATE TRIGGER transactions_append_only BEFORE UPDATE OR DELETE ON transactions
        FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
      CREATE TRIGGER transactions_no_truncate BEFORE TRUNCATE ON transactions
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

      -- Runs at COMMIT, once every entry of the transaction is in: debits equal credits.
      CREATE FUNCTION ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        net numeric;
        entry_count integer;
      BEGIN
        SELECT sum(CASE direction WHEN 'CREDIT' THEN amount ELSE -amount END), count(*)
          INTO net, entry_count
          FROM ledger_entries WHERE transaction_id = NEW.transaction_id;
        IF net <> 0 OR entry_count < 2 THEN
          RAISE EXCEPTION 'transaction % is unbalanced: net %, % entries', NEW.transaction_id, net, entry_count
            USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NULL;
      END $$;

      CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_balanced();
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE batch_items, idempotency_keys, ledger_entries, transactions, batches, wallets, assets, users;
      DROP FUNCTION ledger_check_balanced();
      DROP FUNCTION ledger_refuse_change();
    `);
  }
}
