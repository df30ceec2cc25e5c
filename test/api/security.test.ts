// Security: staff routes refuse anonymous and wrong-role callers; uploads refuse over-size
// bodies, path-like file names, zip bombs and malformed multipart cleanly; no stack traces leak;
// cookie sessions cannot be forged or used cross-site; local mode rate-limits.
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../lib/api/app';
import { recentAudit } from '../../lib/audit/audit-log';
import { localAuthenticator } from '../../lib/auth/local-auth';
import { hashPassword, tokenSha256 } from '../../lib/auth/passwords';
import type { Role } from '../../lib/auth/principal';
import { SessionSigner } from '../../lib/auth/sessions';
import { bearer, demoApp } from './demo-app';

let env: Awaited<ReturnType<typeof demoApp>>;
beforeAll(async () => {
  env = await demoApp({ uploadBytes: 1024 * 1024 });
});
afterAll(() => env.ctx.cleanup());

const STAFF: { method: string; path: string; role: Role }[] = [
  { method: 'GET', path: '/api/v1/staff/me', role: 'viewer' },
  { method: 'POST', path: '/api/v1/staff/uploads', role: 'analyst' },
  { method: 'GET', path: '/api/v1/staff/uploads/some-job', role: 'analyst' },
  { method: 'POST', path: '/api/v1/staff/uploads/direct', role: 'analyst' },
  { method: 'POST', path: '/api/v1/staff/uploads/direct/{uploadId}/complete', role: 'analyst' },
  { method: 'POST', path: '/api/v1/staff/compute', role: 'analyst' },
  { method: 'GET', path: '/api/v1/staff/requests/{id}', role: 'analyst' },
  { method: 'POST', path: '/api/v1/staff/bca', role: 'analyst' },
  // The JSON BCA routes, as documented; staff-bca-security.test.ts checks them again against a
  // real run, with the pages, and for cross-site posts.
  { method: 'POST', path: '/api/v1/staff/bca/scenarios', role: 'analyst' },
  { method: 'GET', path: '/api/v1/staff/bca/runs', role: 'viewer' },
  { method: 'GET', path: '/api/v1/staff/bca/runs/{run}', role: 'viewer' },
  { method: 'GET', path: '/api/v1/staff/bca/runs/{run}/files/{file}', role: 'viewer' },
  { method: 'POST', path: '/api/v1/staff/bca/runs/{run}/publish', role: 'analyst' },
  { method: 'GET', path: '/api/v1/staff/compliance/targets', role: 'viewer' },
  { method: 'PUT', path: '/api/v1/staff/compliance/targets', role: 'analyst' },
  { method: 'GET', path: '/api/v1/staff/compliance/measures.csv', role: 'analyst' },
  { method: 'GET', path: '/api/v1/staff/compliance/{file}', role: 'analyst' },
  { method: 'GET', path: '/api/v1/staff/uploads/{id}', role: 'analyst' },
  { method: 'GET', path: '/api/v1/staff/audit', role: 'admin' },
  { method: 'GET', path: '/staff', role: 'viewer' },
  { method: 'POST', path: '/staff/upload', role: 'analyst' },
  { method: 'POST', path: '/staff/compute', role: 'analyst' },
  { method: 'GET', path: '/staff/requests/{id}', role: 'analyst' },
  { method: 'GET', path: '/staff/compliance', role: 'analyst' },
  { method: 'POST', path: '/staff/compliance/targets', role: 'analyst' },
  { method: 'GET', path: '/staff/audit', role: 'admin' },
];
const below: Record<Role, Role | null> = { viewer: null, analyst: 'viewer', admin: 'analyst' };
/** A documented path with its parameters filled in (any value: the guard answers before lookups). */
const concrete = (path: string, file = 'measures.csv') =>
  path.replace(/\{(\w+)\}/g, (_, n: string) => (n === 'file' ? file : 'x'));

const noStack = (text: string) => {
  expect(text).not.toMatch(/\n\s+at\s/);
  expect(text).not.toMatch(/node_modules|\/lib\/|\.ts:\d+/);
};

