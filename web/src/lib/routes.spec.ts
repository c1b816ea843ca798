import { parseRoute } from './routes';

describe('parseRoute', () => {
  it('reads hash routes', () => {
    expect(parseRoute('#/history')).toBe('history');
    expect(parseRoute('#/admin/extra')).toBe('admin');
    expect(parseRoute('#batches')).toBe('batches');
    expect(parseRoute('#/demos?x=1')).toBe('demos');
    expect(parseRoute('#/holds')).toBe('holds');
    expect(parseRoute('#/exchange')).toBe('exchange');
  });

  it('falls back to wallets', () => {
    expect(parseRoute('')).toBe('wallets');
    expect(parseRoute('#/')).toBe('wallets');
    expect(parseRoute('#/nope')).toBe('wallets');
  });
});
