import 'reflect-metadata';
import { onePosting, PostingEngine, requestHash } from '../../libs/ledger/src';
import { UsersService } from '../users/users.service';
import { withAppContext } from './cli-app';

const DEMO_PASSWORD = 'demo-password';
const DEMO_USERS = ['user_001@example.com', 'user_002@example.com'];
const DEMO_BALANCES: Array<[string, number]> = [
  ['GOLD_COINS', 1_000],
  ['DIAMONDS', 50],
  ['LOYALTY_POINTS', 500],
  ['USD', 10_000],
];

/**
 * `npm run seed:demo`: the demo users with balances, funded by real TOP_UPs through the
 * posting engine (so the ledger stays balanced). Keys are fixed per user and asset, so
 * running it twice changes nothing.
 */
withAppContext(async (context) => {
  const users = context.get(UsersService);
  const engine = context.get(PostingEngine);
  for (const email of DEMO_USERS) {
    const user = (await users.findByEmail(email)) ?? (await users.create(email, DEMO_PASSWORD, email.split('@')[0]));
    for (const [asset, amount] of DEMO_BALANCES) {
      const key = `seed-demo:${user.id}:${asset}`;
      await engine.post({ userId: user.id, key, requestHash: requestHash('SEED', 'demo', { asset, amount }) }, async (tx) => {
        const ledgerAsset = await tx.asset(asset);
        const wallets = await tx.lock(ledgerAsset, { system: 'TREASURY' }, { user: user.id, createIfMissing: true });
        return onePosting('TOP_UP', ledgerAsset, BigInt(amount), wallets, { description: 'demo balance' });
      });
    }
    process.stdout.write(`${email} / ${DEMO_PASSWORD}\n`);
  }
  return 0;
}).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
