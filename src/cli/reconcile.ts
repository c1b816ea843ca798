import 'reflect-metadata';
import { ReconciliationService } from '../admin/reconciliation.service';
import { withAppContext } from './cli-app';

/** `npm run reconcile`: prints the report; exit code 1 when any ledger invariant is broken. */
withAppContext(async (context) => {
  const report = await context.get(ReconciliationService).run();
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return report.ok ? 0 : 1;
}).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
