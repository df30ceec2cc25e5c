// Staff browser sign-in through Cognito's managed login, against a local issuer that speaks the
// protocol (fake-cognito.ts: it checks redirect_uri, single-use codes and the PKCE verifier, and
// signs RS256 tokens). The browser is played by hand: each redirect is followed explicitly so the
// tests can tamper with the state, replay the code or make the tokens wrong.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../lib/api/app';
import { EDGE_SECRET_HEADER, VIEWER_HOST_HEADER } from '../../lib/api/public-origin';
import { recentAudit } from '../../lib/audit/audit-log';
import { type CognitoAuthOptions, cognitoAuthenticator } from '../../lib/auth/cognito-auth';
import { COGNITO_SESSION_TTL_S } from '../../lib/auth/sessions';
import type { CognitoConfig } from '../../lib/config';
import { type TestCtx, tempCtx } from '../helpers';
import { type FakeCognito, startFakeCognito } from './fake-cognito';

const CLIENT = 'portal-client';
const SECRET = 'a-shared-session-key-for-every-lambda';
const LOCAL = 'http://localhost';

let fake: FakeCognito;
let ctx: TestCtx;
beforeAll(async () => {
  fake = await startFakeCognito({ clientId: CLIENT });
  fake.state.callbackUrls.push(`${LOCAL}/staff/auth/callback`, 'https://portal.example/staff/auth/callback');
  fake.state.logoutUrls.push(`${LOCAL}/`);
  ctx = tempCtx();
});
afterAll(async () => {
  await fake.close();
  ctx.cleanup();
});
afterEach(() => {
  fake.state.tamper = undefined;
  fake.state.user = { sub: 'u-1', email: 'planner@mpo.example', groups: ['viewer', 'analyst'] };
});

/** A fresh app, as a new Lambda instance would build it: only the secret is shared. */
function lambda(o: CognitoAuthOptions = {}, settings: Partial<CognitoConfig> = {}) {
  const auth = cognitoAuthenticator({ ...fake.config, ...settings }, { sessionSecret: SECRET, ...o });
  return createApp({ ctx, auth, limits: { ratePerMinute: 0 } });
}
type App = ReturnType<typeof lambda>;

/** The Set-Cookie headers of a response: name → {value, attributes}. */
function cookies(res: Response) {
  const out: Record<string, { value: string; attrs: string }> = {};
  for (const line of res.headers.getSetCookie()) {
    const [pair, ...attrs] = line.split(';');
    const eq = pair!.indexOf('=');
    out[pair!.slice(0, eq).trim()] = { value: pair!.slice(eq + 1), attrs: attrs.join(';').trim() };
  }
  return out;
}

/** /staff/login → Cognito → callback, with a hook to change the callback before it is sent. */
async function signIn(
  app: App,
  o: {
    next?: string;
    origin?: string;
    callbackApp?: App;
    alter?: (cb: URL, stateCookie: string) => string;
  } = {},
) {
  const origin = o.origin ?? LOCAL;
  const start = await app.request(
    `${origin}/staff/login${o.next ? `?next=${encodeURIComponent(o.next)}` : ''}`,
  );
  expect(start.status).toBe(302);
  const stateCookie = cookies(start).corridor_login!;
  const authorize = new URL(start.headers.get('location')!);
  const back = await fetch(authorize, { redirect: 'manual' });
  expect(back.status).toBe(302);
  const callback = new URL(back.headers.get('location')!);
  const cookie = o.alter ? o.alter(callback, stateCookie.value) : stateCookie.value;
  const done = await (o.callbackApp ?? app).request(`${origin}${callback.pathname}${callback.search}`, {
    headers: { cookie: `corridor_login=${cookie}` },
  });
  return { start, stateCookie, authorize, callback, done, session: cookies(done).corridor_session?.value };
}

const me = (app: App, session: string | undefined) =>
  app.request('/api/v1/staff/me', { headers: { cookie: `corridor_session=${session}` } });

