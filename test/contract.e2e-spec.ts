import { ContractMismatch, OpenApiContract } from './support/openapi-contract';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The contract check that ApiClient runs on every JSON answer of the e2e suite
 * (test/support/openapi-contract.ts), checked against the served document itself: it lets a
 * real answer through, and names the path, status and field of one that drifted.
 */
describe('the OpenAPI contract check', () => {
  let t: TestApp;
  let contract: OpenApiContract;
  let wallet: Record<string, unknown>;
  const walletUrl = () => `${t.api.baseUrl}/api/v1/wallets/${wallet.id}`;

  beforeAll(async () => {
    t = await startTestApp();
    const admin = await t.api.adminToken();
    const user = await t.api.register('contract');
    await t.api.fund(admin, user.id, 'GOLD_COINS', 10);
    wallet = (await t.api.get('/api/v1/wallets', user.token)).body[0];
    contract = new OpenApiContract((await t.api.get('/docs-json')).body);
  });
  afterAll(() => t.close());

  it('accepts an answer the document describes', () => {
    expect(() => contract.check('GET', walletUrl(), 200, 'application/json', wallet)).not.toThrow();
  });

  it('names a field the document does not declare', () => {
    const check = () => contract.check('GET', walletUrl(), 200, 'application/json', { ...wallet, secret: 'x' });
    expect(check).toThrow(ContractMismatch);
    expect(check).toThrow(/GET \/api\/v1\/wallets\/\d+ → 200 \(\/api\/v1\/wallets\/\{id\}\)[\s\S]*must NOT have additional properties \("secret"\)/);
  });

  it('names a field of the wrong type and a missing one', () => {
    const { held: _held, ...withoutHeld } = wallet;
    expect(() => contract.check('GET', walletUrl(), 200, 'application/json', { ...wallet, balance: '10' })).toThrow(/\/balance must be number/);
    expect(() => contract.check('GET', walletUrl(), 200, 'application/json', withoutHeld)).toThrow(/must have required property 'held'/);
  });

  it('refuses a status, a media type or a path the document does not give', () => {
    expect(() => contract.check('GET', walletUrl(), 418, 'application/json', {})).toThrow(/status 418 is not documented/);
    expect(() => contract.check('GET', walletUrl(), 404, 'application/json', {})).toThrow(/no application\/json schema documented for status 404/);
    expect(() => contract.check('GET', `${t.api.baseUrl}/api/v1/nowhere`, 200, 'application/json', {})).toThrow(/the route is not in \/docs-json, and the answer is not a 404 problem/);
  });

  it('checks problems against the problem schema', async () => {
    const problem = await t.api.get('/api/v1/wallets/999999', (await t.api.register('other')).token);
    expect(problem.status).toBe(404);
    expect(() => contract.check('GET', walletUrl(), 404, 'application/problem+json', problem.body)).not.toThrow();
    expect(() => contract.check('GET', walletUrl(), 404, 'application/problem+json', { ...problem.body, code: 7 })).toThrow(/\/code must be string/);
  });
});
