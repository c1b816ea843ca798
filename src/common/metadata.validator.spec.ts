import { metadataProblem } from './metadata.validator';

describe('metadataProblem', () => {
  it('accepts an object of short strings under simple keys', () => {
    expect(metadataProblem({})).toBeNull();
    expect(metadataProblem({ orderId: '1042', 'a.b-c_D9': 'x'.repeat(500) })).toBeNull();
  });

  it.each([
    ['an array', ['a']],
    ['null', null],
    ['a string', 'orderId=1'],
    ['a number value', { orderId: 1042 }],
    ['a nested object', { order: { id: '1' } }],
    ['a key with a space', { 'order id': '1' }],
    ['an empty key', { '': '1' }],
    ['a 41-character key', { ['k'.repeat(41)]: '1' }],
    ['a 501-character value', { note: 'x'.repeat(501) }],
    ['21 keys', Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v']))],
  ])('refuses %s', (_, value) => {
    expect(metadataProblem(value)).toEqual(expect.any(String));
  });
});