describe('Cognito browser sign-in', () => {
  it('sends the browser to /oauth2/authorize with PKCE S256, a signed state cookie and the right scopes', async () => {
    const { start, stateCookie, authorize } = await signIn(lambda(), { next: '/staff/compliance' });
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${fake.base}/oauth2/authorize`);
    const q = Object.fromEntries(authorize.searchParams);
    expect(q).toMatchObject({
      response_type: 'code',
      client_id: CLIENT,
      redirect_uri: `${LOCAL}/staff/auth/callback`,
      scope: 'openid email profile',
      code_challenge_method: 'S256',
    });
    expect(q.code_challenge).toMatch(/^[\w-]{43}$/);
    expect(q.state).toMatch(/^[\w-]{43}$/);
    expect(q.nonce).toMatch(/^[\w-]{43}$/);
    // The verifier stays in the signed cookie; the URL carries only its hash.
    expect(stateCookie.value).not.toContain(q.code_challenge);
    expect(stateCookie.attrs).toMatch(/HttpOnly/);
    expect(stateCookie.attrs).toMatch(/SameSite=Lax/);
    expect(stateCookie.attrs).toMatch(/Path=\/staff\/auth\/callback/);
    expect(stateCookie.attrs).toMatch(/Max-Age=600/);
    expect(start.headers.get('cache-control')).toBe('no-store');
  });

  it('ends signed in with the highest role in cognito:groups, on another instance than the one that started', async () => {
    const a = lambda();
    const b = lambda();
    const r = await signIn(a, { next: '/staff/compliance', callbackApp: b });
    expect(r.done.status).toBe(303);
    expect(r.done.headers.get('location')).toBe('/staff/compliance');
    const set = cookies(r.done);
    expect(set.corridor_session!.attrs).toMatch(/HttpOnly/);
    expect(set.corridor_session!.attrs).toMatch(/SameSite=Lax/);
    expect(set.corridor_session!.attrs).toMatch(/Path=\//);
    expect(set.corridor_session!.attrs).not.toMatch(/Secure/);
    // The state cookie is spent.
    expect(set.corridor_login!.attrs).toMatch(/Max-Age=0/);
    expect(fake.state.tokenCalls.at(-1)).toEqual({ status: 200, grant: 'authorization_code' });
    // A third instance accepts the session: nothing lives in a Lambda's memory.
    const who = await me(lambda(), r.session);
    expect(await who.json()).toEqual({ user: 'planner@mpo.example', role: 'analyst', via: 'session' });
    const events = await recentAudit(ctx.storage, 5);
    expect(events.some((e) => e.action === 'sign_in' && e.user === 'planner@mpo.example')).toBe(true);

    fake.state.user = { sub: 'u-2', email: 'boss@mpo.example', groups: ['admin'] };
    const admin = await signIn(a);
    expect(admin.done.headers.get('location')).toBe('/staff');
    const audit = await a.request('/api/v1/staff/audit', {
      headers: { cookie: `corridor_session=${admin.session}` },
    });
    expect(audit.status).toBe(200);
  });

  it('marks the cookies Secure over https', async () => {
    const r = await signIn(lambda(), { origin: 'https://portal.example' });
    expect(r.authorize.searchParams.get('redirect_uri')).toBe('https://portal.example/staff/auth/callback');
    expect(r.stateCookie.attrs).toMatch(/Secure/);
    expect(r.done.status).toBe(303);
    expect(cookies(r.done).corridor_session!.attrs).toMatch(/Secure/);
  });

  it('with a configured callback (behind CloudFront), starts on its origin and returns there', async () => {
    const portal = 'https://portal.example';
    const app = lambda({}, { redirectUri: `${portal}/staff/auth/callback` });
    // The function sees the API's own host whichever host the browser used.
    const login = await app.request(`${LOCAL}/staff/login?next=/staff/compliance`);
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toBe(`${portal}/staff/auth/start?next=%2Fstaff%2Fcompliance`);
    expect(cookies(login).corridor_login).toBeUndefined();
    const start = await app.request(login.headers.get('location')!);
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${portal}/staff/auth/callback`);
    const back = new URL((await fetch(authorize, { redirect: 'manual' })).headers.get('location')!);
    expect(back.origin).toBe(portal);
    const done = await app.request(back.toString(), {
      headers: { cookie: `corridor_login=${cookies(start).corridor_login!.value}` },
    });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/staff/compliance');
    const out = await app.request(`${portal}/staff/logout`, {
      method: 'POST',
      headers: { cookie: `corridor_session=${cookies(done).corridor_session!.value}`, origin: portal },
    });
    expect(new URL(out.headers.get('refresh')!.replace(/^0; url=/, '')).searchParams.get('logout_uri')).toBe(
      `${portal}/`,
    );
  });

  it('behind CloudFront on the portal’s domain signs in, stays and signs out there; on the distribution’s own name it goes round the API URL', async () => {
    const portal = 'https://portal.example';
    const edge = 'edge-secret-0123456789abcdefghij';
    // The function's request URL is the API's (LOCAL); the distribution forwards the viewer's host.
    const app = createApp({
      ctx: { ...ctx, config: { ...ctx.config, viewer: { publicOrigins: [portal], edgeSecret: edge } } },
      auth: cognitoAuthenticator(
        { ...fake.config, redirectUri: `${LOCAL}/staff/auth/callback`, logoutUri: `${LOCAL}/` },
        { sessionSecret: SECRET },
      ),
      limits: { ratePerMinute: 0 },
    });
    const viaPortal = { [VIEWER_HOST_HEADER]: 'portal.example' };
    const login = await app.request(`${LOCAL}/staff/login?next=/staff/compliance`, { headers: viaPortal });
    expect(login.status).toBe(302);
    const authorize = new URL(login.headers.get('location')!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${fake.base}/oauth2/authorize`);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${portal}/staff/auth/callback`);
    const state = cookies(login).corridor_login!;
    expect(state.attrs).toMatch(/Secure/);
    const back = new URL((await fetch(authorize, { redirect: 'manual' })).headers.get('location')!);
    expect(back.origin).toBe(portal);
    const done = await app.request(`${LOCAL}${back.pathname}${back.search}`, {
      headers: { ...viaPortal, cookie: `corridor_login=${state.value}` },
    });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/staff/compliance');
    const session = cookies(done).corridor_session!;
    expect(session.attrs).toMatch(/Secure/);
    const form = (origin: string) =>
      app.request(`${LOCAL}/staff/compliance/targets`, {
        method: 'POST',
        headers: {
          ...viaPortal,
          cookie: `corridor_session=${session.value}`,
          origin,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: '',
      });
    expect((await form(portal)).status).toBe(303);
    expect((await form('https://evil.example')).status).toBe(403);
    const out = await app.request(`${LOCAL}/staff/logout`, {
      method: 'POST',
      headers: { ...viaPortal, cookie: `corridor_session=${session.value}`, origin: portal },
    });
    expect(new URL(out.headers.get('refresh')!.replace(/^0; url=/, '')).searchParams.get('logout_uri')).toBe(
      `${portal}/`,
    );
    // The *.cloudfront.net name is not a registered callback (cdk/stacks/api-stack.ts says why):
    // sign-in starts on the API's URL, as without a portal.
    const cf = await app.request(`${LOCAL}/staff/login?next=/staff`, {
      headers: { [VIEWER_HOST_HEADER]: 'd111abcdef8.cloudfront.net', [EDGE_SECRET_HEADER]: edge },
    });
    expect(cf.headers.get('location')).toBe(`${LOCAL}/staff/auth/start?next=%2Fstaff`);
    expect(cookies(cf).corridor_login).toBeUndefined();
    // The TOTP set-up's sign-in, linked from a page on the portal, returns to the portal too.
    const onPortal = await app.request(`${LOCAL}/staff/auth/start?mfa=1&next=/staff/mfa/setup`, {
      headers: viaPortal,
    });
    const scope = new URL(onPortal.headers.get('location')!).searchParams;
    expect(scope.get('redirect_uri')).toBe(`${portal}/staff/auth/callback`);
    expect(scope.get('scope')).toContain('aws.cognito.signin.user.admin');
  });

  it('refuses a tampered state, a forged or missing state cookie, without spending the code', async () => {
    const app = lambda();
    const calls = fake.state.tokenCalls.length;
    const flip = (s: string) =>
      s[5] === 'A' ? `${s.slice(0, 5)}B${s.slice(6)}` : `${s.slice(0, 5)}A${s.slice(6)}`;
    const tampered = await signIn(app, {
      alter: (cb, c) => {
        cb.searchParams.set('state', flip(cb.searchParams.get('state')!));
        return c;
      },
    });
    expect(tampered.done.status).toBe(400);
    expect(tampered.session).toBeUndefined();
    const forged = await signIn(app, { alter: (_cb, c) => flip(c) });
    expect(forged.done.status).toBe(400);
    const otherBrowser = await signIn(app, { alter: () => '' });
    expect(otherBrowser.done.status).toBe(400);
    // Another browser's valid state cookie does not fit this callback either.
    const theirs = (await app.request('/staff/login')).headers
      .getSetCookie()[0]!
      .split(';')[0]!
      .split('=')[1]!;
    const swapped = await signIn(app, { alter: () => theirs });
    expect(swapped.done.status).toBe(400);
    expect(await swapped.done.text()).toContain('does not belong to this browser');
    expect(fake.state.tokenCalls.length).toBe(calls);
  });

  it('refuses a replayed code, and an expired sign-in state', async () => {
    let clock = Date.now();
    const app = lambda({ now: () => clock });
    let replay = '';
    let replayCookie = '';
    const first = await signIn(app, {
      alter: (cb, c) => {
        replay = `${cb.pathname}${cb.search}`;
        replayCookie = c;
        return c;
      },
    });
    expect(first.done.status).toBe(303);
    const again = await app.request(replay, { headers: { cookie: `corridor_login=${replayCookie}` } });
    expect(again.status).toBe(401);
    expect(fake.state.tokenCalls.at(-1)).toEqual({ status: 400, error: 'invalid_grant' });
    expect(cookies(again).corridor_session).toBeUndefined();

    const late = await signIn(app, {
      alter: (_cb, c) => {
        clock += 601_000;
        return c;
      },
    });
    expect(late.done.status).toBe(400);
    expect(await late.done.text()).toContain('took too long');
  });

  it('refuses tokens with the wrong audience, issuer, use, nonce, expiry or algorithm', async () => {
    const app = lambda();
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, typeof fake.state.tamper][] = [
      ['wrong aud', { id: { aud: 'another-client' } }],
      ['wrong access client_id', { access: { client_id: 'another-client' } }],
      ['wrong iss', { id: { iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_OTHER' } }],
      ['access token as ID token', { id: { token_use: 'access', client_id: CLIENT } }],
      ['expired', { id: { exp: now - 5 }, access: { exp: now - 5 } }],
      ['not yet valid', { id: { nbf: now + 3600 } }],
      ['other nonce', { id: { nonce: 'x'.repeat(43) } }],
      ['no nonce', { id: { nonce: undefined } }],
      ['different subject', { access: { sub: 'someone-else' } }],
      ['alg none', { alg: 'none' }],
      ['alg HS256 keyed with the public key', { alg: 'HS256' }],
      ['unknown key id', { kid: 'nope' }],
    ];
    for (const [why, tamper] of cases) {
      fake.state.tamper = tamper;
      const r = await signIn(app);
      expect([why, r.done.status]).toEqual([why, 401]);
      expect([why, r.session]).toEqual([why, undefined]);
    }
    const events = await recentAudit(ctx.storage, 50);
    expect(events.filter((e) => e.action === 'sign_in_failed').length).toBeGreaterThanOrEqual(cases.length);
  });

  it('refuses an account in no staff group, and a sign-in the provider refused', async () => {
    const app = lambda();
    fake.state.user = { sub: 'u-3', email: 'guest@mpo.example', groups: ['contractors'] };
    const r = await signIn(app);
    expect(r.done.status).toBe(403);
    expect(await r.done.text()).toContain('no staff group');
    const denied = await signIn(app, {
      alter: (cb, c) => {
        cb.searchParams.delete('code');
        cb.searchParams.set('error', 'access_denied');
        return c;
      },
    });
    expect(denied.done.status).toBe(401);
  });

  it('re-signs in on expiry without a refresh cookie: pages go to /staff/login, which goes round Cognito', async () => {
    let clock = Date.now();
    const app = lambda({ now: () => clock });
    const { session } = await signIn(app);
    expect((await me(app, session)).status).toBe(200);
    // The session alone lasts COGNITO_SESSION_TTL_S; cognito-refresh.test.ts renews it.
    clock += COGNITO_SESSION_TTL_S * 1000 + 1000;
    expect((await me(app, session)).status).toBe(401);
    const page = await app.request('/staff/compliance', {
      headers: { cookie: `corridor_session=${session}`, accept: 'text/html' },
    });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/staff/login?next=%2Fstaff%2Fcompliance');
    const login = await app.request(page.headers.get('location')!);
    expect(login.headers.get('location')).toMatch(new RegExp(`^${fake.base}/oauth2/authorize\\?`));
  });

  it('keeps cookie sessions safe from cross-site writes and still takes Bearer tokens', async () => {
    const app = lambda();
    const { session } = await signIn(app);
    const cross = await app.request('/api/v1/staff/compute', {
      method: 'POST',
      headers: {
        cookie: `corridor_session=${session}`,
        origin: 'https://evil.example',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ family: 'pm3' }),
    });
    expect(cross.status).toBe(403);
    expect(await cross.json()).toMatchObject({ message: 'cross-site request refused' });
    const now = Math.floor(Date.now() / 1000);
    const bearer = fake.token({
      iss: fake.issuer,
      client_id: CLIENT,
      token_use: 'access',
      exp: now + 60,
      username: 'robot',
      'cognito:groups': ['viewer'],
    });
    const api = await app.request('/api/v1/staff/me', { headers: { authorization: `Bearer ${bearer}` } });
    expect(await api.json()).toEqual({ user: 'robot', role: 'viewer', via: 'jwt' });
  });

  it('signs out: clears the cookie and ends the Cognito session via /logout', async () => {
    const app = lambda();
    const { session } = await signIn(app);
    const out = await app.request('/staff/logout', {
      method: 'POST',
      headers: { cookie: `corridor_session=${session}`, origin: LOCAL },
    });
    expect(out.status).toBe(200);
    expect(cookies(out).corridor_session!.attrs).toMatch(/Max-Age=0/);
    const refresh = out.headers.get('refresh')!;
    const target = new URL(refresh.replace(/^0; url=/, ''));
    expect(`${target.origin}${target.pathname}`).toBe(`${fake.base}/logout`);
    expect(Object.fromEntries(target.searchParams)).toEqual({ client_id: CLIENT, logout_uri: `${LOCAL}/` });
    const back = await fetch(target, { redirect: 'manual' });
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe(`${LOCAL}/`);
    expect((await app.request('/api/v1/staff/me')).status).toBe(401);
  });

  it('authenticates a confidential client with its secret (HTTP Basic) at the token endpoint', async () => {
    const confidential = await startFakeCognito({ clientId: CLIENT, clientSecret: 's3cr3t/+=' });
    try {
      confidential.state.callbackUrls.push(`${LOCAL}/staff/auth/callback`);
      const app = (clientSecret?: string) =>
        createApp({
          ctx,
          auth: cognitoAuthenticator({ ...confidential.config, clientSecret }, { sessionSecret: SECRET }),
          limits: { ratePerMinute: 0 },
        });
      expect((await signIn(app('s3cr3t/+='))).done.status).toBe(303);
      expect((await signIn(app())).done.status).toBe(401);
      expect(confidential.state.tokenCalls.map((t) => t.status)).toEqual([200, 401]);
    } finally {
      await confidential.close();
    }
  });

  it('turns browser sign-in off on Lambda without a shared session key', async () => {
    const auth = cognitoAuthenticator(fake.config, { sharedSecretRequired: true });
    expect(auth.hosted).toBeUndefined();
    const app = createApp({ ctx, auth, limits: { ratePerMinute: 0 } });
    const page = await app.request('/staff/login');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('CORRIDOR_SESSION_SECRET is not set');
  });
});

describe('the local issuer speaks the protocol (so the tests above mean something)', () => {
  it('refuses a wrong PKCE verifier and an unregistered redirect_uri', async () => {
    const start = await lambda().request('/staff/login');
    const authorize = new URL(start.headers.get('location')!);
    const back = await fetch(authorize, { redirect: 'manual' });
    const code = new URL(back.headers.get('location')!).searchParams.get('code')!;
    const res = await fetch(`${fake.base}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: CLIENT,
        code,
        redirect_uri: `${LOCAL}/staff/auth/callback`,
        code_verifier: 'A'.repeat(43),
      }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_grant' });
    authorize.searchParams.set('redirect_uri', 'https://evil.example/cb');
    expect((await fetch(authorize, { redirect: 'manual' })).status).toBe(400);
  });
});
