import { QueryRunner } from 'typeorm';
import { BalanceLimitError, InsufficientFundsError } from './errors';
import { LedgerDirectory } from './ledger-directory';
import { LedgerTransaction } from './ledger-transaction';
import { Asset, LockedWallet, Movement, onePosting, PostedTransaction } from './ledger.types';
import { MONEY_MAX } from './money';

/** The pure part of posting: checking postings in order and computing balances after the lock. */
describe('LedgerTransaction.prepare', () => {
  const SHARDS = 4;
  const directory = { systemShardCount: () => SHARDS } as unknown as LedgerDirectory;
  const tx = new LedgerTransaction({} as QueryRunner, directory, new Date('2026-01-01T00:00:00Z'));
  const usd: Asset = { id: 1, code: 'USD', name: 'US dollar', scale: 2 };
  const gold: Asset = { id: 2, code: 'GOLD', name: 'Gold', scale: 0 };
  const user = (id: string, balance: bigint, asset = usd): LockedWallet => ({
    id,
    kind: 'USER',
    userId: `u${id}`,
    systemCode: null,
    assetId: asset.id,
    balance,
  });
  const system = (id: string, balance: bigint, asset = usd): LockedWallet => ({
    id,
    kind: 'SYSTEM',
    userId: null,
    systemCode: 'TREASURY',
    assetId: asset.id,
    balance,
  });
  const movement = (from: LockedWallet, to: LockedWallet, amount: bigint): Movement =>
    onePosting('TRANSFER', usd, amount, { from, to }, { description: null });
  const after = (posted: PostedTransaction, wallet: LockedWallet) => posted.balancesAfter.get(wallet);

  it('moves the amount and keeps debits equal to credits', () => {
    const [a, b] = [user('1', 100n), user('2', 5n)];
    const posted = tx.prepare(movement(a, b, 40n));
    expect([after(posted, a), after(posted, b)]).toEqual([60n, 45n]);
    expect(posted.entries.map((e) => [e.wallet.id, e.direction, e.amount, e.balanceAfter])).toEqual([
      ['1', 'DEBIT', 40n, 60n],
      ['2', 'CREDIT', 40n, 45n],
    ]);
    // prepare computes; only a successful write moves the locked balances on.
    expect(a.balance).toBe(100n);
  });

  it('lets a user wallet reach exactly zero but not below', () => {
    const a = user('1', 40n);
    expect(after(tx.prepare(movement(a, user('2', 0n), 40n)), a)).toBe(0n);
    expect(() => tx.prepare(movement(user('1', 39n), user('2', 0n), 40n))).toThrow(InsufficientFundsError);
  });

  it('lets a system wallet go negative, within the bound', () => {
    const s = system('1', 0n);
    expect(after(tx.prepare(movement(s, user('2', 0n), 10n)), s)).toBe(-10n);
    expect(() => tx.prepare(movement(system('1', -MONEY_MAX), user('2', 0n), 1n))).toThrow(BalanceLimitError);
  });

  it("keeps each system shard within its share of the bound, so the shards' sum stays within it", () => {
    const share = MONEY_MAX / BigInt(SHARDS);
    const edge = system('1', 1n - share);
    expect(after(tx.prepare(movement(edge, user('2', 0n), 1n)), edge)).toBe(-share);
    expect(() => tx.prepare(movement(system('1', -share), user('2', 0n), 1n))).toThrow(BalanceLimitError);
    expect(() => tx.prepare(movement(user('2', 1n), system('1', share), 1n))).toThrow(BalanceLimitError);
    // Past its share (shards were added since), a shard may still move back toward zero.
    const past = system('1', -share - 10n);
    expect(after(tx.prepare(movement(user('2', 5n), past, 5n)), past)).toBe(-share - 5n);
  });

  it('refuses a credit past the bound', () => {
    expect(() => tx.prepare(movement(system('1', 0n), user('2', MONEY_MAX), 1n))).toThrow(BalanceLimitError);
  });

  it('counts earlier postings of the same transaction for later debits', () => {
    const [a, b, c] = [user('1', 0n), user('2', 50n), user('3', 0n)];
    const posted = tx.prepare({
      type: 'MULTI_LEG',
      postings: [
        { asset: usd, amount: 50n, from: b, to: a },
        { asset: usd, amount: 30n, from: a, to: c },
      ],
      description: null,
    });
    expect([after(posted, a), after(posted, b), after(posted, c)]).toEqual([20n, 0n, 30n]);
    expect(posted.entries.map((e) => [e.posting, e.wallet.id, e.balanceAfter])).toEqual([
      [0, '2', 0n],
      [0, '1', 50n],
      [1, '1', 20n],
      [1, '3', 30n],
    ]);
  });

  it('names the refused posting of a multi-posting transaction', () => {
    const [a, b] = [user('1', 10n), user('2', 0n)];
    const refuse = () =>
      tx.prepare({
        type: 'MULTI_LEG',
        postings: [
          { asset: usd, amount: 10n, from: a, to: b },
          { asset: usd, amount: 1n, from: a, to: b },
        ],
        description: null,
      });
    expect(refuse).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_FUNDS', posting: 1 }));
  });

  it('keeps each asset apart in an exchange', () => {
    const [payerUsd, payerGold, treasuryUsd, treasuryGold] = [user('1', 500n), user('2', 0n, gold), system('3', 0n), system('4', 0n, gold)];
    const posted = tx.prepare({
      type: 'EXCHANGE',
      postings: [
        { asset: usd, amount: 500n, from: payerUsd, to: treasuryUsd },
        { asset: gold, amount: 7n, from: treasuryGold, to: payerGold },
      ],
      description: null,
    });
    expect([after(posted, payerUsd), after(posted, payerGold), after(posted, treasuryUsd), after(posted, treasuryGold)]).toEqual([0n, 7n, 500n, -7n]);
  });

  it('asserts its own preconditions: a bug, never a client error', () => {
    expect(() => tx.prepare(movement(user('1', 10n), user('1', 10n), 1n))).toThrow(/two wallets/);
    expect(() => tx.prepare(movement(user('1', 10n), user('2', 10n), 0n))).toThrow(/positive/);
    expect(() => tx.prepare(movement(user('1', 10n, gold), user('2', 10n), 1n))).toThrow(/within its asset/);
    expect(() => tx.prepare({ type: 'MULTI_LEG', postings: [], description: null })).toThrow(/1 to 25/);
  });
});
