import { decodeClaims, isExpired } from './jwt';

function token(payload: unknown): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}.signature`;
}

describe('decodeClaims', () => {
  it('reads sub, email, role and exp from a base64url payload', () => {
    const claims = decodeClaims(token({ sub: 'u-1', email: 'zoë@example.com', role: 'admin', exp: 1700000000 }));
    expect(claims).toEqual({ sub: 'u-1', email: 'zoë@example.com', role: 'admin', exp: 1700000000 });
  });

  it('decodes payloads that need base64url characters and padding', () => {
    const claims = decodeClaims(token({ sub: '??>>~~', email: 'a@b.c', role: 'user', exp: 1 }));
    expect(claims?.sub).toBe('??>>~~');
  });

  it('treats any role other than admin as user', () => {
    expect(decodeClaims(token({ sub: 'u', role: 'root' }))?.role).toBe('user');
  });

  it('rejects tokens it cannot read', () => {
    expect(decodeClaims('not-a-token')).toBeNull();
    expect(decodeClaims('a.%%%.c')).toBeNull();
    expect(decodeClaims(token({ email: 'no-sub@example.com' }))).toBeNull();
    expect(decodeClaims(token('just a string'))).toBeNull();
  });
});

describe('isExpired', () => {
  it('compares exp (seconds) with now (milliseconds)', () => {
    const claims = { sub: 'u', email: '', role: 'user' as const, exp: 100 };
    expect(isExpired(claims, 99_999)).toBe(false);
    expect(isExpired(claims, 100_000)).toBe(true);
    expect(isExpired({ ...claims, exp: null }, 1e15)).toBe(false);
  });
});
