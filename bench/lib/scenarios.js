'use strict';
const { runLoad } = require('./load');
const { randomInt, rssBytesOf, sleep } = require('./util');

const ASSET = 'GOLD_COINS';

/**
 * The HTTP scenarios. `ctx` holds the service url, the seeded users with their tokens, the
 * admin token, options and a CPU meter factory.
 */
function jsonHeaders(token, key) {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  if (key !== undefined) headers['idempotency-key'] = key;
  return headers;
}

function keyMaker(runId, scenario) {
  let seq = 0;
  return () => `bench-${runId}-${scenario}-${++seq}`;
}

/** `ctx.window` names the measured run (for the CPU profile's windows); warm-ups leave it unset. */
function load(ctx, { path, method = 'POST', build, durationS = ctx.options.durationS, connections = ctx.options.connections, overallRate }) {
  return runLoad({ url: ctx.url, connections, durationS, method, path, build, meter: ctx.meter, overallRate, window: ctx.window });
}

/** POST /transfers from a random user to another random user, amount 1, a new key each. */
function transfers(ctx, durationS, scenario, overallRate) {
  const next = keyMaker(ctx.runId, `${scenario}-${durationS}`);
  const { users } = ctx;
  return load(ctx, {
    path: '/api/v1/transfers',
    durationS,
    overallRate,
    build: (request) => {
      const from = randomInt(users.length);
      const to = (from + 1 + randomInt(users.length - 1)) % users.length;
      request.headers = jsonHeaders(users[from].token, next());
      request.body = `{"toUserId":"${users[to].id}","amount":1,"asset":"${ASSET}"}`;
      return request;
    },
  });
}

const scenarios = {
  'transfers-spread': (ctx, durationS) => transfers(ctx, durationS, 'transfer'),

  /**
   * The same requests at a fixed arrival rate (half of the baseline's tps, `ctx.openLoopRate`)
   * on up to `--connections` connections: latency as a client sees it when the service is
   * not saturated. autocannon starts no request on a connection that is still waiting, so
   * the connections are many more than the rate needs (rate × p50 in flight).
   */
  'transfers-open-loop': (ctx, durationS) => transfers(ctx, durationS, 'open-loop', ctx.openLoopRate),

  'top-ups-hot': (ctx, durationS) => {
    const next = keyMaker(ctx.runId, `top-up-${durationS}`);
    const { users } = ctx;
    return load(ctx, {
      path: '/api/v1/top-ups',
      durationS,
      build: (request) => {
        request.headers = jsonHeaders(ctx.adminToken, next());
        request.body = `{"userId":"${users[randomInt(users.length)].id}","amount":1,"asset":"${ASSET}"}`;
        return request;
      },
    });
  },

  'spends-hot': (ctx, durationS) => {
    const next = keyMaker(ctx.runId, `spend-${durationS}`);
    const { users } = ctx;
    return load(ctx, {
      path: '/api/v1/spends',
      durationS,
      build: (request) => {
        request.headers = jsonHeaders(users[randomInt(users.length)].token, next());
        request.body = `{"amount":1,"asset":"${ASSET}"}`;
        return request;
      },
    });
  },

  'reads-wallets': (ctx, durationS) =>
    load(ctx, {
      method: 'GET',
      path: '/api/v1/wallets',
      durationS,
      build: (request) => {
        request.headers = { authorization: `Bearer ${ctx.users[randomInt(ctx.users.length)].token}` };
        return request;
      },
    }),

  'reads-history': (ctx, durationS) =>
    load(ctx, {
      method: 'GET',
      path: '/api/v1/transactions?limit=20',
      durationS,
      build: (request) => {
        request.headers = { authorization: `Bearer ${ctx.users[randomInt(ctx.users.length)].token}` };
        return request;
      },
    }),
};

const hasItems = (body) => body.items.length > 0;

/** Latencies of `count` sequential GETs on one keep-alive connection, in ms; `valid` checks each answer. */
async function sequentialLatencies(url, token, count, { valid = hasItems, headers = {}, csv = false } = {}) {
  const latencies = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const response = await fetch(url, { headers: { ...headers, authorization: `Bearer ${token}` } });
    const body = csv ? await response.text() : await response.json();
    latencies.push(performance.now() - started);
    if (!response.ok || !valid(body)) throw new Error(`GET ${url} answered ${response.status}`);
  }
  return latencies;
}

function summarize(latencies) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const round = (v) => Math.round(v * 100) / 100;
  return { p50Ms: round(at(0.5)), p99Ms: round(at(0.99)), maxMs: round(sorted[sorted.length - 1]), meanMs: round(sorted.reduce((s, v) => s + v, 0) / sorted.length) };
}

/**
 * Page 1 of a 1,000,000-entry wallet vs a page near its oldest end. The deep cursor is built
 * the way the service builds it (base64url JSON of the list's name, then the last entry id),
 * after checking that page 1's `nextCursor` has exactly that shape.
 */
