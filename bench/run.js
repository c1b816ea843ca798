'use strict';
/**
 * `npm run bench`: the wallet service's own benchmark (GitHub issue 5). Starts the built
 * service on a fresh database, seeds users and balances, measures the database's own limit
 * with pgbench, then each HTTP scenario, and prints one table (bench/results/latest.json).
 * See docs/benchmarks.md.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');
const jwt = require('jsonwebtoken');
const { runPgbench, runNodeBaseline, findPgbench } = require('./lib/baseline');
const db = require('./lib/database');
const { cpuMeter, windows } = require('./lib/load');
const { printTable, targetsOf } = require('./lib/report');
const { scenarios, historyDepth, statementDepth, batch, jsonHeaders, ASSET } = require('./lib/scenarios');
const { startService, stopOrphanedPostgres, ROOT } = require('./lib/service');
const { freePort } = require('./lib/util');

const ALL_SCENARIOS = ['transfers-spread', 'transfers-open-loop', 'top-ups-hot', 'spends-hot', 'reads', 'history-depth', 'statement-depth', 'batch-100k'];
const JWT_SECRET = 'bench-only-secret-0123456789abcdef0123456789abcdef';
const ADMIN = { email: 'bench-admin@bench.local', password: 'bench-admin-password' };
const FUNDING = 1_000_000_000;
/** Service settings recorded in results.json when they come from the bench's own environment. */
const RECORDED_ENV = ['DB_POOL_SIZE', 'SYSTEM_WALLET_SHARDS', 'BATCH_CHUNK_ROWS', 'GROUP_COMMIT_MAX_SIZE', 'GROUP_COMMIT_MAX_WAIT_US', 'WEB_CONCURRENCY'];
/** Limits on `--service-env`: a handful of NAME=value settings, not a way to ship a config file. */
const SERVICE_ENV_ENTRIES_MAX = 32;
const SERVICE_ENV_VALUE_CHARS_MAX = 1_024;

function options() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '15' },
      connections: { type: 'string', default: '64' },
      scenario: { type: 'string', default: ALL_SCENARIOS.join(',') },
      warmup: { type: 'string', default: '5' },
      users: { type: 'string', default: '1000' },
      'history-entries': { type: 'string', default: '1000000' },
      'batch-rows': { type: 'string', default: '100000' },
      'batch-timeout': { type: 'string', default: '180' },
      baseline: { type: 'string', default: 'auto' },
      profile: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      'service-root': { type: 'string', default: ROOT },
      'service-env': { type: 'string', default: '' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      `npm run bench -- [--duration 15] [--connections 64] [--scenario ${ALL_SCENARIOS.join(',')}]\n` +
        '  [--warmup 5] [--users 1000] [--history-entries 1000000] [--batch-rows 100000] [--batch-timeout 180]\n' +
        '  [--baseline auto|pgbench|node] [--profile] [--keep] [--service-root <another built checkout, for A/B runs>]\n' +
        '  [--service-env NAME=value,NAME=value (e.g. GROUP_COMMIT_MAX_SIZE=0,WEB_CONCURRENCY=2)]\n' +
        'Service settings also come from the environment (e.g. DB_POOL_SIZE=8 npm run bench); --service-env wins;\n' +
        'both are recorded in results.json (serviceEnv). DATABASE_URL picks the server.\n',
    );
    process.exit(0);
  }
  const selected = values.scenario.split(',').map((s) => s.trim());
  for (const name of selected) if (!ALL_SCENARIOS.includes(name)) throw new Error(`unknown scenario "${name}" (one of ${ALL_SCENARIOS.join(', ')})`);
  return {
    durationS: Number(values.duration),
    connections: Number(values.connections),
    warmupS: Number(values.warmup),
    selected,
    users: Number(values.users),
    historyEntries: Number(values['history-entries']),
    batchRows: Number(values['batch-rows']),
    batchTimeoutS: Number(values['batch-timeout']),
    baseline: values.baseline,
    profile: values.profile,
    keep: values.keep,
    serviceRoot: path.resolve(values['service-root']),
    serviceEnv: parseServiceEnv(values['service-env']),
  };
}

