import { parseRetryAfter, toProblem } from './problem';

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:10 GMT', now)).toBe(10);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});

describe('toProblem', () => {
  it('keeps a problem body, with the status of the answer', () => {
    const body = { type: 'about:blank', title: 'Conflict', status: 409, detail: 'used', code: 'QUOTE_USED' };
    expect(toProblem(body, 409, 'Conflict')).toEqual(body);
  });

  it('makes one from the status line when the body is not a problem', () => {
    expect(toProblem('<html>', 502, 'Bad Gateway')).toEqual({ type: 'about:blank', title: 'Bad Gateway', status: 502, detail: 'Bad Gateway', code: 'HTTP_502' });
  });
});
