import 'reflect-metadata';
import { withAppContext } from './cli-app';

/** `npm run migration:run`: applies pending migrations and the idempotent seed, then exits. */
withAppContext(async () => {
  process.stdout.write('Migrations applied, assets and system wallets seeded.\n');
  return 0;
}).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
