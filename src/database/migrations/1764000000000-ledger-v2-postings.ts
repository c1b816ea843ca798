import { MigrationInterface, QueryRunner } from 'typeorm';

const V1_TYPES = `'TRANSFER', 'SPEND', 'WITHDRAWAL', 'TOP_UP', 'BONUS', 'REVERSAL', 'BATCH_PAYOUT'`;
const V2_TYPES = `${V1_TYPES}, 'MULTI_LEG', 'EXCHANGE', 'HOLD', 'HOLD_CAPTURE', 'HOLD_RELEASE'`;

/**
 * Ledger v2: a transaction is a list of 1-25 postings, each a debit and a credit entry
 * (`ledger_entries.posting` says which posting an entry belongs to), possibly across assets.
 * A one-posting transaction keeps its v1 columns; a longer one has them NULL and lists its
 * users in `transaction_parties`, so every party's history still walks an index.
 *
 * Rules the database keeps: entries of a transaction sum to 0 per asset (deferred trigger),
 * entries, transactions and parties are append-only, a hold is created once and resolved once
 * (unique indexes on the hold's transactions, and a trigger that lets a hold leave PENDING only),
 * metadata is an object of strings.
 */
export class LedgerV2Postings1764000000000 implements MigrationInterface {
  name = 'LedgerV2Postings1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await this.postings(queryRunner);
    await this.holds(queryRunner);
    await this.balancedPerAsset(queryRunner);
  }

  private async postings(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE wallets DROP CONSTRAINT wallets_system_code_check;
      ALTER TABLE wallets ADD CONSTRAINT wallets_system_code_check CHECK (system_code IN ('TREASURY', 'REVENUE', 'HOLDING'));
      INSERT INTO wallets (asset_id, kind, system_code, shard)
      SELECT asset_id, 'SYSTEM', 'HOLDING', shard FROM wallets WHERE kind = 'SYSTEM' AND system_code = 'TREASURY'
      ON CONFLICT DO NOTHING;

      ALTER TABLE ledger_entries ADD COLUMN posting smallint NOT NULL DEFAULT 0 CHECK (posting BETWEEN 0 AND 24);

      ALTER TABLE transactions
        DROP CONSTRAINT transactions_type_check,
        ADD CONSTRAINT transactions_type_check CHECK (type IN (${V2_TYPES})),
        ALTER COLUMN asset_id DROP NOT NULL,
        ALTER COLUMN amount DROP NOT NULL,
        ALTER COLUMN from_wallet_id DROP NOT NULL,
        ALTER COLUMN to_wallet_id DROP NOT NULL,
        ADD COLUMN posting_count smallint NOT NULL DEFAULT 1 CHECK (posting_count BETWEEN 1 AND 25),
        ADD COLUMN metadata jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
        ADD COLUMN hold_id uuid,
        -- One posting: the v1 columns describe it. More: they are NULL and the entries say it all.
        ADD CONSTRAINT transactions_single_posting_ck CHECK (
          (posting_count = 1) = (asset_id IS NOT NULL AND amount IS NOT NULL AND from_wallet_id IS NOT NULL AND to_wallet_id IS NOT NULL)
          AND (posting_count = 1 OR (asset_id IS NULL AND amount IS NULL AND from_wallet_id IS NULL AND to_wallet_id IS NULL
                                     AND from_user_id IS NULL AND to_user_id IS NULL))),
        ADD CONSTRAINT transactions_hold_ck CHECK ((hold_id IS NOT NULL) = (type IN ('HOLD', 'HOLD_CAPTURE', 'HOLD_RELEASE')));

      -- Only transactions that carry metadata are indexed: the hot path writes '{}' for free.
      CREATE INDEX transactions_metadata_idx ON transactions USING gin (metadata jsonb_path_ops) WHERE metadata <> '{}';

      CREATE TABLE transaction_parties (
        user_id        uuid NOT NULL REFERENCES users (id),
        transaction_id uuid NOT NULL REFERENCES transactions (id),
        created_at     timestamptz NOT NULL,
        PRIMARY KEY (user_id, transaction_id)
      );
      CREATE INDEX transaction_parties_history_idx ON transaction_parties (user_id, created_at DESC, transaction_id DESC);
      CREATE TRIGGER transaction_parties_append_only BEFORE UPDATE OR DELETE ON transaction_parties
        FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
      CREATE TRIGGER transaction_parties_no_truncate BEFORE TRUNCATE ON transaction_parties
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
    `);
  }

  private async holds(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE holds (
        id                    uuid PRIMARY KEY,
        status                text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'CAPTURED', 'VOIDED', 'EXPIRED')),
        asset_id              integer NOT NULL REFERENCES assets (id),
        amount                bigint NOT NULL CHECK (amount BETWEEN 1 AND 9007199254740991),
        captured_amount       bigint NOT NULL DEFAULT 0 CHECK (captured_amount >= 0 AND captured_amount <= amount),
        payer_user_id         uuid NOT NULL REFERENCES users (id),
        payer_wallet_id       bigint NOT NULL REFERENCES wallets (id),
        recipient_user_id     uuid REFERENCES users (id),
        -- The recipient's wallet (a REVENUE hold: the first REVENUE shard, as the API shows it).
        recipient_wallet_id   bigint NOT NULL REFERENCES wallets (id),
        recipient_system_code text CHECK (recipient_system_code = 'REVENUE'),
        description           text CHECK (length(description) <= 500),
        metadata              jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
        expires_at            timestamptz NOT NULL,
        created_at            timestamptz NOT NULL,
        resolved_at           timestamptz,
        CHECK ((recipient_user_id IS NULL) <> (recipient_system_code IS NULL)),
        CHECK (recipient_user_id IS DISTINCT FROM payer_user_id),
        CHECK ((status = 'PENDING') = (resolved_at IS NULL)),
        CHECK (status = 'CAPTURED' OR captured_amount = 0),
        CHECK (status <> 'CAPTURED' OR captured_amount >= 1)
      );
      CREATE INDEX holds_payer_idx ON holds (payer_user_id, created_at DESC, id DESC);
      CREATE INDEX holds_recipient_idx ON holds (recipient_user_id, created_at DESC, id DESC) WHERE recipient_user_id IS NOT NULL;
      CREATE INDEX holds_pending_wallet_idx ON holds (payer_wallet_id) WHERE status = 'PENDING';
      CREATE INDEX holds_expiry_idx ON holds (expires_at) WHERE status = 'PENDING';

      -- A hold leaves PENDING once, and nothing else about it ever changes.
      CREATE FUNCTION holds_resolve_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'UPDATE' OR OLD.status <> 'PENDING' OR NEW.status = 'PENDING'
           OR (NEW.id, NEW.asset_id, NEW.amount, NEW.payer_user_id, NEW.payer_wallet_id, NEW.recipient_user_id, NEW.recipient_wallet_id,
               NEW.recipient_system_code, NEW.description, NEW.metadata, NEW.expires_at, NEW.created_at)
              IS DISTINCT FROM
              (OLD.id, OLD.asset_id, OLD.amount, OLD.payer_user_id, OLD.payer_wallet_id, OLD.recipient_user_id, OLD.recipient_wallet_id,
               OLD.recipient_system_code, OLD.description, OLD.metadata, OLD.expires_at, OLD.created_at) THEN
          RAISE EXCEPTION 'hold %: % refused (a hold is resolved once, and only its resolution is written)', OLD.id, TG_OP
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER holds_resolve_once BEFORE UPDATE OR DELETE ON holds FOR EACH ROW EXECUTE FUNCTION holds_resolve_once();
      CREATE TRIGGER holds_no_truncate BEFORE TRUNCATE ON holds FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

      ALTER TABLE transactions ADD CONSTRAINT transactions_hold_fk FOREIGN KEY (hold_id) REFERENCES holds (id);
      -- What makes a hold created once and resolved once: capture, void and expiry racing each
      -- other all insert a resolving transaction, and only one insert can pass this index.
      CREATE INDEX transactions_hold_idx ON transactions (hold_id, created_at) WHERE hold_id IS NOT NULL;
      CREATE UNIQUE INDEX transactions_hold_created_uq ON transactions (hold_id) WHERE type = 'HOLD';
      CREATE UNIQUE INDEX transactions_hold_resolved_uq ON transactions (hold_id) WHERE type IN ('HOLD_CAPTURE', 'HOLD_RELEASE');
    `);
  }

  /** The sum-to-zero rule, now per asset: a transaction may move several assets. */
  private async balancedPerAsset(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        unbalanced integer;
        entry_count integer;
      BEGIN
        SELECT count(*) FILTER (WHERE net <> 0), coalesce(sum(entries), 0) INTO unbalanced, entry_count
          FROM (SELECT sum(CASE e.direction WHEN 'CREDIT' THEN e.amount ELSE -e.amount END) AS net, count(*) AS entries
                  FROM ledger_entries e JOIN wallets w ON w.id = e.wallet_id
                 WHERE e.transaction_id = NEW.transaction_id GROUP BY w.asset_id) per_asset;
        IF unbalanced > 0 OR entry_count < 2 THEN
          RAISE EXCEPTION 'transaction % is unbalanced: % assets do not sum to 0 over % entries', NEW.transaction_id, unbalanced, entry_count
            USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NULL;
      END $$;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
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
      DROP INDEX transactions_hold_resolved_uq, transactions_hold_created_uq, transactions_hold_idx, transactions_metadata_idx;
      ALTER TABLE transactions DROP CONSTRAINT transactions_hold_fk;
      DROP TABLE holds, transaction_parties;
      DROP FUNCTION holds_resolve_once();
      -- A v2 ledger with multi-posting or hold transactions cannot go back: the NOT NULLs below refuse it.
      ALTER TABLE transactions
        DROP CONSTRAINT transactions_single_posting_ck,
        DROP CONSTRAINT transactions_hold_ck,
        DROP COLUMN posting_count,
        DROP COLUMN metadata,
        DROP COLUMN hold_id,
        ALTER COLUMN asset_id SET NOT NULL,
        ALTER COLUMN amount SET NOT NULL,
        ALTER COLUMN from_wallet_id SET NOT NULL,
        ALTER COLUMN to_wallet_id SET NOT NULL,
        DROP CONSTRAINT transactions_type_check,
        ADD CONSTRAINT transactions_type_check CHECK (type IN (${V1_TYPES}));
      ALTER TABLE ledger_entries DROP COLUMN posting;
      DELETE FROM wallets w WHERE w.system_code = 'HOLDING'
         AND NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.wallet_id = w.id);
      ALTER TABLE wallets DROP CONSTRAINT wallets_system_code_check;
      ALTER TABLE wallets ADD CONSTRAINT wallets_system_code_check CHECK (system_code IN ('TREASURY', 'REVENUE'));
    `);
  }
}
