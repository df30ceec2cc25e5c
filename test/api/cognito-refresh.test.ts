// Staff sessions that follow Cognito: the app's session lasts 15 minutes and is renewed with the
// refresh token (kept encrypted in its own cookie), so what an administrator changes in the pool —
// groups, a disabled account, a global sign-out — reaches the app at the next renewal. Against the
// local issuer (fake-cognito.ts), with the app's and the issuer's clocks moved by hand.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../lib/api/app';
import { recentAudit } from '../../lib/audit/audit-log';
import { type CognitoAuthOptions, cognitoAuthenticator } from '../../lib/auth/cognito-auth';
import { localAuthenticator } from '../../lib/auth/local-auth';
import { COGNITO_SESSION_TTL_S, REFRESH_TTL_S, SessionSigner } from '../../lib/auth/sessions';
import { type TestCtx, tempCtx } from '../helpers';
import { type FakeCognito, startFakeCognito } from './fake-cognito';

const CLIENT = 'portal-client';
const SECRET = 'a-shared-session-key-for-every-lambda';
const LOCAL = 'http://localhost';
const SUB = 'u-1';
const EMAIL = 'planner@mpo.example';

let fake: FakeCognito;
let ctx: TestCtx;
let clock = Date.now();
beforeAll(async () => {
  fake = await startFakeCognito({ clientId: CLIENT });
  fake.state.callbackUrls.push(`${LOCAL}/staff/auth/callback`, 'https://portal.example/staff/auth/callback');
  fake.state.logoutUrls.push(`${LOCAL}/`, 'https://portal.example/');
  fake.state.now = () => clock;
  // Tokens live as long as the pool issues them (cdk/constructs/staff-user-pool-defaults.ts).
  fake.state.tokenTtlS = COGNITO_SESSION_TTL_S;
  ctx = tempCtx();
});
afterAll(async () => {
  await fake.close();
  ctx.cleanup();
});
afterEach(() => {
  fake.state.tamper = undefined;
  fake.state.user = { sub: SUB, email: EMAIL, groups: ['viewer', 'analyst'] };
  clock = Date.now();
});

function lambda(o: CognitoAuthOptions = {}) {
  const auth = cognitoAuthenticator(fake.config, { sessionSecret: SECRET, now: () => clock, ...o });
  return createApp({ ctx, auth, limits: { ratePerMinute: 0 } });
}
type App = ReturnType<typeof lambda>;

interface SetCookie {
  name: string;
  value: string;
  attrs: string;
  path: string;
}
/** Every Set-Cookie line of a response (the refresh cookie comes once per path). */
function setCookies(res: Response): SetCookie[] {
  return res.headers.getSetCookie().map((line) => {
    const [pair, ...attrs] = line.split(';');
    const eq = pair!.indexOf('=');
    const a = attrs.join(';').trim();
    return {
      name: pair!.slice(0, eq).trim(),
      value: pair!.slice(eq + 1),
      attrs: a,
      path: /Path=([^;]*)/.exec(a)?.[1] ?? '',
    };
  });
}
const named = (res: Response, name: string) => setCookies(res).filter((c) => c.name === name);

/** A browser's cookies after sign-in: the session and the refresh cookie (same value on both paths). */
interface Jar {
  session?: string;
  refresh?: string;
}

async function signIn(app: App, origin = LOCAL) {
  const start = await app.request(`${origin}/staff/login`);
  const state = named(start, 'corridor_login')[0]!.value;
  const back = await fetch(new URL(start.headers.get('location')!), { redirect: 'manual' });
  const callback = new URL(back.headers.get('location')!);
  const done = await app.request(`${origin}${callback.pathname}${callback.search}`, {
    headers: { cookie: `corridor_login=${state}` },
  });
  expect(done.status).toBe(303);
  const jar: Jar = {
    session: named(done, 'corridor_session')[0]?.value,
    refresh: named(done, 'corridor_refresh')[0]?.value,
  };
  return { done, jar };
}

const cookieHeader = (jar: Jar) =>
  [jar.session && `corridor_session=${jar.session}`, jar.refresh && `corridor_refresh=${jar.refresh}`]
    .filter(Boolean)
    .join('; ');

/** A request as the browser sends it, taking in the cookies the answer sets. */
async function browse(app: App, jar: Jar, path: string, init: RequestInit = {}) {
  const res = await app.request(path, {
    ...init,
    headers: { ...(init.headers as Record<string, string>), cookie: cookieHeader(jar) },
  });
  for (const c of setCookies(res)) {
    const key =
      c.name === 'corridor_session' ? 'session' : c.name === 'corridor_refresh' ? 'refresh' : undefined;
    if (key) jar[key] = /Max-Age=0/.test(c.attrs) ? undefined : c.value;
  }
  return res;
}
const me = async (app: App, jar: Jar) => {
  const res = await browse(app, jar, '/api/v1/staff/me');
  return { status: res.status, body: res.status === 200 ? await res.json() : undefined, res };
};