describe('staff routes', () => {
  it('cover every staff operation in the OpenAPI document', async () => {
    const doc = (await (await env.app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api/v1/staff')) continue;
      for (const m of Object.keys(ops))
        expect(
          STAFF.some((s) => s.path === path && s.method === m.toUpperCase()),
          `${m} ${path}`,
        ).toBe(true);
    }
  });

  it('refuse anonymous requests (401, or a redirect to sign-in for pages)', async () => {
    for (const s of STAFF) {
      const res = await env.app.request(concrete(s.path), {
        method: s.method,
        headers: { accept: 'application/json' },
      });
      expect(res.status, `${s.method} ${s.path}`).toBe(401);
      noStack(await res.text());
      const page = await env.app.request(concrete(s.path, 'x'), {
        method: s.method,
        headers: { accept: 'text/html' },
      });
      expect([401, 303], `${s.method} ${s.path} (html)`).toContain(page.status);
    }
  });

  it('refuse the role below the one needed (403) and unknown tokens (401)', async () => {
    for (const s of STAFF) {
      const path = concrete(s.path);
      const low = below[s.role];
      if (low) {
        const res = await env.app.request(path, {
          method: s.method,
          headers: { ...bearer(low), accept: 'application/json' },
        });
        expect(res.status, `${s.method} ${s.path} as ${low}`).toBe(403);
        noStack(await res.text());
      }
      const bad = await env.app.request(path, {
        method: s.method,
        headers: { authorization: 'Bearer not-a-token', accept: 'application/json' },
      });
      expect(bad.status, `${s.method} ${s.path} bad token`).toBe(401);
    }
  });
});

function multipart(
  parts: { name: string; filename?: string; body: string | Uint8Array; type?: string }[],
  boundary = 'XyZzy123boundary',
) {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`,
      ),
    );
    chunks.push(Buffer.from(p.body));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    body: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, ...bearer('analyst') },
  };
}

const upload = (filename: string, body: string | Uint8Array, dataset = 'acs_b08301') => {
  const m = multipart([
    { name: 'dataset', body: dataset },
    { name: 'file', filename, body, type: 'application/octet-stream' },
  ]);
  return env.app.request('/api/v1/staff/uploads?wait=1', {
    method: 'POST',
    body: m.body,
    headers: m.headers,
  });
};

describe('uploads are refused cleanly', () => {
  it('over the size limit: 413, whether or not a length is declared', async () => {
    const big = new Uint8Array(1024 * 1024 + 10);
    const res = await upload('big.csv', big);
    expect(res.status).toBe(413);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe('too_large');
    // Streamed without Content-Length.
    const m = multipart([{ name: 'file', filename: 'big.csv', body: big }]);
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new Uint8Array(m.body));
        c.close();
      },
    });
    const res2 = await env.app.request('/api/v1/staff/uploads', {
      method: 'POST',
      body: stream,
      headers: m.headers,
      duplex: 'half',
    } as RequestInit);
    expect(res2.status).toBe(413);
  });

  it('path-traversal and odd file names: 400', async () => {
    for (const name of [
      '../../etc/passwd',
      '..\\..\\boot.ini',
      '/etc/passwd',
      'dir/file.csv',
      '.hidden.csv',
      'a..b.csv',
      'x\u0001.csv',
      '',
    ]) {
      const res = await upload(name, 'GEO_ID,NAME\n');
      expect(res.status, JSON.stringify(name)).toBe(400);
      const text = await res.text();
      noStack(text);
      expect(JSON.parse(text).error).toBe('upload_refused');
    }
  });

  it('zip bombs and unsafe archives: 422 before anything is inflated', async () => {
    const bomb = zipSync({ 'ACSDT1Y2019.B08301-Data.csv': new Uint8Array(20 * 1024 * 1024) }, { level: 9 });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const res = await upload('bomb.zip', bomb);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { message: string }).message).toMatch(/zip bomb/);
    const evil = zipSync({ '../evil.csv': new TextEncoder().encode('x') });
    const res2 = await upload('evil.zip', evil);
    expect(res2.status).toBe(422);
    expect(((await res2.json()) as { message: string }).message).toMatch(/unsafe path/);
    const notZip = await upload('broken.zip', new TextEncoder().encode('PK not really a zip'));
    expect(notZip.status).toBe(422);
  });

  it('malformed multipart, wrong content type, unknown dataset kind: 4xx with a message', async () => {
    const garbage = await env.app.request('/api/v1/staff/uploads', {
      method: 'POST',
      body: '--nope\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nabc',
      headers: { 'content-type': 'multipart/form-data; boundary=XyZ', ...bearer('analyst') },
    });
    expect(garbage.status).toBe(400);
    noStack(await garbage.text());
    const noBoundary = await env.app.request('/api/v1/staff/uploads', {
      method: 'POST',
      body: 'abc',
      headers: { 'content-type': 'multipart/form-data', ...bearer('analyst') },
    });
    expect(noBoundary.status).toBe(400);
    const json = await env.app.request('/api/v1/staff/uploads', {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json', ...bearer('analyst') },
    });
    expect(json.status).toBe(415);
    const kind = await upload('a.csv', 'x', 'no_such_kind');
    expect(kind.status).toBe(400);
  });

  it('every refusal is audit-logged', async () => {
    const events = await recentAudit(env.ctx.storage, 500);
    expect(
      events.filter((e) => e.action === 'upload' && e.outcome === 'refused').length,
    ).toBeGreaterThanOrEqual(8);
  });
});

describe('errors, headers, sessions, CORS, rate limits', () => {
  it('internal errors answer with a reference, never a stack trace', async () => {
    const broken = {
      ...env.ctx,
      storage: {
        ...env.ctx.storage,
        list: async () => Promise.reject(new Error('disk on fire at /secret/path.ts:12:3')),
      },
    };
    const app = createApp({ ctx: broken as typeof env.ctx, limits: { ratePerMinute: 0 } });
    for (const [path, accept] of [
      ['/api/v1/datasets', 'application/json'],
      ['/datasets', 'text/html'],
    ] as const) {
      const res = await app.request(path, { headers: { accept } });
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(text).not.toContain('disk on fire');
      expect(text).not.toContain('/secret');
      expect(text).toMatch(/something went wrong/);
    }
  });

  it('sets security headers and a strict Content-Security-Policy', async () => {
    const res = await env.app.request('/');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('strict-transport-security')).toBeTruthy();
  });

  it('CORS is open on read-only routes and closed on staff routes', async () => {
    const pub = await env.app.request('/api/v1/datasets', {
      headers: { origin: 'https://elsewhere.example' },
    });
    expect(pub.headers.get('access-control-allow-origin')).toBe('*');
    const staff = await env.app.request('/api/v1/staff/me', {
      headers: { origin: 'https://elsewhere.example', ...bearer('viewer') },
    });
    expect(staff.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('signs in with the configured account; forged, expired and cross-site sessions are refused', async () => {
    const auth = {
      adminUser: 'planner',
      adminPasswordHash: hashPassword('correct horse battery'),
      adminTokenSha256: tokenSha256('tok-123'),
      adminRole: 'analyst',
      sessionSecret: 'test-secret',
    };
    const app = createApp({ ctx: env.ctx, auth: localAuthenticator({ auth }), limits: { ratePerMinute: 0 } });
    const form = (user: string, password: string) => new URLSearchParams({ user, password });
    const wrong = await app.request('/staff/login', {
      method: 'POST',
      body: form('planner', 'nope'),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const ok = await app.request('/staff/login', {
      method: 'POST',
      body: form('planner', 'correct horse battery'),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(ok.status).toBe(303);
    const cookie = ok.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const session = cookie.split(';')[0]!;
    const me = await app.request('/api/v1/staff/me', { headers: { cookie: session } });
    expect(await me.json()).toEqual({ user: 'planner', role: 'analyst', via: 'session' });
    expect(
      (await app.request('/api/v1/staff/me', { headers: { authorization: 'Bearer tok-123' } })).status,
    ).toBe(200);
    // Forged: a session signed with another key, or edited to claim admin.
    const forged = new SessionSigner('other-secret').issue({ user: 'planner', role: 'admin' });
    expect(
      (await app.request('/api/v1/staff/me', { headers: { cookie: `corridor_session=${forged}` } })).status,
    ).toBe(401);
    const [body, sig] = session.split('=')[1]!.split('.');
    const edited = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), r: 'admin' }),
    ).toString('base64url');
    expect(
      (await app.request('/api/v1/staff/me', { headers: { cookie: `corridor_session=${edited}.${sig}` } }))
        .status,
    ).toBe(401);
    const expired = new SessionSigner('test-secret', () => Date.now() - 9 * 3600_000).issue({
      user: 'planner',
      role: 'analyst',
    });
    expect(
      (await app.request('/api/v1/staff/me', { headers: { cookie: `corridor_session=${expired}` } })).status,
    ).toBe(401);
    // A cookie-authenticated write from another site is refused (CSRF).
    const cross = await app.request('http://localhost/api/v1/staff/compute', {
      method: 'POST',
      body: '{"family":"commute_mode"}',
      headers: { cookie: session, origin: 'https://evil.example', 'content-type': 'application/json' },
    });
    expect(cross.status).toBe(403);
    const events = await recentAudit(env.ctx.storage, 500);
    expect(events.some((e) => e.action === 'sign_in_failed' && e.user === 'planner')).toBe(true);
    expect(events.some((e) => e.action === 'sign_in' && e.user === 'planner')).toBe(true);
  });

  it('the demo account exists only on loopback', async () => {
    const sign = (host: string) =>
      createApp({ ctx: env.ctx, demoAccount: true, host, limits: { ratePerMinute: 0 } }).request(
        '/staff/login',
        {
          method: 'POST',
          body: new URLSearchParams({ user: 'demo', password: 'corridor-demo' }),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
      );
    expect((await sign('127.0.0.1')).status).toBe(303);
    expect((await sign('0.0.0.0')).status).toBe(401);
    expect((await sign('192.168.1.5')).status).toBe(401);
  });

  it('rate-limits a client in local mode', async () => {
    const app = createApp({
      ctx: env.ctx,
      auth: localAuthenticator({ auth: {} }),
      limits: { ratePerMinute: 5 },
    });
    const codes = [];
    for (let i = 0; i < 7; i++) codes.push((await app.request('/healthz')).status);
    expect(codes).toEqual([200, 200, 200, 200, 200, 429, 429]);
  });
});
