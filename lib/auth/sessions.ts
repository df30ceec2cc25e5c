// Stateless sessions: an HMAC-signed cookie value {user, role, exp}. Nothing is stored server
// side, so the same app works on one Node process or many Lambdas (with a shared secret).
// The same key also signs the short-lived sign-in state of the Cognito login (cognito-login.ts);
// each value is signed for one purpose, so a value made for one never verifies as another.
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
    return this.seal('session', { u: p.user, r: p.role }, ttlS);
  }

  verify(value: string | undefined): Principal | null {
    const v = this.open('session', value);
    if (!v || typeof v.u !== 'string' || !isRole(v.r)) return null;
    return { user: v.u, role: v.r, via: 'session' };
  }

  /** A small JSON object, signed for `purpose`, valid for `ttlS` seconds. */
  seal(purpose: string, value: Record<string, unknown>, ttlS: number) {
    const body = Buffer.from(
      JSON.stringify({ ...value, exp: Math.floor(this.now() / 1000) + ttlS }),
    ).toString('base64url');
    return `${body}.${this.sign(purpose, body)}`;
  }

  /** The object sealed for `purpose`, or null when forged, made for another purpose or expired. */
  open(purpose: string, value: string | undefined): Record<string, unknown> | null {
    if (!value || value.length > 2048) return null;
    const dot = value.indexOf('.');
    if (dot < 1) return null;
    const body = value.slice(0, dot);
    if (!sameSecret(this.sign(purpose, body), value.slice(dot + 1))) return null;
    try {
      const v = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
      if (typeof v.exp !== 'number' || v.exp * 1000 < this.now()) return null;
      return v;
    } catch {
      return null;
    }
  }

  private sign(purpose: string, body: string) {
    return createHmac('sha256', this.key).update(`${purpose}\n${body}`).digest('base64url');
  }
}
