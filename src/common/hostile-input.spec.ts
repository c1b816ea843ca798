import { nonIntegerLiteralField, nulFieldOf } from './hostile-input';

describe('nonIntegerLiteralField', () => {
  const check = (json: string) => nonIntegerLiteralField(Buffer.from(json));

  it.each([
    ['{"amount":1.0000000000000001}', 'amount'],
    ['{"asset":"USD","amount":10e-1}', 'amount'],
    ['{"a":{"b":[1,2,3.5]},"c":1}', 'b'],
    ['{"a":-0.0}', 'a'],
    ['[1E3]', 'body'],
    ['2.0', 'body'],
  ])('finds one in %s, in the field %s', (json, field) => {
    expect(check(json)).toBe(field);
  });

  it.each(['{"amount":1}', '{"a":-12,"b":[0,7]}', '{"d":"1.5e3 and 2.0"}', '{"e\\"1.5":"x\\\\"}', '{"t":true,"f":false,"n":null}', ''])('finds none in %s', (json) => {
    expect(check(json)).toBeNull();
  });
});

describe('nulFieldOf', () => {
  it('names the first field holding a NUL, in values and in keys, however deep', () => {
    expect(nulFieldOf({ a: 'ok', b: { c: ['x', 'y\u0000'] } })).toBe('b.c.1');
    expect(nulFieldOf({ ['k\u0000']: 1 })).toBe('k\u0000');
    expect(nulFieldOf({ a: 'ok', n: 1, z: null })).toBeNull();
  });

  it('walks a very deep value without overflowing the stack', () => {
    let deep: unknown = 'end\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(nulFieldOf({ deep })).toMatch(/^deep(\.0)+$/);
  });
});
