import { INestApplication } from '@nestjs/common';
import { Pool } from 'pg';
import { createApp } from '../../src/app.factory';
import { loadConfig } from '../../src/config/app-config';
import { ApiClient } from './api-client';
import { createTestDatabase, TestDatabase } from './test-db';

export const ADMIN_EMAIL = 'admin@test.example';
export const ADMIN_PASSWORD = 'admin-password-123';

export interface TestApp {
  app: INestApplication;
  db: TestDatabase;
  /** A direct connection to the test database, for checking invariants in SQL. */
  sql: Pool;
  api: ApiClient;
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * The real service, on its own clean database, listening on a random port. Tests talk to it
 * over HTTP only; `sql` is for arranging fixtures and checking invariants.
 *
 * Two apps in one process share passport's global strategy registry: the one started last
 * authenticates every app's requests, with its own database pool. Close it last, or run the
 * other instance as a process of its own (test/support/service-process.ts).
 */
export async function startTestApp(env: Record<string, string> = {}, existing?: TestDatabase): Promise<TestApp> {
  const db = existing ?? (await createTestDatabase());
  const fullEnv = {
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    JWT_SECRET: 'test-secret-that-is-at-least-32-characters-long',
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    THROTTLE_ENABLED: 'false',
    DB_POOL_SIZE: '10',
    LOG_LEVEL: process.env.DEBUG_TEST_LOGS ? 'error' : 'silent',
    BATCH_POLL_MS: '50',
    ...env,
  };
  const config = loadConfig(fullEnv);
  const app = await createApp(config, db.url, process.env.DEBUG_TEST_LOGS ? {} : { logger: false });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const sql = new Pool({ connectionString: db.url, max: 4 });
  // DROP DATABASE … WITH (FORCE) at close terminates idle pool clients: expected, not a failure.
  sql.on('error', () => undefined);
  return {
    app,
    db,
    sql,
    api: new ApiClient(url),
    env: fullEnv,
    close: async () => {
      await app.close();
      await sql.end();
      if (existing === undefined) await db.drop();
    },
  };
}
