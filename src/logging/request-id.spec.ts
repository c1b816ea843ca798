import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestId } from './request-id';

function call(header: string | undefined): { id: string; echoed: unknown } {
  const headers: Record<string, unknown> = {};
  const res = { setHeader: (name: string, value: unknown) => (headers[name.toLowerCase()] = value) } as unknown as ServerResponse;
  const id = requestId({ headers: header === undefined ? {} : { 'x-request-id': header } } as IncomingMessage, res);
  return { id, echoed: headers['x-request-id'] };
}

describe('requestId', () => {
  it("keeps a caller's sane id and echoes it", () => {
    expect(call('lb-7f3a:42')).toEqual({ id: 'lb-7f3a:42', echoed: 'lb-7f3a:42' });
    expect(call('x'.repeat(128)).id).toBe('x'.repeat(128));
  });

  it('replaces a missing, too long or non-printable id with a fresh UUID', () => {
    for (const bad of [undefined, '', 'x'.repeat(129), 'with space', 'line\nbreak', 'café']) {
      const { id, echoed } = call(bad);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(echoed).toBe(id);
    }
  });
});
