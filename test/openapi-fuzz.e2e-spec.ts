import { upload } from './support/batch-upload';
import { ledgerProblems } from './support/ledger-checks';
import { Fuzzer, HostileRequest, Operation, operationsOf } from './support/openapi-fuzz';
import { startTestApp, TestApp } from './support/test-app';

/**
 * docs/security.md "Hostile input": every documented route, walked with hostile values derived from
 * the OpenAPI document (/docs-json), answers a 4xx problem and never a 500. Routes added
 * later are walked as soon as they are documented.
 */
describe('every route of the OpenAPI document under hostile input', () => {
  let t: TestApp;
  let fuzzer: Fuzzer;
  let operations: Operation[];
  let userEmail: string;

  beforeAll(async () => {
    t = await startTestApp();
    const admin = await t.api.adminToken();
    const user = await t.api.register('fuzz');
    userEmail = user.email;
    await t.api.fund(admin, user.id, 'GOLD_COINS', 1_000_000);
    const transfer = await t.api.post('/api/v1/transfers', { asset: 'GOLD_COINS', amount: 1, toUserId: (await t.api.get('/api/v1/users/me', admin)).body.id }, user.token);
    const batch = await upload(t, user.token, 'recipient,amount\nnobody@example.com,1\n');
    const wallets = await t.api.get('/api/v1/wallets', user.token);
    const document = (await t.api.get('/docs-json')).body;
    operations = operationsOf(document);
    fuzzer = new Fuzzer(document.components.schemas, {
      users: user.id,
      wallets: String(wallets.body[0].id),
      transactions: transfer.body.id,
      batches: batch.body.id,
    });
  });
  afterAll(() => t.close());

  /** What is wrong with the answer, or null. */
  async function verdict(request: HostileRequest, token: string): Promise<string | null> {
    const response = await fetch(`${t.api.baseUrl}${request.path}`, {
      method: request.method,
      headers: { ...request.headers, authorization: `Bearer ${token}` },
      body: request.body,
    });
    const text = await response.text();
    if (response.status >= 500) return `${response.status} ${text.slice(0, 200)}`;
    if (response.status < 400) return request.mustRefuse ? `${response.status}: accepted` : null;
    let code: unknown;
    try {
      code = JSON.parse(text).code;
    } catch {
      code = undefined;
    }
    const problem = (response.headers.get('content-type') ?? '').startsWith('application/problem+json') && typeof code === 'string';
    return problem ? null : `${response.status} without a problem body: ${text.slice(0, 200)}`;
  }

  it('documents the routes it walks', () => {
    const routes = operations.map((o) => `${o.method} ${o.path}`);
    expect(routes).toEqual(expect.arrayContaining(['POST /api/v1/transfers', 'GET /api/v1/transactions', 'POST /api/v1/batches', 'PATCH /api/v1/users/{id}']));
  });

  it.each(['admin', 'user'])('answers every hostile request as %s with a 4xx problem, never a 500', async (role) => {
    const failures: string[] = [];
    let requests = 0;
    for (const operation of operations) {
      // A fresh token per route: logout and a password change in the walk revoke the previous one.
      const token = role === 'admin' ? await t.api.adminToken() : await t.api.login(userEmail, 'password-123');
      // A route's hostile requests go a few at a time: the walk has hundreds of them.
      const pending = [...fuzzer.requests(operation)];
      requests += pending.length;
      const worker = async (): Promise<void> => {
        for (let request = pending.shift(); request !== undefined; request = pending.shift()) {
          const problem = await verdict(request, token);
          if (problem !== null) failures.push(`${request.method} ${request.path.slice(0, 80)} [${request.label}]: ${problem}`);
        }
      };
      await Promise.all(Array.from({ length: 4 }, worker));
    }
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(500);
  }, 300_000);

  it('leaves the ledger consistent', async () => {
    expect(await ledgerProblems(t.sql)).toEqual([]);
  });
});