/** `--service-env A=1,B=2` → { A: '1', B: '2' }; refuses anything that is not NAME=value. */
function parseServiceEnv(text) {
  const entries = text === '' ? [] : text.split(',');
  if (entries.length > SERVICE_ENV_ENTRIES_MAX) throw new Error(`--service-env: at most ${SERVICE_ENV_ENTRIES_MAX} settings`);
  const env = {};
  for (const entry of entries) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(entry.trim());
    if (match === null || match[2].length > SERVICE_ENV_VALUE_CHARS_MAX) throw new Error(`--service-env: "${entry}" is not NAME=value`);
    env[match[1]] = match[2];
  }
  return env;
}

const log = (message) => process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

async function api(ctx, method, route, { token, body, key } = {}) {
  const response = await fetch(`${ctx.url}/api/v1${route}`, {
    method,
    headers: jsonHeaders(token, key),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** The database: a fresh one on DATABASE_URL's server, else a fresh embedded PostgreSQL. */
async function prepareDatabase(workDir) {
  if (process.env.DATABASE_URL) {
    const fresh = await db.createFreshDatabase(process.env.DATABASE_URL);
    return { kind: `PostgreSQL at DATABASE_URL, database ${fresh.name}`, url: fresh.url, serviceUrl: fresh.url, embedded: false, cleanUp: fresh.drop };
  }
  const dataDir = path.join(workDir, 'pg');
  const port = await freePort();
  return {
    kind: `embedded PostgreSQL (port ${port})`,
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    serviceUrl: null,
    embedded: true,
    dataDir,
    port,
    cleanUp: async () => {
      await stopOrphanedPostgres(dataDir);
    },
  };
}

function sign(user, role = 'user') {
  return jwt.sign({ sub: user.id, email: user.email, role, ver: 0 }, JWT_SECRET, { algorithm: 'HS256', expiresIn: 6 * 3600 });
}

/** Runs `work(item)` over `items`, `concurrency` at a time. */
async function pool(items, concurrency, work) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

async function topUp(ctx, user, amount) {
  const result = await api(ctx, 'POST', '/top-ups', {
    token: ctx.adminToken,
    key: `bench-${ctx.runId}-fund-${user.id}`,
    body: { userId: user.id, amount, asset: ASSET },
  });
  if (result.status !== 201) throw new Error(`funding top-up answered ${result.status}: ${JSON.stringify(result.body)}`);
}

/**
 * Users through SQL (one registered through the API lends its password hash), tokens signed
 * with the service's secret, balances through the API's admin top-ups.
 */
async function seed(ctx, opts) {
  const login = await api(ctx, 'POST', '/auth/login', { body: ADMIN });
  if (login.status !== 200) throw new Error(`admin login answered ${login.status}`);
  ctx.adminToken = login.body.accessToken;
  const registered = await api(ctx, 'POST', '/auth/register', { body: { email: 'bench-template@bench.local', password: 'bench-password', name: 'Template' } });
  if (registered.status !== 201) throw new Error(`register answered ${registered.status}: ${JSON.stringify(registered.body)}`);
  await db.onDatabase(ctx.dbUrl, async (client) => {
    const { rows } = await client.query(`SELECT u.password_hash, a.id AS asset_id FROM users u, assets a WHERE u.email = $1 AND a.code = $2`, [
      'bench-template@bench.local',
      ASSET,
    ]);
    ctx.assetId = rows[0].asset_id;
    const hash = rows[0].password_hash;
    const main = await db.seedUsers(client, { count: opts.users, passwordHash: hash, assetId: ctx.assetId, prefix: 'bench' });
    ctx.users = main.users.map((u) => ({ ...u, token: sign(u) }));
    ctx.wallets = { min: main.walletMin, max: main.walletMax };
    const [payer] = (await db.seedUsers(client, { count: 1, passwordHash: hash, assetId: ctx.assetId, prefix: 'payer' })).users;
    const [history] = (await db.seedUsers(client, { count: 1, passwordHash: hash, assetId: ctx.assetId, prefix: 'history' })).users;
    ctx.payer = { ...payer, token: sign(payer) };
    ctx.history = { ...history, token: sign(history) };
  });
  const me = await api(ctx, 'GET', '/users/me', { token: ctx.users[0].token });
  if (me.status !== 200 || me.body.id !== ctx.users[0].id) throw new Error(`a bench-signed token was refused (${me.status})`);
  const started = Date.now();
  await pool([...ctx.users, ctx.payer], 32, (user) => topUp(ctx, user, FUNDING));
  await topUp(ctx, ctx.history, 1);
  log(`seeded ${ctx.users.length} users and funded them through ${ctx.users.length + 2} API top-ups in ${Date.now() - started} ms`);
}

async function seedHistory(ctx, opts) {
  const started = Date.now();
  await db.onDatabase(ctx.dbUrl, async (client) => {
    await db.seedHistory(client, { walletId: ctx.history.walletId, userId: ctx.history.id, assetId: ctx.assetId, entriesTotal: opts.historyEntries });
    const entries = await db.verifyHistory(client, ctx.history.walletId);
    const { rows } = await client.query('SELECT id FROM ledger_entries WHERE wallet_id = $1 ORDER BY id ASC OFFSET 24 LIMIT 1', [ctx.history.walletId]);
    ctx.history.deepBeforeId = rows[0].id;
    const middle = await client.query(
      `SELECT to_char(date_trunc('day', created_at, 'UTC') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS day
         FROM ledger_entries WHERE wallet_id = $1 ORDER BY id OFFSET $2 LIMIT 1`,
      [ctx.history.walletId, Math.floor(entries / 2)],
    );
    ctx.history.statementDay = middle.rows[0].day;
    log(`seeded a wallet with ${entries} entries in ${Date.now() - started} ms`);
  });
}

async function baseline(ctx, opts, workDir) {
  const pgbench = opts.baseline === 'node' ? null : findPgbench();
  if (opts.baseline === 'pgbench' && pgbench === null) throw new Error('--baseline pgbench: pgbench is not on PATH');
  const meter = ctx.meter();
  const common = { url: ctx.dbUrl, connections: opts.connections, durationS: opts.durationS, wallets: ctx.wallets, assetId: ctx.assetId };
  const why = opts.baseline === 'node' ? '--baseline node' : 'pgbench is not on PATH';
  log(pgbench ? `baseline: pgbench (${pgbench}), ${opts.connections} clients, 2 threads, ${opts.durationS} s` : `baseline: raw-SQL Node client over pg (${why})`);
  const result = pgbench
    ? await runPgbench({ ...common, pgbench, workDir, threads: 2 })
    : await runNodeBaseline(common);
  return { ...result, cpuPct: meter.stop() };
}

async function measure(ctx, opts, name) {
  const warmupS = Math.min(opts.warmupS, Math.max(1, Math.floor(opts.durationS / 3)));
  const rate = name === 'transfers-open-loop' ? ` at ${ctx.openLoopRate} requests/s (half of the baseline's tps)` : '';
  log(`${name}: warm-up ${warmupS} s, then ${opts.durationS} s at ${opts.connections} connections${rate}`);
  ctx.window = null;
  await scenarios[name](ctx, warmupS);
  ctx.window = name;
  const result = await scenarios[name](ctx, opts.durationS);
  ctx.window = null;
  if (result.non2xx > 0 || result.errors > 0) log(`  ${name}: ${result.non2xx} non-2xx, ${result.errors} errors; first: ${JSON.stringify(result.failures.slice(0, 2))}`);
  return result;
}

async function reconcile(ctx) {
  const started = Date.now();
  const result = await api(ctx, 'GET', '/admin/reconciliation', { token: ctx.adminToken });
  const ok = result.status === 200 && result.body.ok === true;
  log(`reconciliation: ${ok ? 'ok' : `FAILED ${JSON.stringify(result.body).slice(0, 500)}`} (${Date.now() - started} ms)`);
  return { ok, status: result.status, transactions: result.body?.transactions, problems: result.body?.problems?.slice(0, 5) };
}

function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

async function runScenarios(ctx, opts, workDir, results) {
  const wants = (name) => opts.selected.includes(name);
  // Every figure of DESIGN.md but history and statements is a ratio to the baseline.
  const needsBaseline = ['transfers-spread', 'transfers-open-loop', 'top-ups-hot', 'spends-hot', 'reads', 'batch-100k'].some(wants);
  if (wants('history-depth') || wants('statement-depth')) await seedHistory(ctx, opts);
  if (needsBaseline) results.baseline = await baseline(ctx, opts, workDir);
  if (results.baseline) ctx.openLoopRate = Math.max(1, Math.round(results.baseline.tps / 2));
  for (const name of ['transfers-spread', 'transfers-open-loop', 'top-ups-hot', 'spends-hot']) {
    if (wants(name)) results.scenarios[name] = await measure(ctx, opts, name);
  }
  if (results.scenarios['transfers-open-loop']) results.scenarios['transfers-open-loop'].rate = ctx.openLoopRate;
  if (wants('reads')) {
    const half = { ...opts, durationS: Math.max(1, Math.round(opts.durationS / 2)) };
    results.scenarios['reads-wallets'] = await measure(ctx, half, 'reads-wallets');
    results.scenarios['reads-history'] = await measure(ctx, half, 'reads-history');
  }
  if (wants('history-depth')) {
    log('history-depth: page 1 vs a page near the end, sequential requests on one connection');
    results.scenarios['history-depth'] = await historyDepth(ctx, { walletId: ctx.history.walletId, token: ctx.history.token, deepBeforeId: ctx.history.deepBeforeId, requests: 300 });
  }
  if (wants('statement-depth')) {
    log(`statement-depth: page 1 vs the one-day statement of ${ctx.history.statementDay}, sequential requests on one connection`);
    results.scenarios['statement-depth'] = await statementDepth(ctx, { walletId: ctx.history.walletId, token: ctx.history.token, day: ctx.history.statementDay, requests: 300 });
  }
  if (wants('batch-100k')) {
    log(`batch-100k: ${opts.batchRows} rows to ${ctx.users.length} recipients`);
    results.scenarios['batch-100k'] = await batch(ctx, { payerToken: ctx.payer.token, rows: opts.batchRows, timeoutS: opts.batchTimeoutS });
  }
}

async function main() {
  const opts = options();
  const runId = Date.now().toString(36);
  const resultsDir = path.join(ROOT, 'bench', 'results');
  const workDir = path.join(resultsDir, `run-${runId}`);
  fs.mkdirSync(workDir, { recursive: true });
  const database = await prepareDatabase(workDir);
  const results = { runId, startedAt: new Date().toISOString(), machine: machine(), database: database.kind, options: opts, serviceEnv: {}, scenarios: {} };
  for (const name of RECORDED_ENV) if (process.env[name]) results.serviceEnv[name] = process.env[name];
  Object.assign(results.serviceEnv, opts.serviceEnv);
  log(`database: ${database.kind}; work dir ${path.relative(ROOT, workDir)}`);
  if (opts.serviceRoot !== ROOT) log(`service from ${opts.serviceRoot}`);
  let service = null;
  try {
    service = await startService({
      root: opts.serviceRoot,
      port: await freePort(),
      databaseUrl: database.serviceUrl,
      embeddedDir: database.dataDir,
      embeddedPort: database.port,
      logFile: path.join(workDir, 'service.log'),
      cpuProfileDir: opts.profile ? workDir : null,
      env: { ...opts.serviceEnv, JWT_SECRET, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, BATCH_WORKER_ENABLED: 'true' },
    });
    log(`service pid ${service.pid} at ${service.url}`);
    const ctx = {
      runId,
      url: service.url,
      dbUrl: database.url,
      servicePid: service.pid,
      options: opts,
      meter: () => cpuMeter({ servicePid: service.pid, embedded: database.embedded }),
    };
    await seed(ctx, opts);
    await runScenarios(ctx, opts, workDir, results);
    results.reconciliation = await reconcile(ctx);
  } finally {
    if (service !== null) await service.stop();
    await database.cleanUp().catch((error) => log(`clean-up failed: ${error.message}`));
    if (!opts.keep && database.dataDir) fs.rmSync(database.dataDir, { recursive: true, force: true });
  }
  results.finishedAt = new Date().toISOString();
  results.targets = targetsOf(results);
  const json = `${JSON.stringify(results, null, 2)}\n`;
  fs.writeFileSync(path.join(resultsDir, 'latest.json'), json);
  fs.writeFileSync(path.join(workDir, 'results.json'), json);
  printTable(results, (line) => process.stdout.write(`${line}\n`));
  if (opts.profile) {
    // Where each measured scenario lies on the profiles' clock, for `profile-summary.js --window`.
    fs.writeFileSync(path.join(workDir, 'profile-windows.json'), `${JSON.stringify(windows, null, 2)}\n`);
    log(`CPU profile in ${path.relative(ROOT, workDir)}: node bench/profile-summary.js --window transfers-spread ${path.relative(ROOT, workDir)}/*.cpuprofile`);
  }
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error.stack ?? error}\n`);
  process.exit(1);
});
