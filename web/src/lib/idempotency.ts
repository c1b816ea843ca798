import type { ApiResult } from './api';

/** A fresh UUID v4; crypto.randomUUID only exists in secure contexts, so fall back to getRandomValues. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * One key per intended action: the same fingerprint (same path and body) gets the same key
 * until the action is settled; a changed form gets a new key.
 */
export class KeyKeeper {
  private current: { fingerprint: string; key: string } | null = null;

  constructor(private readonly generate: () => string = newIdempotencyKey) {}

  keyFor(fingerprint: string): string {
    if (this.current?.fingerprint !== fingerprint) {
      this.current = { fingerprint, key: this.generate() };
    }
    return this.current.key;
  }

  release(): void {
    this.current = null;
  }
}

/** The request may succeed if simply sent again: nothing was stored for its key. */
export function isTransient(result: ApiResult<unknown>): boolean {
  if (result.ok) return false;
  return (
    result.status === 0 ||
    result.status >= 500 ||
    result.status === 429 ||
    result.problem.code === 'IDEMPOTENCY_KEY_IN_PROGRESS'
  );
}

/**
 * The server gave its final, stored answer for the key (a success or a business refusal that
 * would only be replayed), so the next attempt is a new action and needs a new key.
 */
export function isSettled(result: ApiResult<unknown>): boolean {
  if (result.ok) return true;
  return !isTransient(result) && [404, 409, 422].includes(result.status);
}
