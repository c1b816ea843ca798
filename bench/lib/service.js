'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { sleep } = require('./util');

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * The built service (`node dist/src/main.js`) as a child process. When `databaseUrl` is null
 * the service starts its own embedded PostgreSQL in `embeddedDir` on `embeddedPort`.
 */
async function startService({ root = ROOT, port, databaseUrl, embeddedDir, embeddedPort, env, logFile, cpuProfileDir }) {
  const entry = path.join(root, 'dist', 'src', 'main.js');
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run "npm run build" first (npm run bench does)`);
  const childEnv = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    THROTTLE_ENABLED: 'false',
    LOG_LEVEL: 'warn',
    ...env,
  };
  delete childEnv.DATABASE_URL;
  if (databaseUrl !== null) childEnv.DATABASE_URL = databaseUrl;
  else Object.assign(childEnv, { EMBEDDED_PG_DIR: embeddedDir, EMBEDDED_PG_PORT: String(embeddedPort) });
  const args = cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`, entry] : [entry];
  const log = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, args, { cwd: root, env: childEnv, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  let exited = null;
  const exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve((exited = { code, signal }))));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited !== null) throw new Error(`the service exited during start-up (${JSON.stringify(exited)}); see ${logFile}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the service did not answer /health within 120 s; see ${logFile}`);
    }
    try {
      const response = await fetch(`${url}/health/ready`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  return {
    pid: child.pid,
    url,
    /** SIGTERM: the service closes Nest, its pool and (if it started one) the embedded PostgreSQL. */
    async stop(timeoutMs = 30_000) {
      if (exited !== null) return exited;
      child.kill('SIGTERM');
      // A cleared timer, not sleep(): a pending one kept the bench alive 30 s after its report.
      let timer;
      const late = new Promise((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
      const result = await Promise.race([exit, late]);
      clearTimeout(timer);
      if (result !== null) return result;
      child.kill('SIGKILL');
      return exit;
    },
  };
}

/**
 * After the service is gone, makes sure the embedded PostgreSQL it started is gone too
 * (a crashed service leaves it running): stops the postmaster named in postmaster.pid.
 */
async function stopOrphanedPostgres(dataDir) {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 1) return;
  try {
    process.kill(pid, 'SIGINT'); // PostgreSQL's "fast shutdown".
  } catch {
    return;
  }
  for (let i = 0; i < 100 && fs.existsSync(pidFile); i++) await sleep(100);
}

module.exports = { startService, stopOrphanedPostgres, ROOT };
