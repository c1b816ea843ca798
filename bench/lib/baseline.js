'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { Client } = require('pg');
const { randomInt, percentiles } = require('./util');

/**
 * The database's own limit: one transfer's SQL work with no service in between. BEGIN; claim
 * an idempotency row; lock both wallets in id order; update both balances; insert the
 * transaction and its two entries; COMMIT. Eight round trips; the posting engine needs five
 * for the same rows (and also stores the response body in the idempotency row).
 */
const PGBENCH_SCRIPT = `\\set a random(:wmin, :wmax)
\\set d random(1, :wcount - 1)
\\set b :wmin + (:a - :wmin + :d) % :wcount
\\set lo least(:a, :b)
\\set hi greatest(:a, :b)
BEGIN;
INSERT INTO idempotency_keys (user_id, key, request_hash) SELECT user_id, 'pgbench-' || gen_random_uuid(), 'pgbench' FROM wallets WHERE id = :a ON CONFLICT DO NOTHING RETURNING created_at;
SELECT id, kind, user_id, balance FROM wallets WHERE id IN (:lo, :hi) ORDER BY id FOR UPDATE;
UPDATE wallets SET balance = balance - 1, version = version + 1, updated_at = now() WHERE id = :a RETURNING balance AS from_after, user_id AS from_user \\gset
UPDATE wallets SET balance = balance + 1, version = version + 1, updated_at = now() WHERE id = :b RETURNING balance AS to_after, user_id AS to_user \\gset
INSERT INTO transactions (id, type, asset_id, amount, from_wallet_id, to_wallet_id, from_user_id, to_user_id, created_at) VALUES (gen_random_uuid(), 'TRANSFER', :asset, 1, :a, :b, :from_user, :to_user, now()) RETURNING id AS tx_id \\gset
INSERT INTO ledger_entries (transaction_id, wallet_id, direction, amount, balance_after, created_at) VALUES (:tx_id, :a, 'DEBIT', 1, :from_after, now()), (:tx_id, :b, 'CREDIT', 1, :to_after, now());
COMMIT;
`;

function findPgbench() {
  const found = spawnSync('sh', ['-c', 'command -v pgbench'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
}

/**
 * pgbench's per-transaction log (`--log`, one file per thread: `<prefix>.<pid>[.<thread>]`),
 * each line `client transaction latency_us script epoch_s epoch_us`: its latency percentiles.
 */
function pgbenchLatencies(workDir, prefix) {
  const latenciesMs = [];
  for (const file of fs.readdirSync(workDir).filter((f) => f.startsWith(`${prefix}.`))) {
    for (const line of fs.readFileSync(path.join(workDir, file), 'utf8').split('\n')) {
      const fields = line.split(' ');
      if (fields.length >= 6) latenciesMs.push(Number(fields[2]) / 1000);
    }
  }
  return percentiles(latenciesMs);
}

/** Runs pgbench; resolves with its tps, average latency and (from its log) p50/p99/max. */
function runPgbench({ pgbench, url, workDir, connections, threads, durationS, wallets, assetId }) {
  const scriptFile = path.join(workDir, 'transfer.pgbench.sql');
  fs.writeFileSync(scriptFile, PGBENCH_SCRIPT);
  const logPrefix = 'pgbench_tx';
  const args = [
    '--no-vacuum',
    '--protocol=prepared',
    `--client=${connections}`,
    `--jobs=${threads}`,
    `--time=${durationS}`,
    `--file=${scriptFile}`,
    '--log',
    `--log-prefix=${path.join(workDir, logPrefix)}`,
    '-D', `wmin=${wallets.min}`,
    '-D', `wmax=${wallets.max}`,
    '-D', `wcount=${wallets.max - wallets.min + 1}`,
    '-D', `asset=${assetId}`,
    url,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(pgbench, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      fs.writeFileSync(path.join(workDir, 'pgbench.log'), out);
      const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out);
      const latency = /latency average = ([\d.]+) ms/.exec(out);
      const failed = /number of failed transactions: (\d+)/.exec(out);
      if (code !== 0 || tps === null) return reject(new Error(`pgbench failed (exit ${code}):\n${out.slice(-2000)}`));
      const { p50Ms, p99Ms, maxMs } = pgbenchLatencies(workDir, logPrefix);
      resolve({
        tool: 'pgbench',
        tps: Number(tps[1]),
        latencyAvgMs: latency ? Number(latency[1]) : null,
        p50Ms,
        p99Ms,
        maxMs,
        failed: failed ? Number(failed[1]) : 0,
        command: `pgbench ${args.slice(0, -1).join(' ')} <url>`,
      });
    });
  });
}

/** The same script over plain `pg` connections, for machines without pgbench. */
async function runNodeBaseline({ url, connections, durationS, wallets, assetId }) {
  const count = wallets.max - wallets.min + 1;
  const clients = await Promise.all(
    Array.from({ length: connections }, async () => {
      const client = new Client({ connectionString: url });
      await client.connect();
      return client;
    }),
  );
  const deadline = Date.now() + durationS * 1000;
  const latenciesMs = [];
  const loop = async (client) => {
    while (Date.now() < deadline) {
      const started = performance.now();
      const a = wallets.min + randomInt(count);
      const b = wallets.min + ((a - wallets.min + 1 + randomInt(count - 1)) % count);
      await client.query('BEGIN');
      await client.query({
        name: 'claim',
        text: `INSERT INTO idempotency_keys (user_id, key, request_hash) SELECT user_id, 'baseline-' || gen_random_uuid(), 'baseline' FROM wallets WHERE id = $1 ON CONFLICT DO NOTHING RETURNING created_at`,
        values: [a],
      });
      await client.query({ name: 'lock', text: 'SELECT id, kind, user_id, balance FROM wallets WHERE id IN ($1, $2) ORDER BY id FOR UPDATE', values: [a, b] });
      const update = 'UPDATE wallets SET balance = balance + $2, version = version + 1, updated_at = now() WHERE id = $1 RETURNING balance, user_id';
      const from = (await client.query({ name: 'update', text: update, values: [a, -1] })).rows[0];
      const to = (await client.query({ name: 'update', text: update, values: [b, 1] })).rows[0];
      const tx = await client.query({
        name: 'tx',
        text: `INSERT INTO transactions (id, type, asset_id, amount, from_wallet_id, to_wallet_id, from_user_id, to_user_id, created_at) VALUES (gen_random_uuid(), 'TRANSFER', $1, 1, $2, $3, $4, $5, now()) RETURNING id`,
        values: [assetId, a, b, from.user_id, to.user_id],
      });
      await client.query({
        name: 'entries',
        text: `INSERT INTO ledger_entries (transaction_id, wallet_id, direction, amount, balance_after, created_at) VALUES ($1, $2, 'DEBIT', 1, $3, now()), ($1, $4, 'CREDIT', 1, $5, now())`,
        values: [tx.rows[0].id, a, from.balance, b, to.balance],
      });
      await client.query('COMMIT');
      latenciesMs.push(performance.now() - started);
    }
  };
  const started = Date.now();
  await Promise.all(clients.map(loop));
  const elapsedS = (Date.now() - started) / 1000;
  await Promise.all(clients.map((c) => c.end()));
  const { p50Ms, p99Ms, maxMs, meanMs } = percentiles(latenciesMs);
  return { tool: 'node-pg', tps: latenciesMs.length / elapsedS, latencyAvgMs: meanMs, p50Ms, p99Ms, maxMs, failed: 0, command: 'bench/lib/baseline.js runNodeBaseline' };
}

module.exports = { PGBENCH_SCRIPT, findPgbench, runPgbench, runNodeBaseline };
