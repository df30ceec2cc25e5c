// A local stand-in for a Cognito user pool's managed login, served over real HTTP on 127.0.0.1:
// JWKS, /oauth2/authorize (signs the configured user in at once and redirects back with a code),
// /oauth2/token (single-use codes, redirect_uri and the PKCE S256 verifier checked, as RFC 6749
// §4.1.3 and RFC 7636 §4.6 require; and the refresh_token grant of §6, which answers with the
// account's groups as they are now and refuses a revoked token or a disabled account with
// invalid_grant, as Cognito does without refresh-token rotation), /oauth2/revoke (RFC 7009) and
// /logout. Tokens are RS256 with a key made here and carry Cognito's claims (token_use,
// cognito:groups, client_id on access tokens, the nonce on ID tokens from a sign-in).
// `tamper` makes the next tokens wrong in one way, to see the app refuse them; `accounts` is the
// administrator's view (groups, disabled) and `signOutEverywhere` is AdminUserGlobalSignOut.
import { createHash, createHmac, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { type Context, Hono } from 'hono';

export interface FakeUser {
  sub: string;
  email: string;
  groups: string[];
}

export interface Tamper {
  id?: Record<string, unknown>;
  access?: Record<string, unknown>;
  /** 'none' leaves the signature empty; 'HS256' signs with the public key as an HMAC secret. */
  alg?: 'none' | 'HS256';
  kid?: string;
}

/** What an administrator can change about a user after they signed in. */
export interface FakeAccount {
  groups: string[];
  disabled: boolean;
}

interface RefreshGrant {
  sub: string;
  clientId: string;
  scope: string;
  revoked: boolean;
}

interface Grant {
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce?: string;
  scope: string;
  user: FakeUser;
  used: boolean;
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

export async function startFakeCognito(o: { clientId: string; clientSecret?: string }) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'fake-1', alg: 'RS256', use: 'sig' };
  const grants = new Map<string, Grant>();
  const refreshTokens = new Map<string, RefreshGrant>();
  const emails = new Map<string, string>();
  const state = {
    user: { sub: 'u-1', email: 'planner@mpo.example', groups: ['viewer', 'analyst'] } as FakeUser,
    callbackUrls: [] as string[],
    logoutUrls: [] as string[],
    tamper: undefined as Tamper | undefined,
    /** Show a sign-in form that posts back (as the managed login does) instead of signing in at once. */
    form: false,
    /** TOTP set-up per user (sub), as the user API left it. */
    mfa: {} as Record<string, { pending?: string; secret?: string; enabled: boolean; preferred: boolean }>,
    /** Every request to /oauth2/token, with its grant type and outcome. */
    tokenCalls: [] as { status: number; error?: string; grant?: string }[],
    /** Every refresh token handed out, newest last. */
    refreshIssued: [] as string[],
    /** Every request to /oauth2/revoke: the token's first characters and the answer. */
    revokeCalls: [] as { token: string; status: number }[],
    /** Users by sub as the administrator left them; a user signing in is added as state.user says. */
    accounts: {} as Record<string, FakeAccount>,
    /** The issuer's clock (ms), for the tokens' iat/exp. */
    now: () => Date.now(),
    /** Lifetime of ID and access tokens, seconds. */
    tokenTtlS: 3600,
  };
  let base = '';
  const issuer = () => `${base}/us-east-1_FAKE`;

  const jwt = (claims: Record<string, unknown>, t: Tamper | undefined) => {
    const header = { alg: t?.alg ?? 'RS256', kid: t?.kid ?? 'fake-1', typ: 'JWT' };
    const head = `${b64(header)}.${b64(claims)}`;
    if (t?.alg === 'none') return `${head}.`;
    if (t?.alg === 'HS256')
      return `${head}.${createHmac('sha256', publicKey.export({ type: 'spki', format: 'pem' }))
        .update(head)
        .digest('base64url')}`;
    return `${head}.${sign('RSA-SHA256', Buffer.from(head), privateKey).toString('base64url')}`;
  };

  const app = new Hono();
  app.get('/us-east-1_FAKE/.well-known/jwks.json', (c) => c.json({ keys: [jwk] }));
  // Browsers ask every host for one; a 404 would read as an error in the browser test.
  app.get('/favicon.ico', (c) => c.body(null, 204));

  app.get('/oauth2/authorize', (c) => {
    const q = c.req.query();
    // An unregistered redirect_uri gets an error page, never a redirect (RFC 6749 §4.1.2.1).
    if (q.client_id !== o.clientId || !q.redirect_uri || !state.callbackUrls.includes(q.redirect_uri))
      return c.text('redirect_mismatch', 400);
    const back = new URL(q.redirect_uri);
    const fail = (error: string) => {
      back.searchParams.set('error', error);
      if (q.state) back.searchParams.set('state', q.state);
      return c.redirect(back.toString(), 302);
    };
    if (q.response_type !== 'code') return fail('unsupported_response_type');
    if (!q.scope?.split(' ').includes('openid')) return fail('invalid_scope');
    if (q.code_challenge_method !== 'S256' || !/^[\w-]{43}$/.test(q.code_challenge ?? ''))
      return fail('invalid_request');
    if (state.form) {
      // Cognito's page posts the password to its own domain and then redirects to the app: the
      // redirect back is a cross-site navigation started by a POST.
      const hidden = Object.entries(q)
        .map(([k, v]) => `<input type="hidden" name="${k}" value="${encodeURIComponent(v)}">`)
        .join('');
      return c.html(
        `<!doctype html><title>Sign in</title><form method="post" action="/login">${hidden}<label>Email <input name="username"></label><button>Sign in</button></form>`,
      );
    }
    return issue(c, q, back);
  });
  app.post('/login', async (c) => {
    const form = await c.req.parseBody();
    const q = Object.fromEntries(
      Object.entries(form).map(([k, v]) => [k, decodeURIComponent(String(v))]),
    ) as Record<string, string>;
    if (q.client_id !== o.clientId || !q.redirect_uri || !state.callbackUrls.includes(q.redirect_uri))
      return c.text('redirect_mismatch', 400);
    return issue(c, q, new URL(q.redirect_uri));
  });

  const issue = (c: Context, q: Record<string, string>, back: URL) => {
    const account = state.accounts[state.user.sub];
    if (account?.disabled) {
      back.searchParams.set('error', 'access_denied');
      if (q.state) back.searchParams.set('state', q.state);
      return c.redirect(back.toString(), 302);
    }
    // A new sign-in takes the account as state.user describes it now.
    state.accounts[state.user.sub] = { groups: [...state.user.groups], disabled: false };
    const code = randomBytes(16).toString('hex');
    grants.set(code, {
      clientId: o.clientId,
      redirectUri: q.redirect_uri!,
      challenge: q.code_challenge!,
      nonce: q.nonce,
      scope: q.scope ?? '',
      user: state.user,
      used: false,
    });
    back.searchParams.set('code', code);
    if (q.state) back.searchParams.set('state', q.state);
    return c.redirect(back.toString(), 302);
  };

  app.post('/oauth2/token', async (c) => {
    const refuse = (error: string, status: 400 | 401 = 400) => {
      state.tokenCalls.push({ status, error });
      return c.json({ error }, status);
    };
    if (!(c.req.header('content-type') ?? '').startsWith('application/x-www-form-urlencoded'))
      return refuse('invalid_request');
    const f = Object.fromEntries(new URLSearchParams(await c.req.text()));
    if (o.clientSecret) {
      const want = `Basic ${Buffer.from(`${o.clientId}:${o.clientSecret}`).toString('base64')}`;
      if (c.req.header('authorization') !== want) return refuse('invalid_client', 401);
    }
    if (f.client_id !== o.clientId) return refuse('invalid_client', 401);
    if (f.grant_type === 'refresh_token') {
      const r = f.refresh_token ? refreshTokens.get(f.refresh_token) : undefined;
      const account = r ? state.accounts[r.sub] : undefined;
      if (!r || r.revoked || r.clientId !== f.client_id || !account || account.disabled)
        return refuse('invalid_grant');
      // No new refresh token: without rotation Cognito returns ID and access tokens only.
      return tokens(
        { sub: r.sub, email: emails.get(r.sub)!, groups: account.groups },
        r.scope,
        undefined,
        'refresh_token',
      );
    }
    if (f.grant_type !== 'authorization_code') return refuse('unsupported_grant_type');
    const g = f.code ? grants.get(f.code) : undefined;
    // A code is good once; its grant is spent even when this attempt fails later.
    if (!g || g.used) return refuse('invalid_grant');
    g.used = true;
    if (g.clientId !== f.client_id || g.redirectUri !== f.redirect_uri) return refuse('invalid_grant');
    const verifier = f.code_verifier ?? '';
    if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return refuse('invalid_grant');
    if (createHash('sha256').update(verifier).digest('base64url') !== g.challenge)
      return refuse('invalid_grant');
    // About the size of Cognito's (a JWE of ~1.8 kB), so the app's cookie is tried at a real size.
    const refresh = randomBytes(1300).toString('base64url');
    refreshTokens.set(refresh, { sub: g.user.sub, clientId: g.clientId, scope: g.scope, revoked: false });
    emails.set(g.user.sub, g.user.email);
    state.refreshIssued.push(refresh);
    return tokens(g.user, g.scope, g.nonce, 'authorization_code', refresh);

    function tokens(
      user: FakeUser,
      scope: string,
      nonce: string | undefined,
      grant: string,
      refresh?: string,
    ) {
      const now = Math.floor(state.now() / 1000);
      const t = state.tamper;
      const common = { sub: user.sub, iss: issuer(), iat: now, auth_time: now, exp: now + state.tokenTtlS };
      const id = {
        ...common,
        aud: o.clientId,
        token_use: 'id',
        email: user.email,
        'cognito:username': user.sub,
        'cognito:groups': user.groups,
        ...(nonce ? { nonce } : {}),
        ...t?.id,
      };
      const access = {
        ...common,
        client_id: o.clientId,
        token_use: 'access',
        scope,
        username: user.sub,
        'cognito:groups': user.groups,
        ...t?.access,
      };
      state.tokenCalls.push({ status: 200, grant });
      return c.json({
        id_token: jwt(id, t),
        access_token: jwt(access, t),
        ...(refresh ? { refresh_token: refresh } : {}),
        token_type: 'Bearer',
        expires_in: state.tokenTtlS,
      });
    }
  });

  // RFC 7009: the client's own token is revoked; an unknown token is answered 200 too (§2.2).
  app.post('/oauth2/revoke', async (c) => {
    const f = Object.fromEntries(new URLSearchParams(await c.req.text()));
    const answer = (status: 200 | 400 | 401, error?: string) => {
      state.revokeCalls.push({ token: String(f.token ?? '').slice(0, 12), status });
      return error ? c.json({ error }, status) : c.body(null, status);
    };
    if (!(c.req.header('content-type') ?? '').startsWith('application/x-www-form-urlencoded'))
      return answer(400, 'invalid_request');
    if (o.clientSecret) {
      const want = `Basic ${Buffer.from(`${o.clientId}:${o.clientSecret}`).toString('base64')}`;
      if (c.req.header('authorization') !== want) return answer(401, 'invalid_client');
    } else if (f.client_id !== o.clientId) return answer(401, 'invalid_client');
    if (!f.token) return answer(400, 'invalid_request');
    const r = refreshTokens.get(f.token);
    if (r && r.clientId === o.clientId) r.revoked = true;
    return answer(200);
  });

  // Cognito's user API (cognito-idp.<region>.amazonaws.com), the three calls of TOTP set-up,
  // authorised by an access token of this pool that carries the user-API scope.
  app.post('/', async (c) => {
    const target = (c.req.header('x-amz-target') ?? '').replace('AWSCognitoIdentityProviderService.', '');
    const body = (await c.req.json().catch(() => ({}))) as Record<string, unknown>;
    const fail = (type: string) => c.json({ __type: type, message: type }, 400);
    const claims = ownAccessToken(String(body.AccessToken ?? ''));
    if (
      !claims ||
      !String(claims.scope ?? '')
        .split(' ')
        .includes('aws.cognito.signin.user.admin')
    )
      return fail('NotAuthorizedException');
    const sub = String(claims.sub);
    state.mfa[sub] ??= { enabled: false, preferred: false };
    const mfa = state.mfa[sub];
    if (target === 'AssociateSoftwareToken') {
      mfa.pending = base32(randomBytes(20));
      return c.json({ SecretCode: mfa.pending });
    }
    if (target === 'VerifySoftwareToken') {
      const now = Date.now();
      const ok =
        mfa.pending &&
        [-30_000, 0, 30_000].some((d) => totpCode(mfa.pending!, now + d) === String(body.UserCode));
      if (!ok) return fail('EnableSoftwareTokenMFAException');
      mfa.secret = mfa.pending;
      return c.json({ Status: 'SUCCESS' });
    }
    if (target === 'SetUserMFAPreference') {
      const want = body.SoftwareTokenMfaSettings as { Enabled?: boolean; PreferredMfa?: boolean } | undefined;
      if (!mfa.secret) return fail('InvalidParameterException');
      mfa.enabled = Boolean(want?.Enabled);
      mfa.preferred = Boolean(want?.PreferredMfa);
      return c.json({});
    }
    return fail('UnknownOperationException');
  });
  const ownAccessToken = (token: string) => {
    const [h, p, sig] = token.split('.');
    if (!h || !p || !sig) return null;
    const ok = verify('RSA-SHA256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(sig, 'base64url'));
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    return ok && claims.token_use === 'access' ? claims : null;
  };

  app.get('/logout', (c) => {
    const q = c.req.query();
    if (q.client_id !== o.clientId || !q.logout_uri || !state.logoutUrls.includes(q.logout_uri))
      return c.text('logout_uri not registered', 400);
    return c.redirect(q.logout_uri, 302);
  });

  const server: ServerType = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    state,
    base,
    issuer: issuer(),
    /** The settings lib/config.ts would read from CORRIDOR_COGNITO_*. */
    config: {
      issuer: issuer(),
      clientId: o.clientId,
      jwksUrl: `${issuer()}/.well-known/jwks.json`,
      domain: base,
    },
    /** AdminUserGlobalSignOut: every refresh token the user holds stops working. */
    signOutEverywhere: (sub: string) => {
      for (const r of refreshTokens.values()) if (r.sub === sub) r.revoked = true;
    },
    /** Whether a refresh token has been revoked (undefined: never issued). */
    isRevoked: (token: string) => refreshTokens.get(token)?.revoked,
    /** An RS256 token signed with the pool's key, for Bearer tests. */
    token: (claims: Record<string, unknown>) => jwt(claims, undefined),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export type FakeCognito = Awaited<ReturnType<typeof startFakeCognito>>;

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function base32(bytes: Buffer) {
  let bits = '';
  for (const b of bytes) bits += b.toString(2).padStart(8, '0');
  return (bits.match(/.{1,5}/g) ?? []).map((x) => B32[Number.parseInt(x.padEnd(5, '0'), 2)]).join('');
}

/** The RFC 6238 code (SHA-1, 30 s, 6 digits) an authenticator app shows for a base32 secret. */
export function totpCode(secret: string, at = Date.now()) {
  const bits = [...secret.replace(/=+$/, '')]
    .map((ch) => B32.indexOf(ch).toString(2).padStart(5, '0'))
    .join('');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => Number.parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30_000)));
  const h = createHmac('sha1', key).update(counter).digest();
  const off = h[h.length - 1]! & 0xf;
  return String((h.readUInt32BE(off) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}
