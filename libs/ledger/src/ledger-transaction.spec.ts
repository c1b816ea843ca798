import { QueryRunner } from 'typeorm';
import { BalanceLimitError, InsufficientFundsError } from './errors';
import { LedgerDirectory } from './ledger-directory';
import { LedgerTransaction } from './ledger-transaction';
import { LockedWallet, Movement } from './ledger.types';
import { MONEY_MAX } from './money';

/** The pure part of posting: checking and computing balances after the lock. */
describe('LedgerTransaction.prepare', () => {
  const SHARDS = 4;
  const directory = { systemShardCount: () => SHARDS } as unknown as LedgerDirectory;
  const tx = new LedgerTransaction({} as QueryRunner, directory, new Date('2026-01-01T00:00:00Z'));
  const asset = { id: 1, code: 'USD', name: 'US dollar', scale: 2 };
  const user = (id: string, balance: bigint): LockedWallet => ({ id, kind: 'USER', userId: `u${id}`, balance });
  const system = (id: string, balance: bigint): LockedWallet => ({ id, kind: 'SYSTEM', userId: null, balance });
  const movement = (from: LockedWallet, to: LockedWallet, amount: bigint): Movement => ({ type: 'TRANSFER', asset, amount, from, to, description: null });

  it('moves the amount and keeps debits equal to credits', () => {
    const posted = tx.prepare(movement(user('1', 100n), user('2', 5n), 40n));
    expect([posted.fromBalanceAfter, posted.toBalanceAfter]).toEqual([60n, 45n]);
    expect(posted.fromBalanceAfter + posted.toBalanceAfter).toBe(105n);
  });

  it('lets a user wallet reach exactly zero but not below', () => {
    expect(tx.prepare(movement(user('1', 40n), user('2', 0n), 40n)).fromBalanceAfter).toBe(0n);
    expect(() => tx.prepare(movement(user('1', 39n), user('2', 0n), 40n))).toThrow(InsufficientFundsError);
  });

  it('lets a system wallet go negative, within the bound', () => {
    expect(tx.prepare(movement(system('1', 0n), user('2', 0n), 10n)).fromBalanceAfter).toBe(-10n);
    expect(() => tx.prepare(movement(system('1', -MONEY_MAX), user('2', 0n), 1n))).toThrow(BalanceLimitError);
  });

  it("keeps each system shard within its share of the bound, so the shards' sum stays within it", () => {
    const share = MONEY_MAX / BigInt(SHARDS);
    expect(tx.prepare(movement(system('1', 1n - share), user('2', 0n), 1n)).fromBalanceAfter).toBe(-share);
    expect(() => tx.prepare(movement(system('1', -share), user('2', 0n), 1n))).toThrow(BalanceLimitError);
    expect(() => tx.prepare(movement(user('2', 1n), system('1', share), 1n))).toThrow(BalanceLimitError);
    // Past its share (shards were added since), a shard may still move back toward zero.
    expect(tx.prepare(movement(user('2', 5n), system('1', -share - 10n), 5n)).toBalanceAfter).toBe(-share - 5n);
  });

  it('refuses a credit past the bound', () => {
    expect(() => tx.prepare(movement(system('1', 0n), user('2', MONEY_MAX), 1n))).toThrow(BalanceLimitError);
  });

  it('asserts its own preconditions: a bug, never a client error', () => {
    expect(() => tx.prepare(movement(user('1', 10n), user('1', 10n), 1n))).toThrow(/two wallets/);
    expect(() => tx.prepare(movement(user('1', 10n), user('2', 10n), 0n))).toThrow(/positive/);
  });
});
