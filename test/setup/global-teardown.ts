import { onServer, runPrefix } from '../support/test-db';

export default async function globalTeardown(): Promise<void> {
  await onServer(async (client) => {
    // Clones left behind by a crashed test file would otherwise pile up on a shared server.
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`,
      [`${runPrefix()}\\_%`],
    );
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  });
  await (globalThis as { __embeddedPostgres?: { stop(): Promise<void> } }).__embeddedPostgres?.stop();
}
