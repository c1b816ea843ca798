import type { PoolClient, QueryResultRow } from 'pg';
import { QueryFailedError, QueryRunner } from 'typeorm';

/** A statement of the posting path: prepared once per connection under its name. */
export interface Statement {
  name: string;
  text: string;
}

export function statement(name: string, text: string): Statement {
  return { name, text };
}

export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * A promise that never rejects, so a statement sent ahead (pipelined) can be awaited later
 * without an unhandled rejection. Await every statement sent together before deciding
 * anything: none may still be in flight when the connection is rolled back and returned.
 */
export function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

export function valueOf<T>(settled: Settled<T>): T {
  if (!settled.ok) throw settled.error;
  return settled.value;
}

/**
 * The pooled connection of one QueryRunner, used directly for the posting engine's few
 * statements. Three things make a movement cheaper than TypeORM's `queryRunner.query`:
 *
 * - statements are named, so PostgreSQL parses and plans each once per connection;
 * - a statement is submitted the moment `query` is called, in call order; on a pool in
 *   pipeline mode (data-source-options.ts) it goes out without waiting for the answers to
 *   the ones before it, so dependent-free statements share one round trip;
 * - `corked` writes everything submitted meanwhile to the socket in one system call.
 *
 * Errors are TypeORM's `QueryFailedError`, as from `queryRunner.query`.
 */
export class LedgerConnection {
  private constructor(
    readonly queryRunner: QueryRunner,
    private readonly client: PoolClient,
  ) {}

  static async of(queryRunner: QueryRunner): Promise<LedgerConnection> {
    return new LedgerConnection(queryRunner, (await queryRunner.connect()) as PoolClient);
  }

  query<R extends QueryResultRow>(sql: Statement, values: unknown[]): Promise<R[]> {
    return this.client.query<R>({ name: sql.name, text: sql.text, values }).then(
      (result) => result.rows,
      (error: unknown) => {
        throw new QueryFailedError(sql.text, values, error as Error);
      },
    );
  }

  command(sql: 'BEGIN' | 'COMMIT' | 'ROLLBACK'): Promise<void> {
    return this.client.query(sql).then(
      () => undefined,
      (error: unknown) => {
        throw new QueryFailedError(sql, [], error as Error);
      },
    );
  }

  /**
   * Holds the socket's writes until `work` has submitted its statements, then sends them in
   * one write: right after `work` returns, or (`untilIdle`) once the event loop is done with
   * the current tick, which also takes in statements submitted after `work`'s first await.
   */
  corked<T>(work: () => T, untilIdle = false): T {
    const stream = this.client.connection?.stream;
    if (stream === undefined || typeof stream.cork !== 'function') return work();
    stream.cork();
    try {
      return work();
    } finally {
      if (untilIdle) setImmediate(() => stream.uncork());
      else stream.uncork();
    }
  }
}