/** Moves both clocks past the app session's end. */
const lapse = () => {
  clock += (COGNITO_SESSION_TTL_S + 60) * 1000;
};
const refreshCalls = () => fake.state.tokenCalls.filter((t) => t.grant === 'refresh_token' || t.error).length;

describe('the refresh cookie', () => {
  it('is set on sign-in: encrypted, HttpOnly, SameSite=Lax, only for the staff paths, as long as the token', async () => {
    const { done } = await signIn(lambda(), 'https://portal.example');
    const refresh = named(done, 'corridor_refresh');
    expect(refresh.map((c) => c.path).sort()).toEqual(['/api/v1/staff', '/staff']);
    for (const c of refresh) {
      expect(c.attrs).toMatch(/HttpOnly/);
      expect(c.attrs).toMatch(/SameSite=Lax/);
      expect(c.attrs).toMatch(/Secure/);
      expect(c.attrs).toMatch(new RegExp(`Max-Age=${REFRESH_TTL_S}(;|$)`));
      // Browsers keep a cookie of at most 4096 bytes, name and attributes included (RFC 6265 §6.1).
      expect(`corridor_refresh=${c.value}; ${c.attrs}`.length).toBeLessThan(4096);
    }
    expect(refresh[0]!.value).toBe(refresh[1]!.value);
    // Neither the token nor who it belongs to can be read from the cookie.
    const token = fake.state.refreshIssued.at(-1)!;
    const raw = Buffer.from(refresh[0]!.value, 'base64url');
    for (const secret of [token, token.slice(0, 16), EMAIL, SUB])
      expect(raw.includes(Buffer.from(secret)) || refresh[0]!.value.includes(secret)).toBe(false);
    // The session itself is the short one.
    expect(named(done, 'corridor_session')[0]!.attrs).toMatch(
      new RegExp(`Max-Age=${COGNITO_SESSION_TTL_S}(;|$)`),
    );
  });
});

