import { DomainError } from '../../libs/ledger/src';
import { CursorCodec } from './pagination';

describe('CursorCodec', () => {
  const transactions = new CursorCodec('transactions', ['timestamp', 'uuid']);
  const items = new CursorCodec('batch-items', ['int']);
  const entries = new CursorCodec('wallet-entries', ['bigint']);
  const raw = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const refused = (codec: CursorCodec, cursor: string) => {
    expect(() => codec.decode(cursor)).toThrow(DomainError);
  };

  it('decodes what it encoded', () => {
    const key = ['2026-12-03 07:36:17.123456+00', '0b9c0b5e-6a1e-4a51-9d33-8a0c5d1f7e21'];
    expect(transactions.decode(transactions.encode(key))).toEqual(key);
    expect(items.decode(items.encode([42]))).toEqual([42]);
    expect(entries.decode(entries.encode(['9223372036854775807']))).toEqual(['9223372036854775807']);
    expect(items.decode(undefined)).toBeNull();
  });

  it("refuses another parent's cursor of the same list", () => {
    const ofBatch = items.of('0b9c0b5e-6a1e-4a51-9d33-8a0c5d1f7e21');
    expect(ofBatch.decode(ofBatch.encode([7]))).toEqual([7]);
    refused(items.of('f00b9c0b-6a1e-4a51-9d33-8a0c5d1f7e21'), ofBatch.encode([7]));
    refused(items, ofBatch.encode([7]));
  });

  it("refuses another list's cursor", () => {
    refused(entries, items.encode([42]));
    refused(items, raw(['wallet-entries', 42]));
  });

  it.each([
    ['garbage', '%%%'],
    ['not JSON', Buffer.from('{').toString('base64url')],
    ['no list', raw(['2026-12-03 07:36:17+00', '0b9c0b5e-6a1e-4a51-9d33-8a0c5d1f7e21'])],
    ['a number for a timestamp', raw(['transactions', 1, '0b9c0b5e-6a1e-4a51-9d33-8a0c5d1f7e21'])],
    ['February 30th', raw(['transactions', '2026-02-30 07:36:17+00', '0b9c0b5e-6a1e-4a51-9d33-8a0c5d1f7e21'])],
    ['hour 24', raw(['transactions', '2026-02-01 24:00:00+00', '0b9c0b5e-6a1e-4a51-9d33-8a0c5d1f7e21'])],
    ['a bad uuid', raw(['transactions', '2026-12-03 07:36:17+00', '0b9c0b5e'])],
    ['an extra element', raw(['transactions', '2026-12-03 07:36:17+00', '0b9c0b5e-6a1e-4a51-9d33-8a0c5d1f7e21', 1])],
    ['too long', 'A'.repeat(201)],
  ])('refuses %s on the transactions list', (_, cursor) => refused(transactions, cursor));

  it.each([[2 ** 31], [-1], [1.5], ['1'], [null]])('refuses the row %p', (row) => refused(items, raw(['batch-items', row])));

  it.each(['9223372036854775808', '0', '01', '-1', '1e3'])('refuses the entry id %s', (id) => refused(entries, raw(['wallet-entries', id])));
});
