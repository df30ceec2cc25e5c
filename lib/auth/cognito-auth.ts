// The Authenticator for a Cognito user pool: jwt-auth.ts's verifier with the pool's public keys
// fetched over HTTPS (they are public: no credentials) and kept for an hour, so a warm Lambda
// verifies tokens without a request per call.
import type { JsonWebKey } from 'node:crypto';
import type { Config } from '../config';
import type { Authenticator } from './authenticator';
import { jwtAuthenticator } from './jwt-auth';

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

export function cognitoAuthenticator(
  c: NonNullable<Config['auth']['cognito']>,
  o: JwksOptions = {},
): Authenticator {
  return jwtAuthenticator({ issuer: c.issuer, clientId: c.clientId, jwks: cachedJwks(c.jwksUrl, o) });
}
