import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { onServer, serverUrl, templateName, withDatabase } from '../support/test-db';

/**
 * Runs once before all test files: makes sure a PostgreSQL is there (DATABASE_URL, or an
 * embedded one) and builds the migrated template that every test file clones.
 */
export default async function globalSetup(): Promise<void> {
  if (!process.env.DATABASE_URL) {
    mkdirSync('.test-data', { recursive: true });
    const dataDir = join(mkdtempSync(join(resolve('.test-data'), 'run-')), 'pg');
    const port = 55_000 + Math.floor(Math.random() * 5_000);
    const embedded = await startEmbeddedPostgres({ dataDir, port, persistent: false });
    process.env.DATABASE_URL = embedded.url;
    process.env.TEST_EMBEDDED = '1';
    (globalThis as { __embeddedPostgres?: { stop(): Promise<void> } }).__embeddedPostgres = embedded;
  }
  process.env.TEST_RUN_ID = randomBytes(3).toString('hex');
  const template = templateName();
  await onServer(async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${template}"`);
  });
  const dataSource = new DataSource(
    dataSourceOptions({ url: withDatabase(serverUrl(), template), poolSize: 1, statementTimeoutMs: 30_000 }),
  );
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();
}
