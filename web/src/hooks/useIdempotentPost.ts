import { useRef, useState } from 'react';
import { useApp } from '../context';
import type { ApiResult } from '../lib/api';
import { isSettled, KeyKeeper } from '../lib/idempotency';

export interface IdempotentPost<T> {
  pending: boolean;
  result: ApiResult<T> | null;
  submit: (path: string, payload: unknown, fingerprint?: string) => Promise<ApiResult<T> | null>;
  clear: () => void;
}

/**
 * POSTs a money-moving request with an Idempotency-Key that is reused while the same
 * request is retried, and replaced once the server has settled it or the payload changes.
 * A FormData payload is sent as multipart; pass a fingerprint for it.
 */
export function useIdempotentPost<T>(): IdempotentPost<T> {
  const { request } = useApp();
  const [keys] = useState(() => new KeyKeeper());
  const inFlight = useRef(false);
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<ApiResult<T> | null>(null);

  async function submit(path: string, payload: unknown, fingerprint = JSON.stringify([path, payload])) {
    if (inFlight.current) return null;
    inFlight.current = true;
    setPending(true);
    setResult(null);
    const idempotencyKey = keys.keyFor(fingerprint);
    const options = payload instanceof FormData ? { form: payload } : { body: payload };
    const outcome = await request<T>(path, { method: 'POST', idempotencyKey, ...options });
    if (isSettled(outcome)) keys.release();
    inFlight.current = false;
    setPending(false);
    setResult(outcome);
    return outcome;
  }

  return { pending, result, submit, clear: () => setResult(null) };
}
