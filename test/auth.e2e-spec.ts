import { createHmac } from 'node:crypto';
import { startTestApp, TestApp, ADMIN_EMAIL } from './support/test-app';

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function sign(header: object, payload: object, secret: string): string {
  const unsigned = `${base64url(header)}.${base64url(payload)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

describe('auth and users', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('registers, logs in and answers /users/me without the password hash', async () => {
    const reg = await t.api.request('POST', '/api/v1/auth/register', { email: 'Ada@Example.com', password: 'password-123', name: 'Ada' });
    expect(reg.status).toBe(201);
    expect(reg.body).toEqual({ id: expect.any(String), email: 'ada@example.com', name: 'Ada', role: 'user', status: 'ACTIVE', createdAt: expect.any(String) });
    const login = await t.api.request('POST', '/api/v1/auth/login', { email: 'ADA@example.com', password: 'password-123' });
    expect(login.status).toBe(200);
    expect(login.body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 3600 });
    const me = await t.api.get('/api/v1/users/me', login.body.accessToken);
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(reg.body.id);
    expect(JSON.stringify(me.body)).not.toContain('scrypt');
  });

  it('refuses a second account for the same email in any case with 409 EMAIL_TAKEN', async () => {
    await t.api.request('POST', '/api/v1/auth/register', { email: 'dup@example.com', password: 'password-123', name: 'One' });
    const again = await t.api.request('POST', '/api/v1/auth/register', { email: 'DUP@example.com', password: 'password-456', name: 'Two' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('EMAIL_TAKEN');
    expect(again.headers.get('content-type')).toContain('application/problem+json');
  });

  it('answers the same 401 for an unknown email and a wrong password', async () => {
    await t.api.request('POST', '/api/v1/auth/register', { email: 'known@example.com', password: 'password-123', name: 'K' });
    const wrong = await t.api.request('POST', '/api/v1/auth/login', { email: 'known@example.com', password: 'nope-nope' });
    const unknown = await t.api.request('POST', '/api/v1/auth/login', { email: 'ghost@example.com', password: 'nope-nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    // Same answer but for the per-request id in `instance`.
    expect({ ...wrong.body, instance: undefined }).toEqual({ ...unknown.body, instance: undefined });
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('validates registration input with per-field errors', async () => {
    const res = await t.api.request('POST', '/api/v1/auth/register', { email: 'not-an-email', password: 'short', name: '', role: 'admin' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['email', 'password', 'name', 'role']));
  });

  describe('tokens', () => {
    const secret = 'test-secret-that-is-at-least-32-characters-long';
    let userId: string;
    let token: string;
    beforeAll(async () => {
      const user = await t.api.register('tok');
      userId = user.id;
      token = user.token;
    });
    const now = () => Math.floor(Date.now() / 1000);

    it.each([
      ['no token', () => undefined],
      ['garbage', () => 'not.a.jwt'],
      ['forged with another secret', () => sign({ alg: 'HS256', typ: 'JWT' }, { sub: userId, role: 'admin', exp: now() + 60 }, 'another-secret-another-secret-another')],
      ['alg none', () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: userId, role: 'admin', exp: now() + 60 })}.`],
      ['expired', () => sign({ alg: 'HS256', typ: 'JWT' }, { sub: userId, email: 'x', role: 'user', iat: now() - 120, exp: now() - 60 }, secret)],
      ['tampered payload', () => {
        const [h, , s] = token.split('.');
        return `${h}.${base64url({ sub: userId, role: 'admin', exp: now() + 600 })}.${s}`;
      }],
      ['without exp', () => sign({ alg: 'HS256', typ: 'JWT' }, { sub: userId, email: 'x', role: 'user', ver: 0, iat: now() }, secret)],
      ['of another token generation', () => sign({ alg: 'HS256', typ: 'JWT' }, { sub: userId, email: 'x', role: 'user', ver: 1, exp: now() + 60 }, secret)],
      ['without a token generation', () => sign({ alg: 'HS256', typ: 'JWT' }, { sub: userId, email: 'x', role: 'user', exp: now() + 60 }, secret)],
      ['naming an account that does not exist', () =>
        sign({ alg: 'HS256', typ: 'JWT' }, { sub: '00000000-0000-4000-8000-000000000000', email: 'x', role: 'admin', ver: 0, exp: now() + 60 }, secret)],
      ['HS512 with the right secret', () => {
        const unsigned = `${base64url({ alg: 'HS512', typ: 'JWT' })}.${base64url({ sub: userId, role: 'user', exp: now() + 60 })}`;
        return `${unsigned}.${createHmac('sha512', secret).update(unsigned).digest('base64url')}`;
      }],
    ])('refuses %s with 401 UNAUTHENTICATED', async (_, make) => {
      const res = await t.api.get('/api/v1/wallets', make());
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    });

    it('accepts a valid token signed with the server secret', async () => {
      const valid = sign({ alg: 'HS256', typ: 'JWT' }, { sub: userId, email: 'x', role: 'user', ver: 0, exp: now() + 60 }, secret);
      expect((await t.api.get('/api/v1/wallets', valid)).status).toBe(200);
    });
  });

  describe('roles', () => {
    it('lets an admin read any user and refuses users with 403', async () => {
      const admin = await t.api.adminToken();
      const user = await t.api.register('plain');
      const byAdmin = await t.api.get(`/api/v1/users/${user.id}`, admin);
      expect(byAdmin.status).toBe(200);
      expect(byAdmin.body.email).toBe(user.email);
      const byUser = await t.api.get(`/api/v1/users/${user.id}`, user.token);
      expect(byUser.status).toBe(403);
      expect(byUser.body.code).toBe('FORBIDDEN');
      expect((await t.api.get('/api/v1/users/00000000-0000-4000-8000-000000000000', admin)).status).toBe(404);
      expect((await t.api.get('/api/v1/users/not-a-uuid', admin)).status).toBe(404);
    });

    it('seeds the admin from ADMIN_EMAIL/ADMIN_PASSWORD', async () => {
      const me = await t.api.get('/api/v1/users/me', await t.api.adminToken());
      expect(me.body).toMatchObject({ email: ADMIN_EMAIL, role: 'admin' });
    });
  });
});

describe('login throttling (in-memory counters)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ THROTTLE_ENABLED: 'true', THROTTLE_LOGIN_LIMIT: '3' });
  });
  afterAll(() => t.close());

  it('limits attempts per (IP, email) with 429 RATE_LIMITED and Retry-After', async () => {
    const attempt = (email: string) => t.api.request('POST', '/api/v1/auth/login', { email, password: 'wrong-password' });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await attempt('victim@example.com')).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const limited = await attempt('VICTIM@example.com');
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another email from the same IP has its own counter.
    expect((await attempt('someone-else@example.com')).status).toBe(401);
  });
});

describe('per-IP throttling (in-memory counters)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ THROTTLE_ENABLED: 'true', THROTTLE_LOGIN_IP_LIMIT: '5', THROTTLE_DEFAULT_LIMIT: '4' });
  });
  afterAll(() => t.close());

  it('limits logins per IP across all emails', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await t.api.request('POST', '/api/v1/auth/login', { email: `spray-${i}@example.com`, password: 'wrong-password' })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('throttles requests with invalid tokens per IP, like anonymous ones', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await t.api.get('/api/v1/wallets', `forged.token.${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    const limited = await t.api.get('/api/v1/users/me', 'another.forged.token');
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
  });
});
