export type Role = 'user' | 'admin';

/** The caller, as the JWT guard established it. The only source of the acting identity. */
export interface AuthUser {
  id: string;
  email: string;
  role: Role;
}

export interface JwtClaims {
  sub: string;
  email: string;
  role: Role;
}
