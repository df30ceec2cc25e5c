// The Cognito redirect dance in a real browser (Debian's chromium): the app on 127.0.0.1 and the
// local issuer (test/api/fake-cognito.ts) on another host name, so the trip out and back is
// cross-site as it is with Cognito's domain — the state and session cookies must survive it
// (SameSite=Lax) and the sign-out must reach the issuer despite the portal's CSP.
import type { ServerType } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../lib/api/app';
import { cognitoAuthenticator } from '../../lib/auth/cognito-auth';
import { type FakeCognito, startFakeCognito, totpCode } from '../api/fake-cognito';
import { type TestCtx, tempCtx } from '../helpers';
import { haveChromium, launchChromium, serveApp } from './browser';

/** The issuer's host name in the browser; Chromium maps it to 127.0.0.1. */
const IDP_HOST = 'idp.corridor.test';

describe.skipIf(!haveChromium)('Cognito sign-in in a real browser', () => {
  let ctx: TestCtx;
  let fake: FakeCognito;
  let server: ServerType;
  let browser: Browser;
  let base: string;
  let idp: string;

  beforeAll(async () => {
    ctx = tempCtx();
    fake = await startFakeCognito({ clientId: 'portal-client' });
    fake.state.form = true;
    idp = fake.base.replace('127.0.0.1', IDP_HOST);
    // The app talks to the issuer at 127.0.0.1; only the browser uses the host name.
    const auth = cognitoAuthenticator(
      { ...fake.config, domain: idp },
      {
        sessionSecret: 'e2e-session-key',
        fetch: ((url: string | URL | Request, init?: RequestInit) =>
          fetch(String(url).replace(IDP_HOST, '127.0.0.1'), init)) as typeof fetch,
      },
    );
    const app = createApp({ ctx, auth, limits: { ratePerMinute: 0 } });
    ({ server, base } = await serveApp(app));
    fake.state.callbackUrls.push(`${base}/staff/auth/callback`);
    fake.state.logoutUrls.push(`${base}/`);
    browser = await launchChromium([`--host-resolver-rules=MAP ${IDP_HOST} 127.0.0.1`]);
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
    await fake?.close();
    ctx?.cleanup();
  });

  it('signs in through the issuer, lands on the page asked for, sets up TOTP, and signs out of both', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));

    await page.goto(`${base}/staff/compliance`);
    await page.waitForURL((u) => u.host.startsWith(IDP_HOST) && u.pathname === '/oauth2/authorize');
    await page.getByLabel('Email').fill('planner@mpo.example');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/staff/compliance`, { timeout: 10_000 });
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/compliance/i);
    const cookies = await context.cookies(base);
    const session = cookies.find((c) => c.name === 'corridor_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookies.find((c) => c.name === 'corridor_login')).toBeUndefined();

    // Two-step sign-in set-up: out to the issuer once more, back to the key, then the first code.
    await page.goto(`${base}/staff/mfa`);
    await page.getByRole('link', { name: 'Set up an authenticator app' }).click();
    await page.getByLabel('Email').fill('planner@mpo.example');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/staff/mfa/setup`, { timeout: 10_000 });
    const key = (await page.locator('main code').first().textContent())!.replace(/\s/g, '');
    expect(key).toBe(fake.state.mfa['u-1']!.pending);
    await page.getByLabel('The 6-digit code the app shows now').fill(totpCode(key));
    await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    await page.getByRole('heading', { name: 'Two-step sign-in is on' }).waitFor({ timeout: 10_000 });
    expect(fake.state.mfa['u-1']).toMatchObject({ enabled: true, preferred: true });

    await page.goto(`${base}/staff`);
    expect(await page.getByText('Signed in as').textContent()).toContain('planner@mpo.example');
    await page.getByRole('button', { name: 'Sign out' }).click();
    // Out through the issuer's /logout and back to the portal's home page.
    await page.waitForURL(`${base}/`, { timeout: 10_000 });
    expect((await context.cookies(base)).find((c) => c.name === 'corridor_session')).toBeUndefined();
    await page.goto(`${base}/staff`);
    await page.waitForURL((u) => u.host.startsWith(IDP_HOST));
    expect(problems).toEqual([]);
    await context.close();
  });
});
