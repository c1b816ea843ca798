'use strict';
const net = require('node:net');
const fs = require('node:fs');

/** A TCP port that was free a moment ago (the OS picks it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Integer in [0, n). */
const randomInt = (n) => Math.floor(Math.random() * n);

/**
 * CPU time of a process in ms: utime + stime, plus cutime + cstime (its exited and reaped
 * children, so a PostgreSQL backend that disconnects still counts, under its postmaster).
 * null when the process is gone.
 */
function cpuMsOf(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields after "(comm)": state is [0]; utime, stime, cutime, cstime are [11]..[14], in 100 Hz ticks.
    return ((Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return null;
  }
}

/** Busy CPU time of the whole machine, in ms summed over all cores (from /proc/stat). */
function machineBusyMs() {
  const [, ...ticks] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  // user nice system idle iowait irq softirq steal: everything but idle and iowait is busy.
  const busy = ticks.slice(0, 8).reduce((sum, t, i) => (i === 3 || i === 4 ? sum : sum + t), 0);
  return (busy * 1000) / 100;
}

/** Every process in /proc with its parent pid and command name. */
function processTable() {
  const table = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      table.push({ pid: Number(entry), ppid, comm });
    } catch {
      // The process ended while we were reading /proc.
    }
  }
  return table;
}

/** Every descendant of `rootPid`, as `{ pid, ppid, comm }`. */
function descendantsOf(rootPid) {
  const table = processTable();
  const found = new Set([rootPid]);
  const below = [];
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of table) {
      if (!found.has(p.pid) && found.has(p.ppid)) {
        found.add(p.pid);
        below.push(p);
        grew = true;
      }
    }
  }
  return below;
}

/** VmRSS of a process in bytes; null when it is gone. */
function rssBytesOf(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** p50/p99/max/mean of latencies in ms (nearest rank), rounded to 0.01 ms; nulls when empty. */
function percentiles(latenciesMs) {
  if (latenciesMs.length === 0) return { p50Ms: null, p99Ms: null, maxMs: null, meanMs: null, count: 0 };
  const sorted = Float64Array.from(latenciesMs).sort();
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const round = (v) => Math.round(v * 100) / 100;
  return { p50Ms: round(at(0.5)), p99Ms: round(at(0.99)), maxMs: round(sorted[sorted.length - 1]), meanMs: round(sorted.reduce((s, v) => s + v, 0) / sorted.length), count: sorted.length };
}

module.exports = { freePort, sleep, randomInt, percentiles, cpuMsOf, machineBusyMs, processTable, descendantsOf, rssBytesOf };
