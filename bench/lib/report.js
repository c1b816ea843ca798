'use strict';

/** The targets of DESIGN.md "Numbers it is measured by" (its table, in its order), checked against one run's results. */
function targetsOf(results) {
  const baseline = results.baseline;
  const base = baseline?.tps;
  const s = results.scenarios;
  const targets = [];
  const transfers = s['transfers-spread'];
  if (transfers && base) {
    targets.push({ name: 'transfers-spread ≥ 1.0 × pgbench', value: round(transfers.rps / base), met: transfers.rps >= base });
    const byCost = costRatio(results, transfers);
    if (byCost !== null) targets.push({ name: 'transfers-spread ≥ 1.0 × pgbench, by CPU cost (informative)', value: byCost, met: byCost >= 1 });
  }
  if (transfers) targets.push({ name: 'transfers-spread zero non-2xx', value: transfers.non2xx + transfers.errors, met: transfers.non2xx + transfers.errors === 0 });
  for (const hot of ['top-ups-hot', 'spends-hot']) {
    // No CPU-cost variant here: a hot row costs waiting, not CPU, so only throughput shows it.
    if (s[hot] && transfers) targets.push({ name: `${hot} ≥ 1.0 × transfers-spread`, value: round(s[hot].rps / transfers.rps), met: s[hot].rps >= transfers.rps });
  }
  const reads = s['reads-wallets'];
  if (reads && base) targets.push({ name: 'reads (GET /wallets) ≥ 2.5 × pgbench', value: round(reads.rps / base), met: reads.rps >= 2.5 * base });
  if (transfers && baseline?.p99Ms) {
    targets.push({ name: `closed loop: transfers-spread p99 ≤ pgbench p99 (${baseline.p99Ms} ms)`, value: transfers.p99Ms, met: transfers.p99Ms <= baseline.p99Ms });
  }
  const open = s['transfers-open-loop'];
  if (open) {
    const atRate = `at ${open.rate}/s`;
    targets.push({ name: `open loop ${atRate}: transfers p99 ≤ 25 ms`, value: open.p99Ms, met: open.p99Ms <= 25 && open.non2xx + open.errors === 0 });
  }
  const batch = s['batch-100k'];
  if (batch && !batch.skipped && base) {
    targets.push({ name: 'batch-100k rows/s ≥ 5 × pgbench tps', value: round(batch.rowsPerS / base), met: !batch.timedOut && batch.rowsPerS >= 5 * base });
  }
  const history = s['history-depth'];
  if (history && !history.skipped) targets.push({ name: 'history-depth deep page ≤ 1.5 × page 1', value: history.ratio, met: history.ratio <= 1.5 });
  const statement = s['statement-depth'];
  if (statement && !statement.skipped) targets.push({ name: 'statement-depth one-day statement ≤ 1.5 × page 1', value: statement.ratio, met: statement.ratio <= 1.5 });
  if (results.reconciliation) targets.push({ name: 'ledger reconciles after the run', value: results.reconciliation.ok, met: results.reconciliation.ok });
  return targets;
}

/** Total CPU (service + PostgreSQL + load generator) per successful request or transaction, in ms. */
function costMs(r, rate) {
  if (!r?.cpuPct || !rate) return null;
  return ((r.cpuPct.service + r.cpuPct.postgres + r.cpuPct.bench) * 10) / rate;
}

/**
 * The same comparison as `× base`, made from CPU cost instead of throughput: how many
 * requests the machine's cores would carry per pgbench transaction if nothing else ran.
 * Other people's work on a shared machine moves throughput a lot and CPU cost much less.
 */
function costRatio(results, r) {
  const base = costMs(results.baseline, results.baseline?.tps);
  const own = costMs(r, r?.rps);
  return base && own ? round(base / own) : null;
}

/** Measurements during which something else used more than a quarter of a core. */
function disturbed(results) {
  const all = [['baseline', results.baseline], ...Object.entries(results.scenarios)];
  return all.filter(([, r]) => (r?.cpuPct?.other ?? 0) > 25).map(([name, r]) => `${name} (${r.cpuPct.other}%)`);
}

