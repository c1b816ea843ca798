import { DataSourceOptions } from 'typeorm';
import { InitialSchema1763700000000 } from './migrations/1763700000000-initial-schema';
import { BatchNextRow1763800000000 } from './migrations/1763800000000-batch-next-row';
import { LedgerV2Postings1764000000000 } from './migrations/1764000000000-ledger-v2-postings';
import { AccountSecurity1764100000000 } from './migrations/1764100000000-account-security';
import { Exchanges1764200000000 } from './migrations/1764200000000-exchanges';
import { Events1764300000000 } from './migrations/1764300000000-events';
import { Webhooks1764400000000 } from './migrations/1764400000000-webhooks';

export interface DatabaseSettings {
  url: string;
  poolSize: number;
  statementTimeoutMs: number;
}

/** The one TypeORM configuration, shared by the app, the CLI (ormconfig.ts) and the tests. */
export function dataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    // Schema changes only through migrations, run at start-up.
    synchronize: false,
    migrationsRun: false,
    migrations: [
      InitialSchema1763700000000,
      BatchNextRow1763800000000,
      LedgerV2Postings1764000000000,
      AccountSecurity1764100000000,
      Exchanges1764200000000,
      Events1764300000000,
      Webhooks1764400000000,
    ],
    migrationsTransactionMode: 'each',
    entities: [],
    // Query errors surface as domain errors or through the problem filter's log; no double logging.
    logging: false,
    extra: {
      max: settings.poolSize,
      connectionTimeoutMillis: settings.statementTimeoutMs,
      application_name: 'wallet-service',
      // pg sends each query as soon as it is made instead of after the previous answer. Code
      // that awaits each query sees no difference; the posting engine sends BEGIN, the
      // idempotency claim and the wallet lock together, then the write and COMMIT together
      // (libs/ledger/src/ledger-connection.ts): two round trips per movement instead of five.
      pipeline: true,
    },
  };
}
