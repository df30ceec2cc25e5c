// Browser sign-in on Cognito's managed login: the OAuth 2.0 authorization code flow with PKCE
// (RFC 6749 §4.1, RFC 7636 S256) and an OIDC nonce. Nothing is kept on the server between the
// redirect out and the callback — the Lambda answering the callback may not be the one that sent
// the browser away — so state, code verifier, nonce and the page to return to travel in a cookie
// signed with the session key, valid ten minutes and bound to the `state` parameter.
import { createHash, randomBytes } from 'node:crypto';
import type { TotpSetup } from './cognito-mfa';
import { type JwtOptions, principalFromClaims, verifyJwt } from './jwt-auth';
import { sameSecret } from './passwords';
import type { Principal } from './principal';
import type { SessionSigner } from './sessions';

export const LOGIN_STATE_COOKIE = 'corridor_login';
export const LOGIN_STATE_TTL_S = 600;
const SCOPE = 'openid email profile';
export const USER_API_SCOPE = 'aws.cognito.signin.user.admin';

export type LoginResult =
  | {
      ok: true;
      principal: Principal;
      next: string;
      /** The sign-in was started to set up TOTP (cognito-mfa.ts): `accessToken` may call Cognito's user API. */
      mfaSetup: boolean;
      accessToken: string;
    }
  | { ok: false; status: 400 | 401 | 403 | 502; reason: string };

export interface HostedLogin {
  /** The configured callback and sign-out URLs; when unset the routes derive them from the request. */
  readonly redirectUri?: string;
  readonly logoutUri?: string;
  /** Where to send the browser, and the state cookie to set before it goes. */
  start(o: { redirectUri: string; next: string; mfaSetup?: boolean }): { url: string; cookie: string };
  /** The callback: check the state against its cookie, redeem the code, verify the tokens. */
  finish(o: {
    query: Record<string, string | undefined>;
    cookie: string | undefined;
    redirectUri: string;
  }): Promise<LoginResult>;
  /** Cognito's sign-out endpoint, which ends its own session and returns to `logoutUri`. */
  logoutUrl(logoutUri: string): string;
  /** TOTP set-up through the provider's user API, when it has one (cognito-mfa.ts). */
  readonly totp?: TotpSetup;
}

export interface CognitoLoginOptions {
  /** Base URL of the managed login, e.g. https://<prefix>.auth.<region>.amazoncognito.com. */
  domain: string;
  clientId: string;
  clientSecret?: string;
  redirectUri?: string;
  logoutUri?: string;
  jwt: JwtOptions;
  signer: SessionSigner;
  fetch?: typeof fetch;
}

const random = () => randomBytes(32).toString('base64url');
const refused = (status: 400 | 401 | 403 | 502, reason: string): LoginResult => ({
  ok: false,
  status,
  reason,
});

export function cognitoLogin(o: CognitoLoginOptions): HostedLogin {
  const get = o.fetch ?? fetch;
  return {
    redirectUri: o.redirectUri,
    logoutUri: o.logoutUri,
    start({ redirectUri, next, mfaSetup }) {
      const state = random();
      // 32 random bytes give the 43-character verifier RFC 7636 §4.1 asks for at least.
      const verifier = random();
      const nonce = random();
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      const url = new URL('/oauth2/authorize', o.domain);
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: o.clientId,
        redirect_uri: redirectUri,
        // Cognito's own user API (TOTP set-up) needs this scope in the access token; ordinary
        // sign-ins do not ask for it.
        scope: mfaSetup ? `${SCOPE} ${USER_API_SCOPE}` : SCOPE,
        state,
        nonce,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }).toString();
      const cookie = o.signer.seal(
        'login-state',
        { s: state, v: verifier, n: nonce, r: redirectUri, next, ...(mfaSetup ? { m: 1 } : {}) },
        LOGIN_STATE_TTL_S,
      );
      return { url: url.toString(), cookie };
    },

    async finish({ query, cookie, redirectUri }) {
      if (query.error)
        return refused(
          401,
          `The identity provider did not sign you in (${String(query.error).slice(0, 60)}).`,
        );
      const st = o.signer.open('login-state', cookie);
      if (!st || typeof st.s !== 'string' || typeof st.v !== 'string' || typeof st.n !== 'string')
        return refused(400, 'The sign-in took too long or was started in another browser: start again.');
      // The state must be the one this browser was sent away with (login CSRF, RFC 6749 §10.12).
      if (!query.state || !sameSecret(query.state, st.s) || st.r !== redirectUri)
        return refused(400, 'The sign-in response does not belong to this browser’s sign-in: start again.');
      if (!query.code || query.code.length > 2048) return refused(400, 'The sign-in response has no code.');

      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
      // A confidential client authenticates with HTTP Basic, id:secret as they are (Cognito's token
      // endpoint takes them so, without RFC 6749 §2.3.1's form-encoding); the portal's public
      // client has no secret and proves itself with the PKCE verifier alone.
      if (o.clientSecret)
        headers.authorization = `Basic ${Buffer.from(`${o.clientId}:${o.clientSecret}`).toString('base64')}`;
      let tokens: { id_token?: unknown; access_token?: unknown };
      try {
        const res = await get(new URL('/oauth2/token', o.domain), {
          method: 'POST',
          headers,
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            client_id: o.clientId,
            code: query.code,
            redirect_uri: redirectUri,
            code_verifier: st.v,
          }),
          signal: AbortSignal.timeout(10_000),
        });
        if (!res.ok) {
          const why = (await res.json().catch(() => ({}))) as { error?: unknown };
          return refused(
            401,
            `The sign-in code was refused (${String(why.error ?? res.status).slice(0, 60)}): start again.`,
          );
        }
        tokens = (await res.json()) as typeof tokens;
      } catch {
        return refused(502, 'The identity provider could not be reached: try again in a minute.');
      }
      const id = typeof tokens.id_token === 'string' ? await verifyJwt(tokens.id_token, o.jwt, 'id') : null;
      const access =
        typeof tokens.access_token === 'string'
          ? await verifyJwt(tokens.access_token, o.jwt, 'access')
          : null;
      // The nonce ties the ID token to this sign-in (OIDC Core §3.1.3.7 step 11).
      if (
        !id ||
        !access ||
        id.sub !== access.sub ||
        typeof id.nonce !== 'string' ||
        !sameSecret(id.nonce, st.n)
      )
        return refused(401, 'The identity provider’s tokens did not verify: start again.');
      const principal = principalFromClaims(id, 'session', o.jwt.groupsClaim);
      if (!principal)
        return refused(
          403,
          'Your account is in no staff group (viewer, analyst or admin): ask an administrator.',
        );
      return {
        ok: true,
        principal,
        next: typeof st.next === 'string' ? st.next : '/staff',
        mfaSetup: st.m === 1,
        accessToken: tokens.access_token as string,
      };
    },

    logoutUrl(logoutUri) {
      const url = new URL('/logout', o.domain);
      url.search = new URLSearchParams({ client_id: o.clientId, logout_uri: logoutUri }).toString();
      return url.toString();
    },
  };
}
