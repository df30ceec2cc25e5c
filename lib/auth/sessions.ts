// Stateless sessions: an HMAC-signed cookie value {user, role, exp}. Nothing is stored server
// side, so the same app works on one Node process or many Lambdas (with a shared secret).
import { createHmac, randomBytes } from 'node:crypto';
import { sameSecret } from './passwords';
import { isRole, type Principal } from './principal';

export const SESSION_COOKIE = 'corridor_session';
export const SESSION_TTL_S = 8 * 3600;

export class SessionSigner {
  private readonly key: Buffer;
  constructor(
    secret?: string,
    private readonly now = () => Date.now(),
  ) {
    this.key = secret ? Buffer.from(secret) : randomBytes(32);
  }

  issue(p: Pick<Principal, 'user' | 'role'>, ttlS = SESSION_TTL_S) {
    const body = Buffer.from(
      JSON.stringify({ u: p.user, r: p.role, exp: Math.floor(this.now() / 1000) + ttlS }),
    ).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  verify(value: string | undefined): Principal | null {
    if (!value || value.length > 2048) return null;
    const dot = value.indexOf('.');
    if (dot < 1) return null;
    const body = value.slice(0, dot);
    if (!sameSecret(this.sign(body), value.slice(dot + 1))) return null;
    try {
      const v = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as {
        u?: unknown;
        r?: unknown;
        exp?: unknown;
      };
      if (typeof v.u !== 'string' || !isRole(v.r) || typeof v.exp !== 'number') return null;
      if (v.exp * 1000 < this.now()) return null;
      return { user: v.u, role: v.r, via: 'session' };
    } catch {
      return null;
    }
  }

  private sign(body: string) {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
