'use strict';
const autocannon = require('autocannon');
const { cpuMsOf, descendantsOf, machineBusyMs, processTable } = require('./util');

/** The measured part of each load scenario, on the clock V8's CPU profiles use (CLOCK_MONOTONIC, µs). */
const windows = [];
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/**
 * CPU used by each party during a measurement, in % of one core (the machine has
 * os.cpus().length of them): the service's Node processes (with WEB_CONCURRENCY > 1 the
 * cluster's primary and its workers), PostgreSQL (all its processes), this bench process
 * with its exited children (autocannon runs here; pgbench is a child), and everything else
 * on the machine (`other`: other people's work, the kernel).
 */
function cpuMeter({ servicePid, embedded }) {
  const pids = () => {
    // The embedded PostgreSQL is the service's child (the cluster primary's, with workers).
    const below = descendantsOf(servicePid);
    const pg = embedded ? below.filter((p) => p.comm === 'postgres') : processTable().filter((p) => p.comm === 'postgres');
    return { service: [{ pid: servicePid }, ...below.filter((p) => p.comm !== 'postgres')], pg };
  };
  const cpuOf = (list) => new Map(list.map(({ pid }) => [pid, cpuMsOf(pid)]));
  const snapshot = () => {
    const { service, pg } = pids();
    return { at: performance.now(), service: cpuOf(service), pg: cpuOf(pg), bench: cpuMsOf(process.pid), machine: machineBusyMs() };
  };
  const spent = (end, start) => {
    let ms = 0;
    for (const [pid, value] of end) if (value !== null) ms += value - (start.get(pid) ?? 0);
    return ms;
  };
  const start = snapshot();
  return {
    stop() {
      const end = snapshot();
      const wallMs = end.at - start.at;
      const pct = (ms) => Math.round((ms / wallMs) * 100);
      const pgMs = spent(end.pg, start.pg);
      const service = spent(end.service, start.service);
      const bench = end.bench - start.bench;
      const other = end.machine - start.machine - service - pgMs - bench;
      return { service: pct(service), postgres: pct(pgMs), bench: pct(bench), other: Math.max(0, pct(other)) };
    },
  };
}

/**
 * Runs autocannon against one endpoint. `build(request)` fills in headers and body per
 * request (each with its own Idempotency-Key where needed).
 */
async function runLoad({ url, connections, durationS, method, path, build, meter, overallRate, window }) {
  const samples = [];
  const cpu = meter?.();
  const fromUs = monotonicUs();
  const result = await autocannon({
    url,
    connections,
    duration: durationS,
    // Open loop: requests start at this rate whatever the answers do (0: closed loop).
    ...(overallRate ? { overallRate } : {}),
    requests: [
      {
        method,
        path,
        setupRequest: (request) => build(request),
        onResponse: (status, body) => {
          if ((status < 200 || status > 299) && samples.length < 5) samples.push({ status, body: String(body).slice(0, 300) });
        },
      },
    ],
  });
  const cpuPct = cpu?.stop() ?? null;
  if (window) windows.push({ name: window, fromUs, toUs: monotonicUs(), requests: result['2xx'] });
  const seconds = result.duration;
  return {
    rps: result['2xx'] / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    durationS: seconds,
    cpuPct,
    failures: samples,
  };
}

module.exports = { cpuMeter, runLoad, windows };
