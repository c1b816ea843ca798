import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { CurrentAccounts } from './current-accounts';

describe('CurrentAccounts', () => {
  const row = (role: string, tokenVersion = 0) => [{ email: 'a@example.com', role, status: 'ACTIVE', token_version: tokenVersion }];
  let answers: unknown[][];
  let queries: number;
  let accounts: CurrentAccounts;
  const make = (authCacheMs: number) => {
    const dataSource = { query: jest.fn(async () => ((queries += 1), answers.shift() ?? [])) } as unknown as DataSource;
    accounts = new CurrentAccounts(dataSource, { authCacheMs } as AppConfig);
  };

  beforeEach(() => {
    answers = [];
    queries = 0;
    jest.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => jest.useRealTimers());

  it('serves an account from memory for at most AUTH_CACHE_MS', async () => {
    make(2_000);
    answers.push(row('admin'), row('user'));
    expect((await accounts.get('u1'))?.role).toBe('admin');
    jest.setSystemTime(1_000_000 + 1_999);
    expect((await accounts.get('u1'))?.role).toBe('admin');
    expect(queries).toBe(1);
    jest.setSystemTime(1_000_000 + 2_000);
    expect((await accounts.get('u1'))?.role).toBe('user');
    expect(queries).toBe(2);
  });

  it('reads again at once after a change made through this instance', async () => {
    make(2_000);
    answers.push(row('user', 0), row('user', 1));
    expect((await accounts.get('u1'))?.tokenVersion).toBe(0);
    accounts.forget('u1');
    expect((await accounts.get('u1'))?.tokenVersion).toBe(1);
  });

  it('does not keep an answer read before a change that happened meanwhile', async () => {
    make(2_000);
    answers.push(row('admin'), row('user'));
    const stale = accounts.get('u1');
    accounts.forget('u1');
    expect((await stale)?.role).toBe('admin');
    expect((await accounts.get('u1'))?.role).toBe('user');
  });

  it('reads the account every time with AUTH_CACHE_MS=0, a missing one included', async () => {
    make(0);
    answers.push([], row('user'));
    expect(await accounts.get('u1')).toBeNull();
    expect((await accounts.get('u1'))?.role).toBe('user');
    expect(queries).toBe(2);
  });
});
