'use strict';
const { Client } = require('pg');

function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function onDatabase(url, work) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new, empty database on the server of `serverUrl`; `drop()` removes it again. */
async function createFreshDatabase(serverUrl) {
  const name = `wallet_bench_${Date.now()}`;
  const maintenance = withDatabase(serverUrl, 'postgres');
  await onDatabase(maintenance, (client) => client.query(`CREATE DATABASE "${name}"`));
  return {
    name,
    url: withDatabase(serverUrl, name),
    drop: () => onDatabase(maintenance, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
  };
}

/**
 * `count` users sharing one password hash (copied from a user registered through the API),
 * each with an empty wallet for `assetId`. The wallets are created in one statement so their
 * ids are contiguous: the pgbench script picks wallets by id from that range.
 */
async function seedUsers(client, { count, passwordHash, assetId, prefix }) {
  await client.query('BEGIN');
  const users = await client.query(
    `INSERT INTO users (email, name, password_hash)
     SELECT format('%s-%s@bench.local', $1::text, lpad(i::text, 5, '0')), format('Bench user %s', i), $2
       FROM generate_series(1, $3::int) AS i
     RETURNING id, email`,
    [prefix, passwordHash, count],
  );
  const wallets = await client.query(
    `INSERT INTO wallets (user_id, asset_id, kind)
     SELECT id, $1, 'USER' FROM users WHERE email LIKE $2 ORDER BY email
     RETURNING id, user_id`,
    [assetId, `${prefix}-%@bench.local`],
  );
  await client.query('COMMIT');
  const walletOf = new Map(wallets.rows.map((w) => [w.user_id, String(w.id)]));
  const list = users.rows
    .map((u) => ({ id: u.id, email: u.email, walletId: walletOf.get(u.id) }))
    .sort((a, b) => Number(a.walletId) - Number(b.walletId));
  const first = Number(list[0].walletId);
  const last = Number(list[list.length - 1].walletId);
  if (last - first + 1 !== count) throw new Error(`bench wallets are not contiguous (${first}..${last} for ${count})`);
  return { users: list, walletMin: first, walletMax: last };
}

/**
 * Gives `walletId` a history of exactly `entriesTotal` ledger entries: TOP_UPs of 1 from one
 * TREASURY shard, written with SQL in one transaction (the same rows the posting engine would
 * write: a transaction, a debit and a credit entry each, running balance_after on both sides,
 * both balances updated), 30 s apart. Transaction ids are ordered UUIDs so the inserts append to the
 * indexes.
 *
 * Triggers are skipped for this one bulk insert (session_replication_role = replica; the
 * foreign-key and deferred balance triggers would make it five times slower): the rows are
 * balanced by construction, `verifyHistory` checks the seeded wallet right after, and the
 * bench ends with the service's own reconciliation over the whole ledger.
 */
async function seedHistory(client, { walletId, userId, assetId, entriesTotal }) {
  await client.query('BEGIN');
  await client.query('SET LOCAL session_replication_role = replica');
  const [shard] = (
    await client.query(
      `SELECT id, balance FROM wallets WHERE kind = 'SYSTEM' AND system_code = 'TREASURY' AND asset_id = $1
        ORDER BY id LIMIT 1 FOR UPDATE`,
      [assetId],
    )
  ).rows;
  const [wallet] = (await client.query('SELECT id, balance FROM wallets WHERE id = $1 FOR UPDATE', [walletId])).rows;
  const existing = Number((await client.query('SELECT count(*) AS n FROM ledger_entries WHERE wallet_id = $1', [walletId])).rows[0].n);
  const n = entriesTotal - existing;
  // Ordered (appends to the indexes) and distinct per seeded wallet.
  const uuidOf = `('b' || lpad(to_hex(${Number(walletId)}), 7, '0') || '-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid`;
  // One entry every 30 s, the newest now: ~347 days, 2,880 entries a day, so a one-day
  // statement (statement-depth) reads a busy day of an old wallet, not its whole history.
  const createdAt = `now() - ($1::int - i) * interval '30 seconds'`;
  await client.query(
    `INSERT INTO transactions (id, type, asset_id, amount, from_wallet_id, to_wallet_id, from_user_id, to_user_id, description, created_at)
     SELECT ${uuidOf}, 'TOP_UP', $2, 1, $3, $4, NULL, $5, 'bench history', ${createdAt}
       FROM generate_series(1, $1::int) AS i`,
    [n, assetId, shard.id, walletId, userId],
  );
  await client.query(
    `INSERT INTO ledger_entries (transaction_id, wallet_id, direction, amount, balance_after, created_at)
     SELECT ${uuidOf}, w.wallet_id, w.direction, 1,
            CASE w.direction WHEN 'DEBIT' THEN $4::bigint - i ELSE $5::bigint + i END, ${createdAt}
       FROM generate_series(1, $1::int) AS i
      CROSS JOIN (VALUES ($2::bigint, 'DEBIT'), ($3::bigint, 'CREDIT')) AS w (wallet_id, direction)
      ORDER BY i, w.direction DESC`,
    [n, shard.id, walletId, shard.balance, wallet.balance],
  );
  await client.query('UPDATE wallets SET balance = balance - $2, version = version + 1, updated_at = now() WHERE id = $1', [shard.id, n]);
  await client.query('UPDATE wallets SET balance = balance + $2, version = version + 1, updated_at = now() WHERE id = $1', [walletId, n]);
  await client.query('COMMIT');
  await client.query('ANALYZE transactions');
  await client.query('ANALYZE ledger_entries');
  return { inserted: n };
}

/** The seeded wallet's balance equals its entries' sum and its newest balance_after. */
async function verifyHistory(client, walletId) {
  const { rows } = await client.query(
    `SELECT w.balance = e.net AND w.balance = e.last_after AS ok, e.entries
       FROM wallets w,
            LATERAL (SELECT count(*)::int AS entries, sum(CASE direction WHEN 'CREDIT' THEN amount ELSE -amount END) AS net,
                            (SELECT balance_after FROM ledger_entries WHERE wallet_id = w.id ORDER BY id DESC LIMIT 1) AS last_after
                       FROM ledger_entries WHERE wallet_id = w.id) e
      WHERE w.id = $1`,
    [walletId],
  );
  if (!rows[0]?.ok) throw new Error(`seeded history of wallet ${walletId} is inconsistent`);
  return rows[0].entries;
}

module.exports = { withDatabase, onDatabase, createFreshDatabase, seedUsers, seedHistory, verifyHistory };