function round(value, digits = 2) {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function pad(cells, widths) {
  return cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
}

function cpu(pct) {
  return pct ? `${pct.service}/${pct.postgres}/${pct.bench}/${pct.other}` : '';
}

/** CPU time per successful request, in ms: less sensitive to a busy machine than throughput. */
function perRequest(r) {
  if (!r.cpuPct || r.rps === 0) return '';
  return `${((r.cpuPct.service * 10) / r.rps).toFixed(2)}/${((r.cpuPct.postgres * 10) / r.rps).toFixed(2)}`;
}

function loadRows(results) {
  const base = results.baseline?.tps;
  const transfers = results.scenarios['transfers-spread'];
  const rows = [];
  if (results.baseline) {
    const b = results.baseline;
    // p50/p99/max from pgbench's per-transaction log; the average when there is no log.
    const p50 = b.p50Ms ?? (b.latencyAvgMs ? `avg ${b.latencyAvgMs.toFixed(1)}` : '');
    rows.push([`baseline (${b.tool})`, b.tps.toFixed(0), p50, b.p99Ms ?? '', b.maxMs ?? '', b.failed, '1.00', '1.00', '', cpu(b.cpuPct), perRequest({ ...b, rps: b.tps })]);
  }
  for (const name of ['transfers-spread', 'transfers-open-loop', 'top-ups-hot', 'spends-hot', 'reads-wallets', 'reads-history']) {
    const r = results.scenarios[name];
    if (!r) continue;
    const vsTransfers = ['top-ups-hot', 'spends-hot'].includes(name) && transfers ? round(r.rps / transfers.rps).toFixed(2) : '';
    // The open loop's throughput is its fixed rate: no ratio to the baseline's says anything.
    const closed = name !== 'transfers-open-loop';
    const vsBase = base && closed ? round(r.rps / base).toFixed(2) : '';
    const byCost = base && closed ? (costRatio(results, r)?.toFixed(2) ?? '') : '';
    const label = closed ? name : `${name} @${r.rate}/s`;
    rows.push([label, r.rps.toFixed(0), r.p50Ms, r.p99Ms, r.maxMs, r.non2xx + r.errors, vsBase, byCost, vsTransfers, cpu(r.cpuPct), perRequest(r)]);
  }
  return rows;
}

/** The run as a plain-text table (also pasted into docs/benchmarks.md). */
function printTable(results, out) {
  const m = results.machine;
  out('');
  out(`Wallet service benchmark — ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}; ${results.database}`);
  out(`${results.options.connections} connections, ${results.options.durationS} s per scenario; load average at start ${m.loadAverageAtStart.join(' ')}`);
  if (Object.keys(results.serviceEnv).length > 0) out(`service env: ${JSON.stringify(results.serviceEnv)}`);
  out('');
  const header = ['scenario', '2xx/s', 'p50 ms', 'p99 ms', 'max ms', 'non-2xx', '× base', '× base by CPU', '× transfers', 'CPU% svc/pg/bench/other', 'CPU ms/req svc/pg'];
  const rows = loadRows(results);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  out(pad(header, widths));
  out(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) out(pad(row, widths));
  const history = results.scenarios['history-depth'];
  if (history) {
    out('');
    if (history.skipped) out(`history-depth: skipped — ${history.skipped}`);
    else
      out(
        `history-depth (1M-entry wallet, ${history.requests} sequential GETs each): page 1 p50 ${history.firstPage.p50Ms} ms / p99 ${history.firstPage.p99Ms} ms; ` +
          `deep page p50 ${history.deepPage.p50Ms} ms / p99 ${history.deepPage.p99Ms} ms; deep ÷ first = ${history.ratio}`,
      );
  }
  const statement = results.scenarios['statement-depth'];
  if (statement) {
    if (statement.skipped) out(`statement-depth: skipped — ${statement.skipped}`);
    else
      out(
        `statement-depth (1M-entry wallet, one day = ${statement.entriesInDay} entries, ${statement.requests} sequential GETs each): page 1 p50 ${statement.firstPage.p50Ms} ms / p99 ${statement.firstPage.p99Ms} ms; ` +
          `statement p50 ${statement.statement.p50Ms} ms / p99 ${statement.statement.p99Ms} ms; statement ÷ page 1 = ${statement.ratio}; ` +
          `the day as CSV p50 ${statement.statementCsv.p50Ms} ms (informative)`,
      );
  }
  const batch = results.scenarios['batch-100k'];
  if (batch) {
    const base = results.baseline?.tps;
    if (batch.skipped) out(`batch-100k: skipped — ${batch.skipped}`);
    else
      out(
        `batch-100k: ${batch.processed}/${batch.rows} rows ${batch.status}${batch.timedOut ? ' (TIMED OUT)' : ''} in ${batch.elapsedS} s ` +
          `(upload ${batch.uploadMs} ms) = ${batch.rowsPerS} rows/s${base ? ` (${round(batch.rowsPerS / base)} × pgbench tps)` : ''}; succeeded ${batch.succeeded}, failed ${batch.failed}; ` +
          `service RSS ${batch.rssBeforeMiB} → peak ${batch.rssPeakMiB} MiB; CPU% svc/pg/bench/other ${cpu(batch.cpuPct)}`,
      );
  }
  const noisy = disturbed(results);
  if (noisy.length > 0) out(`WARNING: other processes used the CPU during ${noisy.join(', ')}: throughput ratios are unreliable; see "× base by CPU"`);
  out('');
  out('targets:');
  for (const t of results.targets) out(`  ${t.met ? 'MET   ' : 'MISSED'}  ${t.name}: ${t.value}`);
  out('');
}

module.exports = { targetsOf, printTable };
