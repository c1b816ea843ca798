import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Exchanges between assets (rates, quotes) and the index behind balances in time and
 * statements. "A quote is used at most once, before it expires" is decided here, by
 * PostgreSQL: a quote can only ever change by getting its transaction_id, once, from NULL,
 * inside a transaction that started before the quote expired.
 */
export class Exchanges1764200000000 implements MigrationInterface {
  name = 'Exchanges1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      -- How many major units of "to" one major unit of "from" buys; exact decimal, never float.
      CREATE TABLE rates (
        from_asset_id integer NOT NULL REFERENCES assets (id),
        to_asset_id   integer NOT NULL REFERENCES assets (id),
        rate          numeric NOT NULL CHECK (rate > 0 AND rate < 1e18 AND scale(rate) <= 12),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (from_asset_id, to_asset_id),
        CHECK (from_asset_id <> to_asset_id)
      );

      CREATE TABLE quotes (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id        uuid NOT NULL REFERENCES users (id),
        from_asset_id  integer NOT NULL REFERENCES assets (id),
        to_asset_id    integer NOT NULL REFERENCES assets (id),
        from_amount    bigint NOT NULL CHECK (from_amount BETWEEN 1 AND 9007199254740991),
        to_amount      bigint NOT NULL CHECK (to_amount BETWEEN 1 AND 9007199254740991),
        -- The rate as it was when quoted: a later change of the pair's rate does not touch it.
        rate           numeric NOT NULL CHECK (rate > 0),
        expires_at     timestamptz NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now(),
        -- Set by the exchange that used the quote, in that exchange's database transaction.
        -- Deferred: the quote is marked before the posting engine writes the transaction row.
        transaction_id uuid UNIQUE REFERENCES transactions (id) DEFERRABLE INITIALLY DEFERRED,
        CHECK (from_asset_id <> to_asset_id),
        CHECK (expires_at > created_at)
      );

      CREATE FUNCTION quotes_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE'
           AND OLD.transaction_id IS NULL AND NEW.transaction_id IS NOT NULL
           AND to_jsonb(NEW) - 'transaction_id' = to_jsonb(OLD) - 'transaction_id'
           -- now() is the using transaction's start, the time the posting engine stamps on it.
           AND now() < OLD.expires_at THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'quotes: % refused: a quote only ever gets its transaction_id, once, before it expires', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$;

      CREATE TRIGGER quotes_use_once BEFORE UPDATE OR DELETE ON quotes
        FOR EACH ROW EXECUTE FUNCTION quotes_guard();
      CREATE TRIGGER quotes_no_truncate BEFORE TRUNCATE ON quotes
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

      -- Balances in time and statements find a wallet's last entry before a time here
      -- (created_at is the transaction's time); the sums then walk (wallet_id, id).
      CREATE INDEX ledger_entries_wallet_created_idx ON ledger_entries (wallet_id, created_at, id);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX ledger_entries_wallet_created_idx;
      DROP TABLE quotes, rates;
      DROP FUNCTION quotes_guard();
    `);
  }
}
