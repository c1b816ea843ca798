import { canonicalJson, requestHash } from './request-hash';

describe('request fingerprint', () => {
  it('ignores key order and whitespace but not values', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
    expect(requestHash('POST', '/a', { x: 1, y: 2 })).toBe(requestHash('post', '/a', JSON.parse('{ "y": 2,  "x": 1 }')));
    expect(requestHash('POST', '/a', { x: 1 })).not.toBe(requestHash('POST', '/a', { x: 2 }));
    expect(requestHash('POST', '/a', { x: 1 })).not.toBe(requestHash('POST', '/b', { x: 1 }));
  });
});
