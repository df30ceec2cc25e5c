// An Authenticator for JWTs signed with RS256 by an identity provider with a JWKS — Amazon
// Cognito in AWS (ID or access tokens; staff roles from the `cognito:groups` claim). The key set
// comes in as a function so the CDK wiring decides how it is fetched and cached (Lambda has no
// network in tests; the keys are public). MFA is a Cognito user-pool setting, not checked here.
import { createPublicKey, type JsonWebKey, verify } from 'node:crypto';
import type { Authenticator } from './authenticator';
import { isRole, type Principal, ROLES, type Role } from './principal';

export interface JwtOptions {
  /** The provider's public keys (the `keys` of its /.well-known/jwks.json). */
  jwks: () => Promise<(JsonWebKey & { kid?: string })[]>;
  /** Expected `iss`, e.g. https://cognito-idp.<region>.amazonaws.com/<user pool id>. */
  issuer: string;
  /** Expected app client id: `aud` of ID tokens or `client_id` of access tokens. */
  clientId: string;
  /** Claim holding group names (Cognito: cognito:groups); the highest role among them wins. */
  groupsClaim?: string;
  now?: () => number;
}

export type Claims = Record<string, unknown>;
type TokenUse = 'id' | 'access';

const b64json = (s: string) => JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Claims;

/**
 * The claims of a token signed by the provider for this client, or null. Checks the signature
 * (RS256 only: `none` and HMAC algorithms would let anyone who knows the public key mint tokens),
 * `iss`, `token_use` (Cognito's marker of ID vs access token), the audience (`aud` of an ID token,
 * `client_id` of an access token), `exp` and `nbf` (60 s of clock skew).
 */
export async function verifyJwt(token: string, o: JwtOptions, use?: TokenUse): Promise<Claims | null> {
  if (!token || token.length > 8192) return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const header = b64json(parts[0]!);
    const payload = b64json(parts[1]!);
    if (header.alg !== 'RS256') return null;
    const jwk = (await o.jwks()).find((k) => k.kid === header.kid);
    if (!jwk || (jwk.alg !== undefined && jwk.alg !== 'RS256')) return null;
    const ok = verify(
      'RSA-SHA256',
      Buffer.from(`${parts[0]}.${parts[1]}`),
      createPublicKey({ key: jwk, format: 'jwk' }),
      Buffer.from(parts[2]!, 'base64url'),
    );
    if (!ok) return null;
    const t = (o.now ?? Date.now)() / 1000;
    if (payload.iss !== o.issuer) return null;
    if (payload.token_use !== 'id' && payload.token_use !== 'access') return null;
    if (use && payload.token_use !== use) return null;
    if (typeof payload.exp !== 'number' || payload.exp < t) return null;
    if (typeof payload.nbf === 'number' && payload.nbf > t + 60) return null;
    const aud = payload.token_use === 'access' ? payload.client_id : payload.aud;
    if (aud !== o.clientId) return null;
    return payload;
  } catch {
    return null;
  }
}

/** The staff member the claims name, with the highest staff role among their groups; null without one. */
export function principalFromClaims(
  payload: Claims,
  via: Principal['via'],
  groupsClaim = 'cognito:groups',
): Principal | null {
  const groups = Array.isArray(payload[groupsClaim]) ? (payload[groupsClaim] as unknown[]) : [];
  const roles = groups.filter(isRole) as Role[];
  if (roles.length === 0) return null;
  const role = roles.sort((a, b) => ROLES.indexOf(b) - ROLES.indexOf(a))[0]!;
  const user = String(
    payload.email ?? payload['cognito:username'] ?? payload.username ?? payload.sub ?? 'unknown',
  );
  return { user, role, via };
}

export function jwtAuthenticator(o: JwtOptions): Authenticator {
  return {
    enabled: true,
    notice: 'Staff sign in through the organisation’s identity provider.',
    async authenticate({ bearer }) {
      const claims = bearer ? await verifyJwt(bearer, o) : null;
      return claims ? principalFromClaims(claims, 'jwt', o.groupsClaim) : null;
    },
  };
}
