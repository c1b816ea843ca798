import { request as httpRequest, IncomingMessage, RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { hostOf, publicOnlyLookup, resolvePublic } from './ssrf-guard';

export interface SendOutcome {
  /** The receiver's HTTP status; null when there was no answer. */
  status: number | null;
  /** Why the attempt failed; null on a 2xx. */
  error: string | null;
}

export interface SendOptions {
  timeoutMs: number;
  /** Refuse loopback, private, link-local and reserved addresses, checked on the address connected to. */
  publicOnly: boolean;
  /** Cuts the attempt short (the service is stopping). */
  signal: AbortSignal;
}

/**
 * POSTs `body` once. A 2xx within `timeoutMs` (headers received) is success; the response body
 * is not read. A fresh connection each time (no keep-alive agent), so every attempt resolves
 * and checks the host again.
 */
export async function postOnce(url: string, body: string, headers: Record<string, string>, options: SendOptions): Promise<SendOutcome> {
  const target = new URL(url);
  try {
    // An IP literal never goes through `lookup`: it is checked here.
    if (options.publicOnly) await resolvePublic(hostOf(target));
    const status = await post(target, body, headers, options);
    return { status, error: status >= 200 && status < 300 ? null : `the receiver answered ${status}` };
  } catch (error) {
    if (options.signal.aborted) return { status: null, error: 'cut short: the service was stopping' };
    return { status: null, error: (error as Error).message.slice(0, 500) };
  }
}

function post(target: URL, body: string, headers: Record<string, string>, options: SendOptions): Promise<number> {
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const requestOptions: RequestOptions = {
    method: 'POST',
    agent: false,
    signal: options.signal,
    headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'wallet-service-webhooks/1' },
    ...(options.publicOnly ? { lookup: publicOnlyLookup } : {}),
  };
  return new Promise((resolve, reject) => {
    const req = request(target, requestOptions, (response: IncomingMessage) => {
      clearTimeout(timer);
      resolve(response.statusCode ?? 0);
      response.destroy();
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)), options.timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(body);
  });
}
