import type { Role } from '../../../libs/contract/src';

export interface Claims {
  sub: string;
  email: string;
  role: Role;
  exp: number | null;
}

/** Reads the payload of a JWT without verifying it (the server verifies; the console only displays). */
export function decodeClaims(token: string): Claims | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  let data: unknown;
  try {
    data = JSON.parse(decodeBase64Url(payload));
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null) return null;
  const { sub, email, role, exp } = data as Record<string, unknown>;
  if (typeof sub !== 'string') return null;
  return {
    sub,
    email: typeof email === 'string' ? email : '',
    role: role === 'admin' ? 'admin' : 'user',
    exp: typeof exp === 'number' ? exp : null,
  };
}

export function isExpired(claims: Claims, nowMs: number): boolean {
  return claims.exp !== null && claims.exp * 1000 <= nowMs;
}

function decodeBase64Url(text: string): string {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='));
  return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}
