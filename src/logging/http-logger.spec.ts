import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { createHttpLogger, Req } from './http-logger';

/** A request through the middleware; `end` says whether the response finished or the client went away. */
function serve(level: string, { url = '/api/v1/wallets', status = 200, end = true, header }: { url?: string; status?: number; end?: boolean; header?: string } = {}) {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createHttpLogger({ logLevel: level } as never, { write: (line: string) => lines.push(JSON.parse(line)) });
  const headers: Record<string, unknown> = {};
  const res = Object.assign(new EventEmitter(), {
    statusCode: status,
    writableEnded: end,
    setHeader: (name: string, value: unknown) => (headers[name.toLowerCase()] = value),
  }) as unknown as ServerResponse;
  const req = { method: 'GET', url, headers: header === undefined ? {} : { 'x-request-id': header }, route: { path: '/api/v1/wallets' }, user: { id: 'u-1' } } as unknown as Req;
  let nextCalled = false;
  logger(req, res, () => (nextCalled = true));
  res.emit(end ? 'finish' : 'close');
  res.emit('close');
  return { lines, req, headers, nextCalled };
}

describe('createHttpLogger', () => {
  it('logs one line per request with id, route, status and user, and binds req.log to the id', () => {
    const { lines, req, headers, nextCalled } = serve('info', { header: 'lb-42' });
    expect(nextCalled).toBe(true);
    expect([req.id, headers['x-request-id']]).toEqual(['lb-42', 'lb-42']);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, reqId: 'lb-42', method: 'GET', path: '/api/v1/wallets', route: '/api/v1/wallets', status: 200, userId: 'u-1', msg: 'request completed' });
    expect(typeof lines[0].responseTime).toBe('number');
    expect(req.log?.bindings()).toEqual({ reqId: 'lb-42' });
  });

  it('writes nothing at warn for a successful request, and an error line for a 5xx', () => {
    expect(serve('warn').lines).toEqual([]);
    const { lines } = serve('warn', { status: 500 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, status: 500, msg: 'request errored', err: { message: 'failed with status code 500' } });
  });

  it('says when the client went away, and keeps probes at debug', () => {
    expect(serve('info', { end: false }).lines[0]).toMatchObject({ msg: 'request aborted' });
    expect(serve('info', { url: '/health' }).lines).toEqual([]);
    expect(serve('debug', { url: '/health' }).lines[0]).toMatchObject({ level: 20, path: '/health' });
  });
});
