import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * Test databases: one migrated template per run, and a clone of it for every test file
 * (CREATE DATABASE … TEMPLATE), so files run in parallel and start clean.
 */
export function serverUrl(): string {
  const url = process.env.DATABASE_URL;
  if (url === undefined || url === '') throw new Error('DATABASE_URL is not set: the Jest global setup should have set it');
  return url;
}

/** Refuses to touch a database whose name does not say it is for tests. */
export function testDatabaseBaseName(url = serverUrl()): string {
  const name = decodeURIComponent(new URL(url).pathname.slice(1)) || 'postgres';
  if (process.env.TEST_EMBEDDED === '1') return 'wallet_test';
  if (!/test/i.test(name)) throw new Error(`refusing to run tests against database "${name}": its name must contain "test"`);
  return name.replace(/[^a-zA-Z0-9_]/g, '_');
}

/** Set by the global setup: separates concurrent test runs on one server. */
export function runPrefix(): string {
  const runId = process.env.TEST_RUN_ID;
  if (runId === undefined) throw new Error('TEST_RUN_ID is not set: the Jest global setup should have set it');
  return `${testDatabaseBaseName()}_${runId}`;
}

export function templateName(): string {
  return `${runPrefix()}_template`;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Runs `work` on a connection to the server's maintenance database. */
export async function onServer<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: withDatabase(serverUrl(), 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `${runPrefix()}_${randomBytes(5).toString('hex')}`;
  await onServer(async (client) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE "${name}" TEMPLATE "${templateName()}"`);
        return;
      } catch (error) {
        // Two clones at once can collide on the template ("being accessed by other users").
        if (attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
      }
    }
  });
  return {
    name,
    url: withDatabase(serverUrl(), name),
    drop: () => onServer(async (client) => void (await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))),
  };
}
