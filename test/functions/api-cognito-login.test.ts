// Browser sign-in through the api Lambda entry (functions/api.ts) as API Gateway's HTTP API calls
// it (payload 2.0: cookies arrive in `event.cookies` and leave in `cookies`), configured only by
// the environment the CDK app sets — and carried over a cold start: a fresh module instance with
// the same CORRIDOR_SESSION_SECRET accepts the state and session cookies another one issued.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FakeCognito, startFakeCognito } from '../api/fake-cognito';

const HOST = 'abc123.execute-api.us-east-1.amazonaws.com';
const API = `https://${HOST}`;
const root = mkdtempSync(join(tmpdir(), 'corridor-fn-login-'));
const saved = { ...process.env };
let fake: FakeCognito;

beforeAll(async () => {
  fake = await startFakeCognito({ clientId: 'portal-client' });
  fake.state.callbackUrls.push(`${API}/staff/auth/callback`);
  fake.state.logoutUrls.push(`${API}/`);
  delete process.env.CORRIDOR_BUCKET;
  process.env.CORRIDOR_DATA_DIR = join(root, 'store');
  process.env.CORRIDOR_SCRATCH_DIR = join(root, 'scratch');
  // As cdk/constructs/staff-user-pool.ts's apiEnvironment() sets them.
  process.env.CORRIDOR_COGNITO_ISSUER = fake.issuer;
  process.env.CORRIDOR_COGNITO_CLIENT_ID = 'portal-client';
  process.env.CORRIDOR_COGNITO_JWKS_URL = fake.config.jwksUrl;
  process.env.CORRIDOR_COGNITO_DOMAIN = fake.base;
  process.env.CORRIDOR_COGNITO_REDIRECT_URI = `${API}/staff/auth/callback`;
  process.env.CORRIDOR_COGNITO_LOGOUT_URI = `${API}/`;
  process.env.CORRIDOR_SESSION_SECRET = 'resolved-from-secrets-manager-at-deploy';
});
afterAll(async () => {
  process.env = saved;
  await fake.close();
  rmSync(root, { recursive: true, force: true });
});

/** An HTTP API (payload 2.0) GET with the browser's cookies. */
function get(pathAndQuery: string, cookies: string[] = []) {
  const [path, query = ''] = pathAndQuery.split('?');
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: query,
    cookies,
    headers: { host: HOST, accept: 'text/html', 'x-forwarded-proto': 'https' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: HOST,
      domainPrefix: 'abc123',
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'vitest' },
      requestId: 'req-1',
      routeKey: '$default',
      stage: '$default',
      time: '24/Nov/2026:00:00:00 +0000',
      timeEpoch: 1795478400000,
    },
    isBase64Encoded: false,
  };
}

/** A fresh copy of the Lambda module: what a new instance (cold start) would load. */
async function coldStart() {
  vi.resetModules();
  return (await import('../../functions/api')).handler;
}

const pair = (setCookie: string) => setCookie.split(';')[0]!;

describe('api function: Cognito browser sign-in', () => {
  it('signs in across instances with only the environment the stack sets', async () => {
    const first = await coldStart();
    // On the host of the configured callback (here the API's own), sign-in goes straight to
    // Cognito's managed login, with the state cookie set on this host.
    const start = await first(get('/staff/login?next=/staff/audit') as never);
    expect(start.statusCode).toBe(302);
    expect(new URL(start.headers!.location as string).origin).toBe(new URL(fake.base).origin);
    const stateCookie = (start.cookies ?? []).find((c) => c.startsWith('corridor_login='))!;
    expect(stateCookie).toMatch(/Secure/);
    const authorize = new URL(start.headers!.location as string);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${API}/staff/auth/callback`);
    const back = new URL((await fetch(authorize, { redirect: 'manual' })).headers.get('location')!);

    const second = await coldStart();
    const done = await second(get(`${back.pathname}${back.search}`, [pair(stateCookie)]) as never);
    expect(done.statusCode).toBe(303);
    expect(done.headers!.location).toBe('/staff/audit');
    const session = (done.cookies ?? []).find((c) => c.startsWith('corridor_session='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/Secure/);
    // The encrypted refresh token rides along, only on the staff paths (staff-cognito-login.ts).
    const refresh = (done.cookies ?? []).filter((c) => c.startsWith('corridor_refresh='));
    expect(refresh.map((c) => /Path=([^;]+)/.exec(c)?.[1]).sort()).toEqual(['/api/v1/staff', '/staff']);
    for (const c of refresh) expect(c).toMatch(/HttpOnly.*Secure|Secure.*HttpOnly/);

    const third = await coldStart();
    const me = await third({
      ...get('/api/v1/staff/me', [pair(session)]),
      headers: { host: HOST, accept: 'application/json' },
    } as never);
    expect(me.statusCode).toBe(200);
    expect(JSON.parse(me.body)).toEqual({ user: 'planner@mpo.example', role: 'analyst', via: 'session' });
  });

  it('keeps browser sign-in off when the session key is missing', async () => {
    delete process.env.CORRIDOR_SESSION_SECRET;
    try {
      const handler = await coldStart();
      const page = await handler(get('/staff/login') as never);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('CORRIDOR_SESSION_SECRET is not set');
    } finally {
      process.env.CORRIDOR_SESSION_SECRET = 'resolved-from-secrets-manager-at-deploy';
    }
  });
});
