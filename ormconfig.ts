import { DataSource } from 'typeorm';
import { loadConfig } from './src/config/app-config';
import { dataSourceOptions } from './src/database/data-source-options';

/**
 * The DataSource for the TypeORM CLI, e.g.
 * `npx typeorm-ts-node-commonjs migration:show -d ormconfig.ts` (needs DATABASE_URL).
 * The app builds its own from the same `dataSourceOptions`.
 */
const config = loadConfig();
if (config.databaseUrl === null) throw new Error('DATABASE_URL is required for the TypeORM CLI');

export default new DataSource(
  dataSourceOptions({ url: config.databaseUrl, poolSize: 2, statementTimeoutMs: config.statementTimeoutMs }),
);
