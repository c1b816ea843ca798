export type Role = 'user' | 'admin';
export type AccountStatus = 'ACTIVE' | 'DISABLED';

/**
 * The caller, as the JWT guard established it from the token and the account's current
 * state. The only source of the acting identity.
 */
export interface AuthUser {
  id: string;
  email: string;
  /** The account's current role (not the token's). */
  role: Role;
}

export interface JwtClaims {
  sub: string;
  email: string;
  /** The role at issue time, for clients to display; authorization reads the account's current role. */
  role: Role;
  /** The account's token generation at issue time (users.token_version). */
  ver: number;
  exp?: number;
}
