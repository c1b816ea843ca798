import { randomUUID } from 'node:crypto';
import { TestUser } from './support/api-client';
import { startTestApp, TestApp } from './support/test-app';

/** docs/api.md "Auth and users" (token revocation): a token stops working as soon as the account it names changes. */
describe('account security', () => {
  let t: TestApp;
  let admin: string;
  let adminId: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.api.adminToken();
    adminId = (await t.api.get('/api/v1/users/me', admin)).body.id;
  });
  afterAll(() => t.close());

  const patch = (id: string, body: object, token = admin) => t.api.request('PATCH', `/api/v1/users/${id}`, body, { token });

  /** A second admin, promoted through the API and logged in again (the promotion revoked its user token). */
  async function secondAdmin(): Promise<TestUser> {
    const user = await t.api.register('admin2');
    expect((await patch(user.id, { role: 'admin' })).status).toBe(200);
    return { ...user, token: await t.api.login(user.email, 'password-123') };
  }

  it('lets an admin change role and status, answering the User with its status', async () => {
    const user = await t.api.register('managed');
    const res = await patch(user.id, { status: 'DISABLED' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: user.id, role: 'user', status: 'DISABLED' });
    expect((await patch(user.id, { status: 'ACTIVE' })).body.status).toBe('ACTIVE');
    expect((await patch(user.id, { role: 'owner' })).status).toBe(400);
    expect((await patch(user.id, { email: 'x@example.com' })).status).toBe(400);
    expect((await patch(randomUUID(), { status: 'DISABLED' })).status).toBe(404);
    expect((await patch(user.id, { status: 'DISABLED' }, user.token)).status).toBe(401);
  });

  it('refuses an admin demoting or disabling themself with 422 VALIDATION_FAILED', async () => {
    for (const body of [{ role: 'user' }, { status: 'DISABLED' }]) {
      const res = await patch(adminId, body);
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    expect((await t.api.get('/api/v1/users/me', admin)).body).toMatchObject({ role: 'admin', status: 'ACTIVE' });
  });

  it("answers a demoted admin's old token with 403 on admin routes, at once", async () => {
    const other = await secondAdmin();
    const topUp = () => t.api.post('/api/v1/top-ups', { userId: other.id, asset: 'GOLD_COINS', amount: 5 }, other.token);
    expect((await topUp()).status).toBe(201);
    // Demoted in the database, as the review did it: seen within AUTH_CACHE_MS (2 s by default).
    await t.sql.query(`UPDATE users SET role = 'user' WHERE id = $1`, [other.id]);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const refused = await topUp();
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('FORBIDDEN');
  });

  it('revokes every earlier token on a role change made through the API', async () => {
    const other = await secondAdmin();
    expect((await patch(other.id, { role: 'user' })).status).toBe(200);
    expect((await t.api.get('/api/v1/users/me', other.token)).status).toBe(401);
    const fresh = await t.api.login(other.email, 'password-123');
    expect((await t.api.post('/api/v1/top-ups', { userId: other.id, asset: 'GOLD_COINS', amount: 5 }, fresh)).status).toBe(403);
  });

  it('shuts a disabled user out (token 401, login 401) and refuses payments to them with 404', async () => {
    const payer = await t.api.register('payer');
    const payee = await t.api.register('payee');
    await t.api.fund(admin, payer.id, 'GOLD_COINS', 100);
    await t.api.fund(admin, payee.id, 'GOLD_COINS', 5);
    const earlier = await t.api.post('/api/v1/transfers', { asset: 'GOLD_COINS', amount: 2, toUserId: payee.id }, payer.token);
    expect(earlier.status).toBe(201);
    expect((await patch(payee.id, { status: 'DISABLED' })).status).toBe(200);

    const me = await t.api.get('/api/v1/users/me', payee.token);
    expect(me.status).toBe(401);
    expect(me.body.code).toBe('UNAUTHENTICATED');
    const login = await t.api.request('POST', '/api/v1/auth/login', { email: payee.email, password: 'password-123' });
    expect(login.status).toBe(401);
    expect(login.body.code).toBe('INVALID_CREDENTIALS');

    for (const recipient of [{ toUserId: payee.id }, { toEmail: payee.email.toUpperCase() }]) {
      const paid = await t.api.post('/api/v1/transfers', { asset: 'GOLD_COINS', amount: 1, ...recipient }, payer.token);
      expect(paid.status).toBe(404);
      expect(paid.body.code).toBe('RECIPIENT_NOT_FOUND');
    }
    // A wallet they never had is not created for them either.
    const diamonds = await t.api.post('/api/v1/transfers', { asset: 'DIAMONDS', amount: 1, toUserId: payee.id }, payer.token);
    expect(diamonds.body.code).toBe('RECIPIENT_NOT_FOUND');
    // Nobody pays them, admins included.
    expect((await t.api.post('/api/v1/top-ups', { userId: payee.id, asset: 'GOLD_COINS', amount: 1 }, admin)).body.code).toBe('RECIPIENT_NOT_FOUND');
    expect(await t.api.balance(payer.token, 'GOLD_COINS')).toBe(98);
    // Their money stays in the ledger, and admins can still move it back.
    const { rows } = await t.sql.query(`SELECT balance::int FROM wallets WHERE user_id = $1`, [payee.id]);
    expect(rows).toEqual([{ balance: 7 }]);
    expect((await t.api.post(`/api/v1/transactions/${earlier.body.id}/reversal`, { reason: 'account closed' }, admin)).status).toBe(201);
    expect(await t.api.balance(payer.token, 'GOLD_COINS')).toBe(100);

    expect((await patch(payee.id, { status: 'ACTIVE' })).status).toBe(200);
    expect((await t.api.get('/api/v1/users/me', payee.token)).status).toBe(401);
    const again = await t.api.login(payee.email, 'password-123');
    expect((await t.api.get('/api/v1/users/me', again)).status).toBe(200);
  });

  it('fails batch rows paying a disabled user with RECIPIENT_NOT_FOUND', async () => {
    const payer = await t.api.register('batch-payer');
    const payee = await t.api.register('batch-payee');
    await t.api.fund(admin, payer.id, 'GOLD_COINS', 100);
    expect((await patch(payee.id, { status: 'DISABLED' })).status).toBe(200);
    const form = new FormData();
    form.append('asset', 'GOLD_COINS');
    form.append('file', new Blob([`recipient,amount\n${payee.email},5\n${payee.id},6\n`], { type: 'text/csv' }), 'p.csv');
    const upload = await fetch(`${t.api.baseUrl}/api/v1/batches`, {
      method: 'POST',
      headers: { authorization: `Bearer ${payer.token}`, 'idempotency-key': randomUUID() },
      body: form,
    });
    expect(upload.status).toBe(202);
    const batchId = ((await upload.json()) as { id: string }).id;
    let items: Array<{ status: string; errorCode: string }> = [];
    for (let i = 0; i < 100 && !(items.length === 2 && items.every((item) => item.status !== 'PENDING')); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      items = (await t.api.get(`/api/v1/batches/${batchId}/items`, payer.token)).body.items;
    }
    expect(items.map((item) => [item.status, item.errorCode])).toEqual([
      ['FAILED', 'RECIPIENT_NOT_FOUND'],
      ['FAILED', 'RECIPIENT_NOT_FOUND'],
    ]);
    expect(await t.api.balance(payer.token, 'GOLD_COINS')).toBe(100);
  });

  it('revokes earlier tokens on logout', async () => {
    const user = await t.api.register('leaving');
    const second = await t.api.login(user.email, 'password-123');
    const out = await t.api.request('POST', '/api/v1/auth/logout', undefined, { token: user.token });
    expect(out.status).toBe(204);
    for (const token of [user.token, second]) expect((await t.api.get('/api/v1/users/me', token)).status).toBe(401);
    expect((await t.api.request('POST', '/api/v1/auth/logout', undefined, { token: user.token })).status).toBe(401);
    const after = await t.api.login(user.email, 'password-123');
    expect((await t.api.get('/api/v1/users/me', after)).status).toBe(200);
  });

  it('changes the password only with the current one, and revokes earlier tokens', async () => {
    const user = await t.api.register('rotating');
    const change = (currentPassword: string) =>
      t.api.request('POST', '/api/v1/users/me/password', { currentPassword, newPassword: 'new-password-456' }, { token: user.token });
    const wrong = await change('not-my-password');
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
    expect((await t.api.get('/api/v1/users/me', user.token)).status).toBe(200);
    const short = await t.api.request('POST', '/api/v1/users/me/password', { currentPassword: 'password-123', newPassword: 'short' }, { token: user.token });
    expect(short.status).toBe(400);

    expect((await change('password-123')).status).toBe(204);
    expect((await t.api.get('/api/v1/users/me', user.token)).status).toBe(401);
    expect((await t.api.request('POST', '/api/v1/auth/login', { email: user.email, password: 'password-123' })).status).toBe(401);
    expect((await t.api.get('/api/v1/users/me', await t.api.login(user.email, 'new-password-456'))).status).toBe(200);
  });

  it("refuses a deleted account's token with 401, not a 500 on its first write", async () => {
    const user = await t.api.register('deleted');
    await t.sql.query('DELETE FROM users WHERE id = $1', [user.id]);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const res = await t.api.post('/api/v1/spends', { asset: 'GOLD_COINS', amount: 1 }, user.token);
    expect(res.status).toBe(401);
  });
});
