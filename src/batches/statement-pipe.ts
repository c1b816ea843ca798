import type { PoolClient } from 'pg';
import { QueryFailedError } from 'typeorm';
import { LedgerTransaction } from '../../libs/ledger/src';

export type Settled<R> = { ok: true; rows: R[] } | { ok: false; error: unknown };

/** Never rejects, so that a promise sent ahead can be awaited later without an unhandled rejection. */
export function settle<R>(promise: Promise<R[]>): Promise<Settled<R>> {
  return promise.then(
    (rows) => ({ ok: true as const, rows }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

export function rowsOf<R>(settled: Settled<R>): R[] {
  if (!settled.ok) throw settled.error;
  return settled.rows;
}

/**
 * The chunk transaction's own connection, for statements sent one right behind the other
 * without waiting for each answer: on the pool in pipeline mode they share one round trip,
 * and PostgreSQL still runs them in the order sent, in the same transaction. `send` submits
 * before it returns, so call order is execution order.
 */
export class StatementPipe {
  private constructor(private readonly client: PoolClient) {}

  static async of(tx: LedgerTransaction): Promise<StatementPipe> {
    return new StatementPipe((await tx.queryRunner.connect()) as PoolClient);
  }

  send<R>(text: string, values: unknown[] = []): Promise<Settled<R>> {
    return settle(
      this.client.query(text, values).then(
        (result) => result.rows as R[],
        (error: unknown) => {
          throw new QueryFailedError(text, values, error as Error);
        },
      ),
    );
  }
}
