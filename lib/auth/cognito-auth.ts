// The Authenticator for a Cognito user pool: jwt-auth.ts's verifier with the pool's public keys
// fetched over HTTPS (they are public: no credentials) and kept for an hour, so a warm Lambda
// verifies tokens without a request per call; plus the browser sign-in when the pool has a domain.
import type { JsonWebKey } from 'node:crypto';
import type { CognitoConfig } from '../config';
import type { Authenticator } from './authenticator';
import { cognitoLogin } from './cognito-login';
import { cognitoTotp } from './cognito-mfa';
import { principalFromClaims, verifyJwt } from './jwt-auth';
import { COGNITO_SESSION_TTL_S, SessionSigner } from './sessions';

type Jwk = JsonWebKey & { kid?: string };

export interface JwksOptions {
  fetch?: typeof fetch;
  ttlMs?: number;
  now?: () => number;
}

/** The `keys` of a JWKS document, re-fetched after `ttlMs`; the last good set outlives a failed fetch. */
export function cachedJwks(url: string, o: JwksOptions = {}): () => Promise<Jwk[]> {
  const get = o.fetch ?? fetch;
  const ttl = o.ttlMs ?? 3600_000;
  const now = o.now ?? Date.now;
  let keys: Jwk[] | undefined;
  let fetchedAt = 0;
  let pending: Promise<Jwk[]> | undefined;
  const load = async () => {
    const res = await get(url, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`JWKS ${url}: HTTP ${res.status}`);
    const body = (await res.json()) as { keys?: unknown };
    if (!Array.isArray(body.keys)) throw new Error(`JWKS ${url}: no keys`);
    keys = body.keys as Jwk[];
    fetchedAt = now();
    return keys;
  };
  return async () => {
    if (keys && now() - fetchedAt < ttl) return keys;
    pending ??= load()
      .catch((e) => {
        if (!keys) throw e;
        // Retry in a minute, not on every request (each would wait for the timeout).
        fetchedAt = now() - ttl + Math.min(ttl, 60_000);
        return keys;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}

export interface CognitoAuthOptions extends JwksOptions {
  /** Key of the session cookies and sign-in state (CORRIDOR_SESSION_SECRET). */
  sessionSecret?: string;
  /** True on Lambda: without a shared key each instance would refuse the others' cookies. */
  sharedSecretRequired?: boolean;
}

/**
 * Staff on AWS: API clients send a Cognito access or ID token as a Bearer header; browsers sign in
 * on the managed login (cognito-login.ts) and then carry the usual signed session cookie
 * (sessions.ts). A cookie rather than the tokens themselves: the ID token alone is 1–2 kB with its
 * groups, and the session is a few hundred bytes signed with a key every Lambda shares, so any
 * instance verifies it without a network call. It lasts COGNITO_SESSION_TTL_S (15 minutes); then
 * the next request renews it with the refresh token kept, encrypted, in a cookie of its own
 * (cognito-login.ts `renew`, staff-cognito-login.ts), and Cognito's answer carries the user's
 * current groups or refuses a disabled user or revoked token. So a change in Cognito reaches the
 * app within 15 minutes at the price of one token request per user per 15 minutes. The refresh
 * token lasts REFRESH_TTL_S (8 hours); after that /staff/login goes round Cognito again, which
 * skips the password while its own session lives.
 */
export function cognitoAuthenticator(c: CognitoConfig, o: CognitoAuthOptions = {}): Authenticator {
  const jwt = { issuer: c.issuer, clientId: c.clientId, jwks: cachedJwks(c.jwksUrl, o), now: o.now };
  const sessions = new SessionSigner(o.sessionSecret, o.now);
  const missingKey = Boolean(o.sharedSecretRequired && !o.sessionSecret);
  const hosted =
    c.domain && !missingKey
      ? {
          ...cognitoLogin({ ...c, domain: c.domain, jwt, signer: sessions, fetch: o.fetch }),
          totp: cognitoTotp({ issuer: c.issuer, fetch: o.fetch }),
        }
      : undefined;
  return {
    enabled: true,
    hosted,
    notice: missingKey
      ? 'Browser sign-in is off: CORRIDOR_SESSION_SECRET is not set on this server. API clients can still send a Cognito token.'
      : 'Staff sign in through the organisation’s identity provider.',
    async authenticate({ bearer, session }) {
      if (bearer) {
        const claims = await verifyJwt(bearer, jwt);
        return claims ? principalFromClaims(claims, 'jwt') : null;
      }
      return hosted ? sessions.verify(session) : null;
    },
    issueSession: (p) => sessions.issue(p, COGNITO_SESSION_TTL_S),
  };
}
