// Stateless sessions: an HMAC-signed cookie value {user, role, exp}. Nothing is stored server
// side, so the same app works on one Node process or many Lambdas (with a shared secret).
// The same key also signs the short-lived sign-in state of the Cognito login (cognito-login.ts);
// each value is signed for one purpose, so a value made for one never verifies as another.
// Values the browser must carry but never read (Cognito's refresh token) are encrypted instead
// (seal/openSealed… below: AES-256-GCM under a key derived from the same secret).
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { sameSecret } from './passwords';
import { isRole, type Principal } from './principal';

export const SESSION_COOKIE = 'corridor_session';
/** The local account's session (local-auth.ts): nothing upstream can revoke it, so it lasts a working day. */
export const SESSION_TTL_S = 8 * 3600;
/**
 * A Cognito session is short: when it lapses the next request renews it with the refresh token
 * (staff-cognito-login.ts), and that is when Cognito gets its say — a removed group, a disabled
 * account or a revoked token bites within this many seconds instead of at the next sign-in. The
 * pool's access and ID tokens last as long (cdk/constructs/staff-user-pool-defaults.ts), so a
 * session never outlives the tokens it was made from.
 */
export const COGNITO_SESSION_TTL_S = 15 * 60;
/**
 * How long a Cognito sign-in can be renewed: the pool's refresh-token validity (the CDK reads it
 * from here). After that /staff/login goes round the managed login again.
 */
export const REFRESH_TTL_S = 8 * 3600;
/** Label of the encryption key derived from the session secret: it never equals the HMAC key. */
const ENCRYPTION_LABEL = 'corridor sealed cookie aes-256-gcm v1';
/** Browsers keep cookies up to 4096 bytes (RFC 6265 §6.1), name and attributes included. */
const MAX_SEALED = 3900;

export class SessionSigner {
  private readonly key: Buffer;
  private readonly encKey: Buffer;
  constructor(
    secret?: string,
    private readonly now = () => Date.now(),
  ) {
    this.key = secret ? Buffer.from(secret) : randomBytes(32);
    // HKDF (RFC 5869) with a label of its own: the AES key is independent of the HMAC key, so
    // neither use can help an attack on the other.
    this.encKey = Buffer.from(hkdfSync('sha256', this.key, Buffer.alloc(0), ENCRYPTION_LABEL, 32));
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

  /**
   * Like seal, but encrypted (AES-256-GCM, a random 96-bit IV, the purpose as associated data):
   * for values the holder must not be able to read, such as a refresh token kept in a cookie.
   */
  encrypt(purpose: string, value: Record<string, unknown>, ttlS: number) {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    cipher.setAAD(Buffer.from(purpose));
    const plain = JSON.stringify({ ...value, exp: Math.floor(this.now() / 1000) + ttlS });
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
  }

  /** The object encrypted for `purpose`, or null when altered, made elsewhere or for another purpose, or expired. */
  decrypt(purpose: string, value: string | undefined): Record<string, unknown> | null {
    if (!value || value.length > MAX_SEALED || !/^[\w-]+$/.test(value)) return null;
    const raw = Buffer.from(value, 'base64url');
    if (raw.length < 12 + 16 + 2) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.encKey, raw.subarray(0, 12), {
        authTagLength: 16,
      });
      decipher.setAAD(Buffer.from(purpose));
      decipher.setAuthTag(raw.subarray(raw.length - 16));
      const plain = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
      const v = JSON.parse(plain.toString('utf8')) as Record<string, unknown>;
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
