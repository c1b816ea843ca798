import type { Pool, QueryResultRow } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';

/** A hot read's SQL under a name: PostgreSQL parses and plans it once per pooled connection. */
export interface NamedStatement {
  name: string;
  text: string;
}

/**
 * Runs `statement` on the DataSource's pool as a named (prepared) statement; through
 * `dataSource.query` it would be parsed and planned on every request. Errors stay TypeORM's
 * `QueryFailedError`, as the problem filter expects.
 */
export async function namedQuery<R extends QueryResultRow>(dataSource: DataSource, statement: NamedStatement, values: unknown[]): Promise<R[]> {
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  const { rows } = await pool.query<R>({ ...statement, values }).catch((error: unknown) => {
    throw new QueryFailedError(statement.text, values, error as Error);
  });
  return rows;
}
