'use strict';
const autocannon = require('autocannon');
const { cpuMsOf, descendantsOf, machineBusyMs, processTable } = require('./util');

/**
 * CPU used by each party during a measurement, in % of one core (the machine has
 * os.cpus().length of them): the service's Node process, PostgreSQL (all its processes),
 * this bench process with its exited children (autocannon runs here; pgbench is a child),
 * and everything else on the machine (`other`: other people's work, the kernel).
 */
function cpuMeter({ servicePid, embedded }) {
  const pgPids = () =>
    embedded ? descendantsOf(servicePid) : processTable().filter((p) => p.comm === 'postgres').map((p) => p.pid);
  const snapshot = () => ({
    at: performance.now(),
    service: cpuMsOf(servicePid),
    pg: new Map(pgPids().map((pid) => [pid, cpuMsOf(pid)])),
    bench: cpuMsOf(process.pid),
    machine: machineBusyMs(),
  });
  const start = snapshot();
  return {
    stop() {
      const end = snapshot();
      const wallMs = end.at - start.at;
      const pct = (ms) => Math.round((ms / wallMs) * 100);
      let pgMs = 0;
      for (const [pid, ms] of end.pg) if (ms !== null) pgMs += ms - (start.pg.get(pid) ?? 0);
      const service = end.service - start.service;
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
async function runLoad({ url, connections, durationS, method, path, build, meter }) {
  const samples = [];
  const cpu = meter?.();
  const result = await autocannon({
    url,
    connections,
    duration: durationS,
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

module.exports = { cpuMeter, runLoad };
