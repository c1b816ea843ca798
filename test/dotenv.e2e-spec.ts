import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startServiceProcess } from './support/service-process';
import { createTestDatabase, TestDatabase } from './support/test-db';

/** `npm start` reads `.env` from its working directory; the environment wins over the file. */
describe('.env', () => {
  let db: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'wallet-dotenv-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db.drop();
  });

  it('takes PORT from .env, and a variable set in the environment over the file', async () => {
    const port = await freePort();
    // A bad LOG_LEVEL in the file would stop the boot: the environment's value must win.
    writeFileSync(join(dir, '.env'), `PORT=${port}\nLOG_LEVEL=not-a-level\n`);
    const service = await startServiceProcess({ databaseUrl: db.url, port, cwd: dir, env: { PORT: undefined, LOG_LEVEL: 'warn' } });
    try {
      expect((await service.api.get('/health')).status).toBe(200);
    } finally {
      await service.stop('SIGTERM');
    }
  });
});
