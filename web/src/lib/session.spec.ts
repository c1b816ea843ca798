import { forgetToken, restoreSession, sessionFromToken, storeToken } from './session';

function fakeStorage() {
  const values = new Map<string, string>();
  return {
    values,
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => {
      values.set(key, value);
    },
    removeItem: (key: string) => {
      values.delete(key);
    },
  };
}

function token(exp: number): string {
  const payload = Buffer.from(JSON.stringify({ sub: 'u-1', email: 'a@b.c', role: 'user', exp })).toString('base64url');
  return `header.${payload}.sig`;
}

describe('session storage', () => {
  it('restores a stored token that has not expired', () => {
    const storage = fakeStorage();
    storeToken(storage, token(200));
    const restored = restoreSession(storage, 100_000);
    expect(restored.expired).toBe(false);
    expect(restored.session?.claims.sub).toBe('u-1');
  });

  it('drops an expired token and says so', () => {
    const storage = fakeStorage();
    storeToken(storage, token(50));
    expect(restoreSession(storage, 100_000)).toEqual({ session: null, expired: true });
    expect(storage.values.size).toBe(0);
  });

  it('reports nothing when no token was stored, and forgets on sign-out', () => {
    const storage = fakeStorage();
    expect(restoreSession(storage, 0)).toEqual({ session: null, expired: false });
    storeToken(storage, token(200));
    forgetToken(storage);
    expect(storage.values.size).toBe(0);
  });

  it('refuses an unreadable token', () => {
    expect(sessionFromToken('garbage', 0)).toBeNull();
  });
});
