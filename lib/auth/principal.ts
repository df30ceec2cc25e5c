// Who is asking, and what they may do. Roles are ordered: an admin can do what an analyst can,
// an analyst what a viewer can.
export const ROLES = ['viewer', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  user: string;
  role: Role;
  /** How the request proved it: a session cookie, an API token, or a verified JWT (Cognito). */
  via: 'session' | 'token' | 'jwt';
}

export function isRole(x: unknown): x is Role {
  return typeof x === 'string' && (ROLES as readonly string[]).includes(x);
}

export function hasRole(p: Principal | null | undefined, needed: Role) {
  return Boolean(p) && ROLES.indexOf(p!.role) >= ROLES.indexOf(needed);
}
