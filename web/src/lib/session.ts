import { decodeClaims, isExpired, type Claims } from './jwt';

export interface Session {
  token: string;
  claims: Claims;
}

export interface RestoredSession {
  session: Session | null;
  expired: boolean;
}

type TokenStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const TOKEN_KEY = 'wallet-console.token';

export function sessionFromToken(token: string, nowMs: number): Session | null {
  const claims = decodeClaims(token);
  return claims && !isExpired(claims, nowMs) ? { token, claims } : null;
}

/** Restores the signed-in session from storage, dropping a token that is unreadable or expired. */
export function restoreSession(storage: TokenStorage, nowMs: number): RestoredSession {
  const token = storage.getItem(TOKEN_KEY);
  if (!token) return { session: null, expired: false };
  const session = sessionFromToken(token, nowMs);
  if (!session) storage.removeItem(TOKEN_KEY);
  return { session, expired: session === null };
}

export function storeToken(storage: TokenStorage, token: string): void {
  storage.setItem(TOKEN_KEY, token);
}

export function forgetToken(storage: TokenStorage): void {
  storage.removeItem(TOKEN_KEY);
}

export const SESSION_EXPIRED_MESSAGE = 'Your session has expired. Please sign in again.';