async function historyDepth(ctx, { walletId, token, deepBeforeId, requests }) {
  const base = `${ctx.url}/api/v1/wallets/${walletId}/entries?limit=20`;
  const first = await (await fetch(base, { headers: { authorization: `Bearer ${token}` } })).json();
  const decoded = JSON.parse(Buffer.from(first.nextCursor ?? '', 'base64url').toString('utf8') || 'null');
  const expected = Array.isArray(decoded) && decoded.length === 2 && decoded[1] === String(first.items[first.items.length - 1].id);
  if (!expected) return { skipped: `the entries cursor no longer has the shape the bench builds (${first.nextCursor})` };
  const deepUrl = `${base}&cursor=${Buffer.from(JSON.stringify([decoded[0], String(deepBeforeId)])).toString('base64url')}`;
  const deepPage = await (await fetch(deepUrl, { headers: { authorization: `Bearer ${token}` } })).json();
  if (deepPage.items.length !== 20 || deepPage.nextCursor === null) throw new Error('the deep page is not a full page near the end');
  const warm = Math.ceil(requests / 10);
  await sequentialLatencies(base, token, warm);
  await sequentialLatencies(deepUrl, token, warm);
  const firstPage = summarize(await sequentialLatencies(base, token, requests));
  const deep = summarize(await sequentialLatencies(deepUrl, token, requests));
  return { firstPage, deepPage: deep, ratio: Math.round((deep.p50Ms / firstPage.p50Ms) * 100) / 100, requests };
}

/**
 * A one-day statement of the 1,000,000-entry wallet (a day in the middle of its ~347 days,
 * 2,880 entries) vs page 1 of its history: the JSON totals (the target) and, for information,
 * the same day as CSV.
 */
async function statementDepth(ctx, { walletId, token, day, requests }) {
  const page1 = `${ctx.url}/api/v1/wallets/${walletId}/entries?limit=20`;
  const to = new Date(Date.parse(day) + 86_400_000).toISOString();
  const statementUrl = `${ctx.url}/api/v1/wallets/${walletId}/statement?from=${day}&to=${to}`;
  const probe = await fetch(statementUrl, { headers: { authorization: `Bearer ${token}` } });
  if (probe.status === 404) return { skipped: 'GET /wallets/:id/statement answered 404: this build has no statements yet' };
  const statement = await probe.json();
  if (!(statement.entryCount > 0)) throw new Error(`the one-day statement has no entries: ${JSON.stringify(statement)}`);
  const isStatement = (body) => body.entryCount === statement.entryCount;
  const isCsv = (body) => body.split('\n').length === statement.entryCount + 2;
  const csv = { headers: { accept: 'text/csv' }, valid: isCsv, csv: true };
  const warm = Math.ceil(requests / 10);
  await sequentialLatencies(page1, token, warm);
  await sequentialLatencies(statementUrl, token, warm, { valid: isStatement });
  await sequentialLatencies(statementUrl, token, warm, csv);
  const firstPage = summarize(await sequentialLatencies(page1, token, requests));
  const json = summarize(await sequentialLatencies(statementUrl, token, requests, { valid: isStatement }));
  const csvDay = summarize(await sequentialLatencies(statementUrl, token, Math.ceil(requests / 3), csv));
  return {
    firstPage,
    statement: json,
    statementCsv: csvDay,
    entriesInDay: statement.entryCount,
    ratio: Math.round((json.p50Ms / firstPage.p50Ms) * 100) / 100,
    requests,
  };
}

function batchCsv(users, rows) {
  const lines = ['recipient,amount,reference'];
  for (let i = 0; i < rows; i++) lines.push(`${users[i % users.length].id},1,bench-${i + 1}`);
  return `${lines.join('\n')}\n`;
}

/** Uploads a CSV batch and polls it to the end, sampling the service's peak RSS meanwhile. */
async function batch(ctx, { payerToken, rows, timeoutS }) {
  const csv = batchCsv(ctx.users, rows);
  const form = new FormData();
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'bench-100k.csv');
  form.append('asset', ASSET);
  const rssBefore = rssBytesOf(ctx.servicePid);
  let rssPeak = rssBefore;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssBytesOf(ctx.servicePid) ?? 0)), 100);
  const meter = ctx.meter();
  const started = performance.now();
  try {
    const response = await fetch(`${ctx.url}/api/v1/batches`, {
      method: 'POST',
      headers: { authorization: `Bearer ${payerToken}`, 'idempotency-key': `bench-${ctx.runId}-batch` },
      body: form,
    });
    if (response.status === 404) return { skipped: 'POST /api/v1/batches answered 404: this build has no Batches module yet' };
    const created = await response.json();
    if (response.status !== 202 && response.status !== 201) throw new Error(`POST /api/v1/batches answered ${response.status}: ${JSON.stringify(created)}`);
    const uploadMs = performance.now() - started;
    let state = created;
    const deadline = started + timeoutS * 1000;
    while (!String(state.status).startsWith('COMPLETED') && performance.now() < deadline) {
      await sleep(200);
      state = await (await fetch(`${ctx.url}/api/v1/batches/${created.id}`, { headers: { authorization: `Bearer ${payerToken}` } })).json();
    }
    const elapsedS = (performance.now() - started) / 1000;
    const done = String(state.status).startsWith('COMPLETED');
    const serverS = done && state.completedAt ? (Date.parse(state.completedAt) - Date.parse(state.createdAt)) / 1000 : null;
    return {
      status: state.status,
      timedOut: !done,
      rows,
      processed: state.processedCount,
      succeeded: state.succeededCount,
      failed: state.failedCount,
      uploadMs: Math.round(uploadMs),
      elapsedS: Math.round(elapsedS * 10) / 10,
      rowsPerS: Math.round(state.processedCount / elapsedS),
      serverRowsPerS: serverS ? Math.round(state.processedCount / serverS) : null,
      rssBeforeMiB: Math.round(rssBefore / 2 ** 20),
      rssPeakMiB: Math.round(rssPeak / 2 ** 20),
      cpuPct: meter.stop(),
    };
  } finally {
    clearInterval(sampler);
  }
}

module.exports = { scenarios, historyDepth, statementDepth, batch, jsonHeaders, ASSET };
