// Security of the staff BCA routes: anonymous callers and roles below the one needed are refused,
// a browser session cannot run or publish from another site (CSRF), and a run nobody published is
// a 404 on every public route, and absent from the public listings.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../lib/api/app';
import { localAuthenticator } from '../../lib/auth/local-auth';
import { hashPassword } from '../../lib/auth/passwords';
import type { Role } from '../../lib/auth/principal';
import { type TestCtx, tempCtx } from '../helpers';
import { bearer, testAuthenticator } from './demo-app';
import { twoProjects } from './staff-bca-form';

let ctx: TestCtx;
let app: ReturnType<typeof createApp>;
let runId: string;

const ROUTES: { method: string; path: string; role: Role }[] = [
  { method: 'GET', path: '/staff/bca', role: 'analyst' },
  { method: 'POST', path: '/staff/bca', role: 'analyst' },
  { method: 'POST', path: '/staff/bca/load', role: 'analyst' },
  { method: 'GET', path: '/staff/bca/runs', role: 'viewer' },
  { method: 'GET', path: '/staff/bca/runs/RUN', role: 'viewer' },
  { method: 'POST', path: '/staff/bca/runs/RUN/publish', role: 'analyst' },
  { method: 'GET', path: '/staff/bca/compare?a=RUN&b=RUN', role: 'viewer' },
  { method: 'POST', path: '/api/v1/staff/bca/scenarios?check=1', role: 'analyst' },
  { method: 'GET', path: '/api/v1/staff/bca/runs', role: 'viewer' },
  { method: 'GET', path: '/api/v1/staff/bca/runs/RUN', role: 'viewer' },
  { method: 'GET', path: '/api/v1/staff/bca/runs/RUN/files/report.html', role: 'viewer' },
  { method: 'POST', path: '/api/v1/staff/bca/runs/RUN/publish', role: 'analyst' },
];
const below: Record<Role, Role | null> = { viewer: null, analyst: 'viewer', admin: 'analyst' };

beforeAll(async () => {
  ctx = tempCtx();
  mkdirSync(ctx.config.scratchDir, { recursive: true });
  app = createApp({
    ctx,
    auth: testAuthenticator(localAuthenticator({ auth: {}, demoAccount: false })),
    limits: { ratePerMinute: 0 },
  });
  const res = await app.request('/staff/bca', {
    method: 'POST',
    body: new URLSearchParams({ ...twoProjects('private-run'), action: 'run' }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...bearer('analyst') },
  });
  expect(res.status).toBe(303);
  runId = res.headers.get('location')!.split('/').at(-1)!;
});
afterAll(() => ctx.cleanup());

describe('staff BCA routes', () => {
  it('refuse anonymous callers (401, or a redirect to sign-in for pages)', async () => {
    for (const r of ROUTES) {
      const path = r.path.replaceAll('RUN', runId);
      const api = await app.request(path, { method: r.method, headers: { accept: 'application/json' } });
      expect(api.status, `${r.method} ${r.path}`).toBe(401);
      const page = await app.request(path, { method: r.method, headers: { accept: 'text/html' } });
      expect([401, 303], `${r.method} ${r.path} (html)`).toContain(page.status);
    }
  });

  it('refuse the role below the one needed (403)', async () => {
    for (const r of ROUTES) {
      const low = below[r.role];
      if (!low) continue;
      const res = await app.request(r.path.replaceAll('RUN', runId), {
        method: r.method,
        headers: bearer(low),
      });
      expect(res.status, `${r.method} ${r.path} as ${low}`).toBe(403);
    }
  });

  it('refuse a signed-in browser session posting from another site (CSRF)', async () => {
    const auth = {
      adminUser: 'planner',
      adminPasswordHash: hashPassword('correct horse battery'),
      adminRole: 'analyst',
      sessionSecret: 'test-secret',
    };
    const own = createApp({ ctx, auth: localAuthenticator({ auth }), limits: { ratePerMinute: 0 } });
    const login = await own.request('/staff/login', {
      method: 'POST',
      body: new URLSearchParams({ user: 'planner', password: 'correct horse battery' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const form = (origin: string) => ({
      method: 'POST',
      body: new URLSearchParams({ ...twoProjects(), action: 'check' }),
      headers: { cookie, origin, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect((await own.request('http://localhost/staff/bca', form('https://evil.example'))).status).toBe(403);
    expect((await own.request('http://localhost/staff/bca', form('http://localhost'))).status).toBe(200);
    const publish = await own.request(`http://localhost/staff/bca/runs/${runId}/publish`, {
      method: 'POST',
      headers: { cookie, origin: 'https://evil.example' },
    });
    expect(publish.status).toBe(403);
    const noOrigin = await own.request(`http://localhost/api/v1/staff/bca/runs/${runId}/publish`, {
      method: 'POST',
      headers: { cookie, 'sec-fetch-site': 'cross-site' },
    });
    expect(noOrigin.status).toBe(403);
  });
});

describe('an unpublished run', () => {
  it('is a 404 on every public route and absent from public listings', async () => {
    for (const path of [
      `/bca/${runId}`,
      `/bca/${runId}/report.html`,
      `/bca/${runId}/lineage.json`,
      `/api/v1/bca/reports/${runId}`,
      `/results/bca/${runId}/report.html`,
      `/results/bca/${runId}/lineage.json`,
      '/api/results/bca',
      '/api/v1/measures/bca',
    ]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).not.toContain('Two projects');
    }
    for (const path of ['/bca', '/api/v1/bca/reports', '/api/v1/measures', '/data.json', '/measures'])
      expect(await (await app.request(path)).text(), path).not.toContain(runId);
  });

  it('is visible to staff, and public once published', async () => {
    expect((await app.request(`/staff/bca/runs/${runId}`, { headers: bearer('viewer') })).status).toBe(200);
    const pub = await app.request(`/api/v1/staff/bca/runs/${runId}/publish`, {
      method: 'POST',
      headers: bearer('analyst'),
    });
    expect(pub.status).toBe(200);
    expect((await app.request(`/bca/${runId}`)).status).toBe(200);
    expect((await app.request(`/api/v1/bca/reports/${runId}`)).status).toBe(200);
    expect(await (await app.request('/api/v1/measures')).text()).toContain(runId);
  });
});
