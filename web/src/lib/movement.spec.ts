import { callerNet, checkMovement, checkReversal, type MovementValues } from './movement';

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

describe('callerNet', () => {
  const party = (userId: string | null, walletId: number) => ({ walletId, userId, systemCode: userId === null ? ('REVENUE' as const) : null });
  const base = { id: 't', status: 'COMPLETED' as const, description: null, batchId: null, reversalOf: null, createdAt: '', metadata: {}, holdId: null };

  it('reads a one-posting transaction from the side the caller is on', () => {
    const tx = { ...base, type: 'TRANSFER' as const, asset: 'USD', amount: 5, fromWalletId: 1, toWalletId: 2, fromUserId: 'a', toUserId: 'b', postings: [{ from: party('a', 1), to: party('b', 2), asset: 'USD', amount: 5 }] };
    expect(callerNet(tx, 'a')).toEqual({ outgoing: true, amount: 5, asset: 'USD' });
    expect(callerNet(tx, 'b')).toEqual({ outgoing: false, amount: 5, asset: 'USD' });
  });

  it('nets a multi-leg transaction for each party', () => {
    const tx = {
      ...base,
      type: 'MULTI_LEG' as const,
      asset: null,
      amount: null,
      fromWalletId: null,
      toWalletId: null,
      fromUserId: null,
      toUserId: null,
      postings: [
        { from: party('a', 1), to: party('b', 2), asset: 'USD', amount: 90 },
        { from: party('a', 1), to: party(null, 3), asset: 'USD', amount: 10 },
      ],
    };
    expect(callerNet(tx, 'a')).toEqual({ outgoing: true, amount: 100, asset: 'USD' });
    expect(callerNet(tx, 'b')).toEqual({ outgoing: false, amount: 90, asset: 'USD' });
  });
});
