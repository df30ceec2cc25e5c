// Browser sign-in on Cognito's managed login: the OAuth 2.0 authorization code flow with PKCE
// (RFC 6749 §4.1, RFC 7636 S256) and an OIDC nonce. Nothing is kept on the server between the
// redirect out and the callback — the Lambda answering the callback may not be the one that sent
// the browser away — so state, code verifier, nonce and the page to return to travel in a cookie
// signed with the session key, valid ten minutes and bound to the `state` parameter.
// The refresh token the code grant returns goes back to the browser encrypted (sessions.ts) in
// its own cookie; `renew` redeems it when the short app session lapses, so Cognito's current view
// of the user (groups, disabled, tokens revoked) reaches the app within COGNITO_SESSION_TTL_S.
import { createHash, randomBytes } from 'node:crypto';
import type { TotpSetup } from './cognito-mfa';
import { type JwtOptions, principalFromClaims, verifyJwt } from './jwt-auth';
import { sameSecret } from './passwords';
import type { Principal } from './principal';
import { REFRESH_TTL_S, type SessionSigner } from './sessions';

export const LOGIN_STATE_COOKIE = 'corridor_login';
export const LOGIN_STATE_TTL_S = 600;
const SCOPE = 'openid email profile';
export const USER_API_SCOPE = 'aws.cognito.signin.user.admin';
/** What the refresh cookie is encrypted for: no other sealed value opens as one. */
const REFRESH_PURPOSE = 'refresh-token';
/** Cognito's refresh tokens are JWEs of about 1.8 kB; larger would not fit a cookie once encrypted. */
const MAX_REFRESH_TOKEN = 2600;

export type LoginResult =
  | {
      ok: true;
      principal: Principal;
      next: string;
      /** The sign-in was started to set up TOTP (cognito-mfa.ts): `accessToken` may call Cognito's user API. */
      mfaSetup: boolean;
      accessToken: string;
      /** The refresh token, encrypted for the refresh cookie; absent when the provider sent none. */
      refresh?: string;
    }
  | { ok: false; status: 400 | 401 | 403 | 502; reason: string };

export type RenewResult =
  | { ok: true; principal: Principal }
  /**
   * `signOut`: the refresh cookie is worth nothing any more (unreadable or expired, refused by the
   * provider, its tokens did not verify, no staff group left) and is cleared. Without it (the
   * provider could not be reached) the cookie stays for the next request to try again.
   * `user` is set when the cookie was genuine, so the refusal can be put in the audit log.
   */
  | { ok: false; signOut: boolean; user?: string; reason: string };

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
  /** A fresh principal, with the provider's current groups, from the refresh cookie `finish` made. */
  renew?(refresh: string): Promise<RenewResult>;
  /** Revoke the refresh token in the cookie (RFC 7009); false when that could not be done. */
  revoke?(refresh: string): Promise<boolean>;
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

type Tokens = { id_token?: unknown; access_token?: unknown; refresh_token?: unknown };
type TokenAnswer =
  | { kind: 'ok'; tokens: Tokens }
  | { kind: 'refused'; error: string }
  | { kind: 'unreachable' };

