import { checkMovement, checkReversal, type MovementValues } from './movement';

const values: MovementValues = { asset: 'USD', amount: '12.34', recipient: '', description: '' };

describe('checkMovement', () => {
  it('builds a spend body in minor units', () => {
    expect(checkMovement(values, 2)).toEqual({ ok: true, body: { asset: 'USD', amount: 1234 } });
  });

  it('adds a trimmed recipient and description', () => {
    const check = checkMovement({ ...values, recipient: ' bob@example.com ', description: ' rent ' }, 2, 'toEmail');
    expect(check).toEqual({
      ok: true,
      body: { asset: 'USD', amount: 1234, toEmail: 'bob@example.com', description: 'rent' },
    });
  });

  it('checks the recipient by kind', () => {
    expect(checkMovement({ ...values, recipient: 'bob' }, 2, 'toEmail')).toEqual({
      ok: false,
      errors: { recipient: 'Enter an email address like name@example.com.' },
    });
    expect(checkMovement({ ...values, recipient: '' }, 2, 'userId')).toEqual({
      ok: false,
      errors: { recipient: 'Enter the user id.' },
    });
    const id = '3f2b8c1e-0000-4000-8000-000000000001';
    expect(checkMovement({ ...values, recipient: id }, 2, 'userId')).toEqual({
      ok: true,
      body: { asset: 'USD', amount: 1234, userId: id },
    });
  });

  it('reports every problem at once', () => {
    expect(checkMovement({ ...values, amount: '1.5' }, undefined, 'toEmail')).toEqual({
      ok: false,
      errors: {
        asset: 'Choose an asset.',
        amount: 'Use whole units only, without decimals.',
        recipient: 'Enter the recipient’s email.',
      },
    });
  });
});

describe('checkReversal', () => {
  it('needs a transaction id and a reason', () => {
    expect(checkReversal('', ' ')).toEqual({
      transactionId: 'Enter the id of the transaction to reverse.',
      reason: 'Say why it is reversed.',
    });
    expect(checkReversal(' 3f2b8c1e-0000-4000-8000-000000000001 ', 'duplicate payout')).toEqual({});
  });
});
