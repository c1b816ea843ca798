import { checkSplit, splitTotal } from './split';

describe('checkSplit', () => {
  it('builds one posting per recipient in minor units', () => {
    const legs = [
      { email: ' seller@example.com ', amount: '90.00' },
      { email: 'platform@example.com', amount: '10' },
    ];
    expect(checkSplit('USD', legs, 2, ' order 7 ')).toEqual({
      ok: true,
      body: {
        postings: [
          { to: { email: 'seller@example.com' }, asset: 'USD', amount: 9_000 },
          { to: { email: 'platform@example.com' }, asset: 'USD', amount: 1_000 },
        ],
        description: 'order 7',
      },
    });
  });

  it('reports the errors of each leg in place', () => {
    const result = checkSplit('USD', [{ email: 'ok@example.com', amount: '1' }, { email: 'nope', amount: '1.234' }], 2);
    expect(result).toEqual({
      ok: false,
      errors: [{}, { email: 'Enter an email address like name@example.com.', amount: 'Use at most 2 decimal places.' }],
    });
  });
});

describe('splitTotal', () => {
  it('adds the legs exactly, beyond the range of a double', () => {
    expect(splitTotal([{ email: '', amount: '0.10' }, { email: '', amount: '0.20' }], 2)).toBe('0.30');
    expect(splitTotal([{ email: '', amount: '90071992547409.91' }, { email: '', amount: '90071992547409.91' }], 2)).toBe('180143985094819.82');
    expect(splitTotal([{ email: '', amount: 'x' }], 0)).toBe('0');
  });
});