export function cognitoLogin(o: CognitoLoginOptions): HostedLogin {
  const get = o.fetch ?? fetch;
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  // A confidential client authenticates with HTTP Basic, id:secret as they are (Cognito's token
  // and revocation endpoints take them so, without RFC 6749 §2.3.1's form-encoding); the portal's
  // public client has no secret and proves itself with the PKCE verifier, or sends its id alone.
  const headers: Record<string, string> = o.clientSecret
    ? { ...form, authorization: `Basic ${Buffer.from(`${o.clientId}:${o.clientSecret}`).toString('base64')}` }
    : form;

  /** POST to the token endpoint: the tokens, the provider's refusal (4xx), or no answer (network, 5xx). */
  const tokenEndpoint = async (body: Record<string, string>): Promise<TokenAnswer> => {
    try {
      const res = await get(new URL('/oauth2/token', o.domain), {
        method: 'POST',
        headers,
        body: new URLSearchParams({ client_id: o.clientId, ...body }),
        signal: AbortSignal.timeout(10_000),
      });
      if (res.status >= 500) return { kind: 'unreachable' };
      if (!res.ok) {
        const why = (await res.json().catch(() => ({}))) as { error?: unknown };
        return { kind: 'refused', error: String(why.error ?? res.status).slice(0, 60) };
      }
      return { kind: 'ok', tokens: (await res.json()) as Tokens };
    } catch {
      return { kind: 'unreachable' };
    }
  };

  /** The ID and access tokens verified (jwt-auth.ts: RS256, iss, aud/client_id, token_use, exp) and of one subject. */
  const verified = async (tokens: Tokens) => {
    const id = typeof tokens.id_token === 'string' ? await verifyJwt(tokens.id_token, o.jwt, 'id') : null;
    const access =
      typeof tokens.access_token === 'string' ? await verifyJwt(tokens.access_token, o.jwt, 'access') : null;
    return id && access && typeof id.sub === 'string' && id.sub === access.sub ? { id, access } : null;
  };

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

      const answer = await tokenEndpoint({
        grant_type: 'authorization_code',
        code: query.code,
        redirect_uri: redirectUri,
        code_verifier: st.v,
      });
      if (answer.kind === 'unreachable')
        return refused(502, 'The identity provider could not be reached: try again in a minute.');
      if (answer.kind === 'refused')
        return refused(401, `The sign-in code was refused (${answer.error}): start again.`);
      const { tokens } = answer;
      const both = await verified(tokens);
      const id = both?.id;
      // The nonce ties the ID token to this sign-in (OIDC Core §3.1.3.7 step 11).
      if (!id || typeof id.nonce !== 'string' || !sameSecret(id.nonce, st.n))
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
        refresh:
          typeof tokens.refresh_token === 'string' && tokens.refresh_token.length <= MAX_REFRESH_TOKEN
            ? o.signer.encrypt(
                REFRESH_PURPOSE,
                // The subject binds the token to this user: renewed tokens must name the same one.
                { t: tokens.refresh_token, s: id.sub, u: principal.user },
                REFRESH_TTL_S,
              )
            : undefined,
      };
    },

    async renew(refresh) {
      const v = o.signer.decrypt(REFRESH_PURPOSE, refresh);
      if (!v || typeof v.t !== 'string' || typeof v.s !== 'string')
        return { ok: false, signOut: true, reason: 'The refresh cookie is unreadable or has expired.' };
      const user = typeof v.u === 'string' ? v.u : v.s;
      // RFC 6749 §6. Without refresh-token rotation (the pool does not turn it on) Cognito returns
      // new ID and access tokens and the same refresh token stays good, so this cookie never changes.
      const answer = await tokenEndpoint({ grant_type: 'refresh_token', refresh_token: v.t });
      if (answer.kind === 'unreachable')
        return { ok: false, signOut: false, user, reason: 'The identity provider could not be reached.' };
      // invalid_grant: revoked (sign-out, an administrator's global sign-out), expired, or the user is disabled.
      if (answer.kind === 'refused')
        return { ok: false, signOut: true, user, reason: `The refresh token was refused (${answer.error}).` };
      const both = await verified(answer.tokens);
      // The same checks as at sign-in, except the nonce, which belongs to the sign-in's ID token only.
      if (!both || both.id.sub !== v.s)
        return { ok: false, signOut: true, user, reason: 'The renewed tokens did not verify.' };
      const principal = principalFromClaims(both.id, 'session', o.jwt.groupsClaim);
      if (!principal)
        return { ok: false, signOut: true, user, reason: 'The account is in no staff group any more.' };
      return { ok: true, principal };
    },

    async revoke(refresh) {
      const v = o.signer.decrypt(REFRESH_PURPOSE, refresh);
      if (!v || typeof v.t !== 'string') return false;
      try {
        // RFC 7009 §2.1; Cognito wants client_id in the body of a public client's request.
        const res = await get(new URL('/oauth2/revoke', o.domain), {
          method: 'POST',
          headers,
          body: new URLSearchParams({ token: v.t, client_id: o.clientId }),
          signal: AbortSignal.timeout(5000),
        });
        return res.ok;
      } catch {
        return false;
      }
    },

    logoutUrl(logoutUri) {
      const url = new URL('/logout', o.domain);
      url.search = new URLSearchParams({ client_id: o.clientId, logout_uri: logoutUri }).toString();
      return url.toString();
    },
  };
}
