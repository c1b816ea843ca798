import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { ApiClient, TestUser } from './api-client';
import { ContractMismatch } from './openapi-contract';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './test-app';

/** The built service, exactly as production runs it (`npm test` builds it first: `pretest`). */
const MAIN_JS = resolve(__dirname, '../../dist/src/main.js');
const READY_TIMEOUT_MS = 30_000;
const OUTPUT_KEPT_CHARS = 2_000_000;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServiceProcess {
  url: string;
  api: ApiClient;
  child: ChildProcess;
  /** Settles when the process is gone. */
  exited: Promise<Exit>;
  /** Everything it wrote to stdout and stderr so far (the tail, when very long). */
  output(): string;
  /** Sends `signal` (if still running) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

export interface ServiceOptions {
  /** A database cloned by createTestDatabase(): never the server URL Jest's global setup exported. */
  databaseUrl: string;
  /** Added to (undefined: removed from) the defaults below. */
  env?: Record<string, string | undefined>;
  /** The working directory (where a `.env` would be read); the repository root by default. */
  cwd?: string;
  /** Reuse a port (a restart behind the same address); a free one otherwise. */
  port?: number;
}

export const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * Whether a Redis answers PING at `url`, checked synchronously (in a child process) so a
 * spec can decide at load time. Under CI=true a missing Redis is an error, never a skip.
 */
export function redisAvailable(url = LOCAL_REDIS_URL): boolean {
  const { hostname, port } = new URL(url);
  const probe = `const s = require('node:net').connect(${Number(port) || 6379}, ${JSON.stringify(hostname)});
    s.on('connect', () => s.write('PING\\r\\n')); s.on('data', (d) => process.exit(String(d).startsWith('+PONG') ? 0 : 1));
    s.on('error', () => process.exit(1)); setTimeout(() => process.exit(1), 2000);`;
  const up = spawnSync(process.execPath, ['-e', probe], { timeout: 3_000 }).status === 0;
  if (!up && process.env.CI === 'true') throw new Error(`Redis is required under CI=true and does not answer at ${url}`);
  return up;
}

/**
 * pg-pool's end() resolves before its connections have closed; a `DROP DATABASE … WITH
 * (FORCE)` right after then ends them with an error event that, unheard, fails the test
 * file. The drop is intended: ignore that error.
 */
export function quietOnDrop(pool: { on(event: 'error', listener: (error: Error) => void): unknown }): void {
  pool.on('error', () => undefined);
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

const running = new Set<ChildProcess>();
// A failed test must not leave services running behind it.
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

/** Spawns `node dist/src/main.js` and resolves once /health/ready answers 200. */
export async function startServiceProcess(options: ServiceOptions): Promise<ServiceProcess> {
  if (!existsSync(MAIN_JS)) throw new Error(`${MAIN_JS} is missing: run "npm run build" (npm test does it in pretest)`);
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, [MAIN_JS], { cwd: options.cwd, env: serviceEnv(options, port), stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_KEPT_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<Exit>((done) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      done({ code, signal });
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const service: ServiceProcess = {
    url,
    api: new ApiClient(url),
    child,
    exited,
    output: () => output,
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  await waitUntilReady(service);
  return service;
}

function serviceEnv(options: ServiceOptions, port: number): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    DATABASE_URL: options.databaseUrl,
    PORT: String(port),
    JWT_SECRET: 'test-secret-that-is-at-least-32-characters-long',
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    THROTTLE_ENABLED: 'false',
    LOG_LEVEL: 'warn',
    DB_POOL_SIZE: '8',
    BATCH_POLL_MS: '200',
    ...options.env,
  };
}

async function waitUntilReady(service: ServiceProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const gone: { exit?: Exit } = {};
  void service.exited.then((exit) => (gone.exit = exit));
  while (Date.now() < deadline) {
    if (gone.exit !== undefined) throw new Error(`service exited before it was ready (${JSON.stringify(gone.exit)}):\n${service.output()}`);
    try {
      const response = await fetch(`${service.url}/health/ready`);
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  await service.stop('SIGKILL');
  throw new Error(`service not ready within ${READY_TIMEOUT_MS} ms:\n${service.output()}`);
}

export interface SentTransfer {
  from: TestUser;
  key: string;
  body: { asset: string; amount: number; toUserId: string };
  startedAtMs: number;
  /** Unset: no answer (refused, reset, or the process died). */
  status?: number;
  responseBody?: any;
  /** The response's Connection header: `close` once the service is draining. */
  connection?: string | null;
  answeredAtMs?: number;
}

export interface TransferLoad {
  sent: SentTransfer[];
  /** Every loop has ended (each ends at its first unanswered request, or when stopped). */
  done: Promise<void>;
  stop(): Promise<void>;
}

/** Registers `count` users through the API and tops each up with `amount` of `asset`. */
export async function fundedUsers(api: ApiClient, count: number, asset: string, amount: number): Promise<TestUser[]> {
  const admin = await api.adminToken();
  const users = await Promise.all(Array.from({ length: count }, (_, i) => api.register(`ops${i}`)));
  await Promise.all(users.map((user) => api.fund(admin, user.id, asset, amount)));
  return users;
}

/**
 * `clients` concurrent loops of random transfers (1-5 units, each with its own
 * Idempotency-Key), every one recorded with its answer or the lack of one.
 */
export function transferLoad(api: ApiClient, users: TestUser[], clients: number, asset: string): TransferLoad {
  const sent: SentTransfer[] = [];
  let stopped = false;
  const loop = async (): Promise<void> => {
    while (!stopped) {
      const from = users[Math.floor(Math.random() * users.length)];
      const to = users.filter((u) => u !== from)[Math.floor(Math.random() * (users.length - 1))];
      const transfer: SentTransfer = {
        from,
        key: randomUUID(),
        body: { asset, amount: 1 + Math.floor(Math.random() * 5), toUserId: to.id },
        startedAtMs: Date.now(),
      };
      sent.push(transfer);
      try {
        const response = await api.post('/api/v1/transfers', transfer.body, from.token, transfer.key);
        Object.assign(transfer, { status: response.status, responseBody: response.body, connection: response.headers.get('connection'), answeredAtMs: Date.now() });
      } catch (error) {
        // The service going away ends a client; an answer the document does not describe fails the test.
        if (error instanceof ContractMismatch) throw error;
        return;
      }
    }
  };
  const done = Promise.all(Array.from({ length: clients }, loop)).then(() => undefined);
  return {
    sent,
    done,
    stop: () => {
      stopped = true;
      return done;
    },
  };
}