describe('renewing a lapsed session', () => {
  it('renews transparently with the role Cognito gives now; a lost group lowers the role at the next renewal', async () => {
    const app = lambda();
    const { jar } = await signIn(app);
    expect((await me(app, jar)).body).toEqual({ user: EMAIL, role: 'analyst', via: 'session' });
    const before = refreshCalls();

    lapse();
    const renewed = await me(app, jar);
    expect(renewed.body).toEqual({ user: EMAIL, role: 'analyst', via: 'session' });
    expect(fake.state.tokenCalls.at(-1)).toEqual({ status: 200, grant: 'refresh_token' });
    expect(refreshCalls()).toBe(before + 1);
    expect(named(renewed.res, 'corridor_session')[0]!.attrs).toMatch(
      new RegExp(`Max-Age=${COGNITO_SESSION_TTL_S}(;|$)`),
    );
    // The new session is used as is until it lapses: no call per request.
    await me(app, jar);
    expect(refreshCalls()).toBe(before + 1);

    // An administrator takes the user out of `analyst`.
    fake.state.accounts[SUB]!.groups = ['viewer'];
    lapse();
    expect((await me(app, jar)).body).toEqual({ user: EMAIL, role: 'viewer', via: 'session' });
    const compute = await browse(app, jar, '/api/v1/staff/compute', {
      method: 'POST',
      headers: { origin: LOCAL, 'content-type': 'application/json' },
      body: JSON.stringify({ family: 'pm3' }),
    });
    expect(compute.status).toBe(403);

    // And back to admin: a raise shows up the same way.
    fake.state.accounts[SUB]!.groups = ['admin'];
    lapse();
    expect((await me(app, jar)).body).toMatchObject({ role: 'admin' });
  });

  it('works on a page request too, and on another instance than the one that signed in', async () => {
    const { jar } = await signIn(lambda());
    lapse();
    const other = lambda();
    const page = await browse(other, jar, '/staff', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(EMAIL);
    // /staff/login with a renewable session goes straight on instead of round Cognito.
    lapse();
    const login = await browse(other, jar, '/staff/login?next=/staff/compliance');
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe('/staff/compliance');
  });

  it('signs out and audits when Cognito refuses: a revoked token (global sign-out) or a disabled user', async () => {
    for (const [why, act] of [
      ['global sign-out', () => fake.signOutEverywhere(SUB)],
      ['disabled', () => (fake.state.accounts[SUB]!.disabled = true)],
    ] as const) {
      const app = lambda();
      const { jar } = await signIn(app);
      act();
      // Within the session nothing changes: that is the 15-minute bound.
      expect([why, (await me(app, jar)).status]).toEqual([why, 200]);
      lapse();
      const api = await me(app, jar);
      expect([why, api.status]).toEqual([why, 401]);
      expect(fake.state.tokenCalls.at(-1)).toEqual({ status: 400, error: 'invalid_grant' });
      // Both cookies are cleared, the refresh one on both paths.
      const cleared = setCookies(api.res).filter((c) => /Max-Age=0/.test(c.attrs));
      expect(cleared.map((c) => `${c.name} ${c.path}`).sort()).toEqual([
        'corridor_refresh /api/v1/staff',
        'corridor_refresh /staff',
        'corridor_session /',
      ]);
      expect(jar).toEqual({ session: undefined, refresh: undefined });
      const events = await recentAudit(ctx.storage, 5);
      expect(events.find((e) => e.action === 'session_refresh')).toMatchObject({
        user: EMAIL,
        outcome: 'refused',
        detail: { reason: expect.stringContaining('invalid_grant') },
      });
      fake.state.accounts[SUB]!.disabled = false;
    }
  });

  it('sends a page to the sign-in when the refresh is refused', async () => {
    const app = lambda();
    const { jar } = await signIn(app);
    fake.signOutEverywhere(SUB);
    lapse();
    const page = await browse(app, jar, '/staff/compliance', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/staff/login?next=%2Fstaff%2Fcompliance');
  });

  it('signs out when no staff group is left', async () => {
    const app = lambda();
    const { jar } = await signIn(app);
    fake.state.accounts[SUB]!.groups = ['contractors'];
    lapse();
    expect((await me(app, jar)).status).toBe(401);
    expect(jar.refresh).toBeUndefined();
    const events = await recentAudit(ctx.storage, 5);
    expect(events[0]).toMatchObject({
      action: 'session_refresh',
      outcome: 'refused',
      detail: { reason: expect.stringContaining('no staff group') },
    });
  });

  it('verifies the renewed tokens as at sign-in: another subject, audience, issuer or key is refused', async () => {
    const cases: [string, typeof fake.state.tamper][] = [
      ['another subject', { id: { sub: 'u-9' }, access: { sub: 'u-9' } }],
      ['subjects differ', { access: { sub: 'u-9' } }],
      ['wrong aud', { id: { aud: 'another-client' } }],
      ['wrong client_id', { access: { client_id: 'another-client' } }],
      ['wrong iss', { id: { iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_OTHER' } }],
      ['access token as ID token', { id: { token_use: 'access', client_id: CLIENT } }],
      ['expired', { id: { exp: 1 }, access: { exp: 1 } }],
      ['alg none', { alg: 'none' }],
      ['unknown key', { kid: 'nope' }],
    ];
    for (const [why, tamper] of cases) {
      const app = lambda();
      const { jar } = await signIn(app);
      fake.state.tamper = tamper;
      lapse();
      expect([why, (await me(app, jar)).status]).toEqual([why, 401]);
      expect([why, jar.refresh]).toEqual([why, undefined]);
      fake.state.tamper = undefined;
    }
  });

  it('ignores a tampered, foreign or expired refresh cookie without asking Cognito', async () => {
    const app = lambda();
    const { jar } = await signIn(app);
    const good = jar.refresh!;
    const flip = (s: string, i: number) => `${s.slice(0, i)}${s[i] === 'A' ? 'B' : 'A'}${s.slice(i + 1)}`;
    const foreign = new SessionSigner('another-deployment-key', () => clock).encrypt(
      'refresh-token',
      { t: fake.state.refreshIssued.at(-1), s: SUB, u: EMAIL },
      3600,
    );
    // The same key, another purpose: neither a signed session value nor a value encrypted for
    // something else is a refresh cookie.
    const session = jar.session!;
    const otherPurpose = new SessionSigner(SECRET, () => clock).encrypt(
      'another-purpose',
      { t: fake.state.refreshIssued.at(-1), s: SUB, u: EMAIL },
      3600,
    );
    lapse();
    const calls = fake.state.tokenCalls.length;
    const audits = (await recentAudit(ctx.storage, 100)).length;
    for (const [why, value] of [
      ['tampered body', flip(good, 40)],
      ['tampered tag', flip(good, good.length - 3)],
      ['tampered iv', flip(good, 2)],
      ['truncated', good.slice(0, -10)],
      ['foreign key', foreign],
      ['session value', session],
      ['encrypted for another purpose', otherPurpose],
      ['garbage', 'not-a-cookie'],
    ]) {
      const r = await me(app, { refresh: value });
      expect([why, r.status]).toEqual([why, 401]);
    }
    expect(fake.state.tokenCalls.length).toBe(calls);
    expect((await recentAudit(ctx.storage, 100)).length).toBe(audits);
    // The genuine one still works…
    expect((await me(app, { refresh: good })).status).toBe(200);
    // …until the app's own copy of its lifetime runs out, whatever Cognito would say.
    clock += REFRESH_TTL_S * 1000;
    const late = fake.state.tokenCalls.length;
    expect((await me(app, { refresh: good })).status).toBe(401);
    expect(fake.state.tokenCalls.length).toBe(late);
  });

  it('keeps the refresh cookie when Cognito cannot be reached, and renews once it can', async () => {
    let down = false;
    const app = lambda({
      fetch: ((url: string | URL | Request, init?: RequestInit) =>
        down && String(url).endsWith('/oauth2/token')
          ? Promise.reject(new TypeError('fetch failed'))
          : fetch(url, init)) as typeof fetch,
    });
    const { jar } = await signIn(app);
    lapse();
    down = true;
    const r = await me(app, jar);
    expect(r.status).toBe(401);
    expect(named(r.res, 'corridor_refresh')).toEqual([]);
    expect(jar.refresh).toBeDefined();
    down = false;
    expect((await me(app, jar)).status).toBe(200);
  });

  it('lets parallel requests with a lapsed session all through, with one token request per instance', async () => {
    const app = lambda();
    const { jar } = await signIn(app);
    lapse();
    const before = refreshCalls();
    const stale = { ...jar };
    const answers = await Promise.all([1, 2, 3].map(() => me(app, { ...stale })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(refreshCalls()).toBe(before + 1);
    // Two instances each renew: the token is reusable, so both succeed.
    const both = await Promise.all([me(lambda(), { ...stale }), me(lambda(), { ...stale })]);
    expect(both.map((a) => a.status)).toEqual([200, 200]);
    expect(refreshCalls()).toBe(before + 3);
  });

  it('answers a Bearer request on its token alone', async () => {
    const app = lambda();
    const { jar } = await signIn(app);
    lapse();
    const calls = fake.state.tokenCalls.length;
    const res = await app.request('/api/v1/staff/me', {
      headers: { cookie: cookieHeader(jar), authorization: 'Bearer not-a-token' },
    });
    expect(res.status).toBe(401);
    expect(fake.state.tokenCalls.length).toBe(calls);
  });
});

describe('signing out', () => {
  it('revokes the refresh token at Cognito, clears the cookie, and the old cookie renews nothing', async () => {
    const app = lambda();
    const { jar } = await signIn(app);
    const token = fake.state.refreshIssued.at(-1)!;
    const stolen = { ...jar };
    const revokes = fake.state.revokeCalls.length;
    const out = await browse(app, jar, '/staff/logout', { method: 'POST', headers: { origin: LOCAL } });
    expect(out.status).toBe(200);
    expect(fake.state.revokeCalls.slice(revokes)).toEqual([{ token: token.slice(0, 12), status: 200 }]);
    expect(fake.isRevoked(token)).toBe(true);
    const cleared = setCookies(out).filter((c) => /Max-Age=0/.test(c.attrs));
    expect(cleared.map((c) => `${c.name} ${c.path}`).sort()).toEqual([
      'corridor_refresh /api/v1/staff',
      'corridor_refresh /staff',
      'corridor_session /',
    ]);
    // Then on to Cognito's /logout, as before.
    expect(out.headers.get('refresh')).toContain(`${fake.base}/logout?`);
    // A copy of the cookies taken before signing out is worth nothing once the session lapses.
    lapse();
    expect((await me(app, { refresh: stolen.refresh })).status).toBe(401);
    expect(fake.state.tokenCalls.at(-1)).toEqual({ status: 400, error: 'invalid_grant' });
  });

  it('still signs out when the revocation fails', async () => {
    const app = lambda({
      fetch: ((url: string | URL | Request, init?: RequestInit) =>
        String(url).endsWith('/oauth2/revoke')
          ? Promise.reject(new TypeError('fetch failed'))
          : fetch(url, init)) as typeof fetch,
    });
    const { jar } = await signIn(app);
    const out = await browse(app, jar, '/staff/logout', { method: 'POST', headers: { origin: LOCAL } });
    expect(out.status).toBe(200);
    expect(jar).toEqual({ session: undefined, refresh: undefined });
  });
});

describe('the local account', () => {
  it('keeps its 8-hour session and gets no refresh cookie', async () => {
    const app = createApp({
      ctx,
      auth: localAuthenticator({ auth: ctx.config.auth, demoAccount: true }),
      limits: { ratePerMinute: 0 },
    });
    const res = await app.request(`${LOCAL}/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: LOCAL },
      body: 'user=demo&password=corridor-demo',
    });
    expect(res.status).toBe(303);
    expect(named(res, 'corridor_session')[0]!.attrs).toMatch(/Max-Age=28800(;|$)/);
    expect(named(res, 'corridor_refresh')).toEqual([]);
  });
});
