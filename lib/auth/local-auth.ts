// The local authenticator: one account from the configuration (CORRIDOR_ADMIN_USER with a scrypt
// password hash and/or a token hash), plus — only for the demo store served on loopback — a demo
// account whose password is printed at start-up. A non-loopback bind never gets a default password.
import type { Config } from '../config';
import type { Authenticator } from './authenticator';
import { hashPassword, sameSecret, tokenSha256, verifyPassword } from './passwords';
import { isRole, type Principal, type Role } from './principal';
import { SessionSigner } from './sessions';

export const DEMO_USER = 'demo';
export const DEMO_PASSWORD = 'corridor-demo';

export interface LocalAuthOptions {
  auth: Config['auth'];
  /** Offer the demo account: the caller must only set this for the demo store on loopback. */
  demoAccount?: boolean;
  now?: () => number;
}

interface Account {
  user: string;
  role: Role;
  passwordHash?: string;
  tokenSha256?: string;
}

export function isLoopback(host: string | undefined) {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost';
}

export function localAuthenticator(opts: LocalAuthOptions): Authenticator {
  const accounts: Account[] = [];
  const a = opts.auth;
  if (a.adminUser && (a.adminPasswordHash || a.adminTokenSha256)) {
    accounts.push({
      user: a.adminUser,
      role: isRole(a.adminRole) ? a.adminRole : 'admin',
      passwordHash: a.adminPasswordHash,
      tokenSha256: a.adminTokenSha256?.toLowerCase(),
    });
  }
  if (opts.demoAccount)
    accounts.push({ user: DEMO_USER, role: 'admin', passwordHash: hashPassword(DEMO_PASSWORD) });
  const sessions = new SessionSigner(a.sessionSecret, opts.now);
  const known = (p: Principal | null) => (p && accounts.some((x) => x.user === p.user) ? p : null);
  return {
    enabled: accounts.length > 0,
    notice: opts.demoAccount
      ? `Demo store on this computer only: sign in as "${DEMO_USER}" with password "${DEMO_PASSWORD}".`
      : undefined,
    async authenticate({ session, bearer }) {
      if (bearer) {
        const h = tokenSha256(bearer);
        const acc = accounts.find((x) => x.tokenSha256 && sameSecret(x.tokenSha256, h));
        return acc ? { user: acc.user, role: acc.role, via: 'token' } : null;
      }
      return known(sessions.verify(session));
    },
    async signIn(user, password) {
      if (user.length > 200 || password.length > 1000) return null;
      const acc = accounts.find((x) => x.user === user && x.passwordHash);
      // Verify against a dummy hash when the user is unknown, so timing does not reveal accounts.
      const ok = verifyPassword(password, acc?.passwordHash ?? DUMMY);
      return acc && ok ? { user: acc.user, role: acc.role, via: 'session' } : null;
    },
    issueSession: (p) => sessions.issue(p),
  };
}

const DUMMY = hashPassword('not-a-password');
