// Two-step sign-in set-up on Cognito (lib/auth/cognito-mfa.ts, lib/api/staff-mfa-setup.ts),
// against the local issuer's user API: a sign-in that also grants the user-API scope, a new TOTP
// secret, a wrong code refused, the right one (computed as an authenticator app does) turning
// TOTP on and preferred for that user.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../lib/api/app';
import { recentAudit } from '../../lib/audit/audit-log';
import { cognitoAuthenticator } from '../../lib/auth/cognito-auth';
import { type TestCtx, tempCtx } from '../helpers';
import { decodeQrSvg } from '../portal/qr-decode';
import { type FakeCognito, startFakeCognito, totpCode } from './fake-cognito';

const LOCAL = 'http://localhost';
let fake: FakeCognito;
let ctx: TestCtx;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  fake = await startFakeCognito({ clientId: 'portal-client' });
  fake.state.callbackUrls.push(`${LOCAL}/staff/auth/callback`);
  ctx = tempCtx();
  app = createApp({
    ctx,
    auth: cognitoAuthenticator(fake.config, { sessionSecret: 'k' }),
    limits: { ratePerMinute: 0 },
  });
});
afterAll(async () => {
  await fake.close();
  ctx.cleanup();
});

const setCookies = (res: Response) =>
  Object.fromEntries(
    res.headers.getSetCookie().map((l) => {
      const pair = l.split(';')[0]!;
      const eq = pair.indexOf('=');
      return [pair.slice(0, eq), { value: pair.slice(eq + 1), line: l }];
    }),
  );

/** A browser's round trip from `path` through the issuer and back to the callback. */
async function roundTrip(path: string, cookie = '') {
  const start = await app.request(path, { headers: { cookie } });
  const state = setCookies(start).corridor_login!.value;
  const authorize = new URL(start.headers.get('location')!);
  const back = new URL((await fetch(authorize, { redirect: 'manual' })).headers.get('location')!);
  const done = await app.request(`${back.pathname}${back.search}`, {
    headers: { cookie: `corridor_login=${state}` },
  });
  return { authorize, done };
}

describe('TOTP set-up through Cognito', () => {
  it('turns on two-step sign-in for the signed-in user, refusing a wrong code first', async () => {
    const first = await roundTrip('/staff/login');
    const session = `corridor_session=${setCookies(first.done).corridor_session!.value}`;
    expect(first.authorize.searchParams.get('scope')).toBe('openid email profile');

    const intro = await app.request('/staff/mfa', { headers: { cookie: session } });
    expect(intro.status).toBe(200);
    const link = (await intro.text())
      .match(/href="(\/staff\/auth\/start\?mfa=1[^"]*)"/)![1]!
      .replace(/&amp;/g, '&');
    const setup = await roundTrip(link, session);
    expect(setup.authorize.searchParams.get('scope')).toBe(
      'openid email profile aws.cognito.signin.user.admin',
    );
    expect(setup.done.status).toBe(303);
    expect(setup.done.headers.get('location')).toBe('/staff/mfa/setup');
    const mfaCookie = setCookies(setup.done).corridor_mfa_setup!;
    expect(mfaCookie.line).toMatch(/HttpOnly/);
    expect(mfaCookie.line).toMatch(/Path=\/staff\/mfa/);
    const cookie = `${session}; corridor_mfa_setup=${mfaCookie.value}`;

    const page = await app.request('/staff/mfa/setup', { headers: { cookie } });
    expect(page.status).toBe(200);
    const secret = fake.state.mfa['u-1']!.pending!;
    const body = await page.text();
    expect(body).toContain(`secret=${secret}&amp;issuer=Corridor`);
    // The QR code carries the same otpauth:// URI, read back by an independent decoder.
    const svg = /<svg[\s\S]*?<\/svg>/.exec(body)![0];
    expect(decodeQrSvg(svg)).toBe(
      `otpauth://totp/Corridor%3Aplanner%40mpo.example?secret=${secret}&issuer=Corridor`,
    );

    const post = (code: string, headers: Record<string, string> = {}) =>
      app.request('/staff/mfa/verify', {
        method: 'POST',
        headers: { cookie, origin: LOCAL, 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams({ code }),
      });
    const right = totpCode(secret);
    const wrong = String((Number(right) + 500_000) % 1_000_000).padStart(6, '0');
    expect((await post(wrong)).status).toBe(422);
    expect(fake.state.mfa['u-1']).toMatchObject({ enabled: false });
    expect((await post(right, { origin: 'https://evil.example' })).status).toBe(403);
    const ok = await post(right);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('Two-step sign-in is on');
    expect(setCookies(ok).corridor_mfa_setup!.line).toMatch(/Max-Age=0/);
    expect(fake.state.mfa['u-1']).toMatchObject({ secret, enabled: true, preferred: true });
    const events = await recentAudit(ctx.storage, 10);
    expect(events.filter((e) => e.action === 'mfa_setup').map((e) => e.outcome)).toEqual(
      expect.arrayContaining(['refused', 'ok']),
    );
  });

  it('needs a session, and a set-up sign-in; an ordinary access token cannot use the user API', async () => {
    expect((await app.request('/staff/mfa/setup')).status).toBe(401);
    const first = await roundTrip('/staff/login');
    const session = `corridor_session=${setCookies(first.done).corridor_session!.value}`;
    const noSetup = await app.request('/staff/mfa/setup', { headers: { cookie: session } });
    expect(noSetup.status).toBe(303);
    expect(noSetup.headers.get('location')).toBe('/staff/mfa');
    // An access token without the user-API scope is refused by Cognito's user API.
    const now = Math.floor(Date.now() / 1000);
    const plain = fake.token({
      iss: fake.issuer,
      sub: 'u-1',
      client_id: 'portal-client',
      token_use: 'access',
      scope: 'openid email profile',
      exp: now + 60,
    });
    const page = await app.request('/staff/mfa/setup', {
      headers: { cookie: `${session}; corridor_mfa_setup=${plain}` },
    });
    expect(page.status).toBe(502);
  });
});
