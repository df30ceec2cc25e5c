// The viewer-origin rule (lib/api/public-origin.ts) and the cross-site check built on it
// (requireRole in lib/api/security.ts): a forwarded host is believed only when it names a
// configured public origin or comes with the edge secret, and whatever it says, a cookie-session
// write passes only when its Origin (or, with Origin: null, Sec-Fetch-Site) says same origin.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import {
  EDGE_SECRET_HEADER,
  VIEWER_HOST_HEADER,
  viewerOrigin,
  viewerOriginMiddleware,
  viewerOriginResolver,
} from '../../lib/api/public-origin';
import { type Env, requireRole } from '../../lib/api/security';
import type { Principal } from '../../lib/auth/principal';
import { loadConfig } from '../../lib/config';

const API = 'https://abc123.execute-api.us-east-1.amazonaws.com';
const PORTAL = 'https://data.mpo.example';
const EDGE = 'edge-secret-0123456789abcdefghijklmnop';

const request = (headers: Record<string, string>, url = `${API}/staff`) => ({
  url,
  header: (name: string) => headers[name],
});

describe('viewerOriginResolver', () => {
  const resolve = viewerOriginResolver({
    publicOrigins: [PORTAL, 'http://portal.localhost:8080'],
    edgeSecret: EDGE,
  });

  it('is the request URL’s origin without a forwarded host', () => {
    expect(resolve(request({}))).toBe(API);
    expect(resolve(request({}, 'http://127.0.0.1:8080/x'))).toBe('http://127.0.0.1:8080');
  });

  it('believes a forwarded host that names a configured public origin, with that origin’s scheme', () => {
    expect(resolve(request({ [VIEWER_HOST_HEADER]: 'data.mpo.example' }))).toBe(PORTAL);
    expect(resolve(request({ [VIEWER_HOST_HEADER]: 'Data.MPO.example ' }))).toBe(PORTAL);
    expect(resolve(request({ [VIEWER_HOST_HEADER]: 'portal.localhost:8080' }))).toBe(
      'http://portal.localhost:8080',
    );
  });

  it('believes any other forwarded host only with the edge secret, as https', () => {
    const host = { [VIEWER_HOST_HEADER]: 'd1234abcd.cloudfront.net' };
    expect(resolve(request({ ...host, [EDGE_SECRET_HEADER]: EDGE }))).toBe(
      'https://d1234abcd.cloudfront.net',
    );
    expect(resolve(request(host))).toBe(API);
    expect(resolve(request({ ...host, [EDGE_SECRET_HEADER]: `${EDGE}x` }))).toBe(API);
    expect(resolve(request({ ...host, [EDGE_SECRET_HEADER]: EDGE.slice(0, -1) }))).toBe(API);
    expect(resolve(request({ ...host, [EDGE_SECRET_HEADER]: '' }))).toBe(API);
  });

  it('ignores a forwarded value that is not a bare host, even with the secret', () => {
    for (const bad of [
      'https://evil.example',
      'evil.example/path',
      'user@evil.example',
      'evil.example, data.mpo.example',
      'evil example',
      'evil.example:port',
      '',
    ]) {
      expect(resolve(request({ [VIEWER_HOST_HEADER]: bad, [EDGE_SECRET_HEADER]: EDGE })), bad).toBe(API);
    }
    expect(resolve(request({ [VIEWER_HOST_HEADER]: '[::1]:8443', [EDGE_SECRET_HEADER]: EDGE }))).toBe(
      'https://[::1]:8443',
    );
  });

  it('without an edge secret configured, a secret header proves nothing', () => {
    const plain = viewerOriginResolver({ publicOrigins: [] });
    const headers = { [VIEWER_HOST_HEADER]: 'evil.example', [EDGE_SECRET_HEADER]: 'anything' };
    expect(plain(request(headers))).toBe(API);
    expect(plain(request({ ...headers, [EDGE_SECRET_HEADER]: '' }))).toBe(API);
  });
});

describe('configuration', () => {
  it('reads CORRIDOR_PUBLIC_ORIGINS as origins and CORRIDOR_EDGE_SECRET', () => {
    const c = loadConfig({
      CORRIDOR_PUBLIC_ORIGINS: ' https://data.mpo.example/ , http://portal.localhost:8080/x',
      CORRIDOR_EDGE_SECRET: EDGE,
    });
    expect(c.viewer).toEqual({
      publicOrigins: ['https://data.mpo.example', 'http://portal.localhost:8080'],
      edgeSecret: EDGE,
    });
    expect(loadConfig({}).viewer).toEqual({ publicOrigins: [], edgeSecret: undefined });
    expect(() => loadConfig({ CORRIDOR_PUBLIC_ORIGINS: 'data.mpo.example' })).toThrow(
      /CORRIDOR_PUBLIC_ORIGINS/,
    );
    expect(() => loadConfig({ CORRIDOR_PUBLIC_ORIGINS: 'ftp://data.mpo.example' })).toThrow(/not an http/);
  });
});

/** A write guarded by requireRole, for a principal signed in with a cookie (or a token). */
function guarded(via: Principal['via'] = 'session') {
  const app = new Hono<Env>();
  app.use('*', viewerOriginMiddleware({ publicOrigins: [PORTAL], edgeSecret: EDGE }), async (c, next) => {
    c.set('principal', { user: 'planner', role: 'analyst', via });
    await next();
  });
  app.post('/staff/form', requireRole('analyst'), (c) => c.text(`ok ${viewerOrigin(c)}`));
  return (headers: Record<string, string>) =>
    app.request(`${API}/staff/form`, { method: 'POST', headers, body: 'a=1' });
}

describe('requireRole’s cross-site check, with forwarded hosts', () => {
  const post = guarded();
  const viaPortal = { [VIEWER_HOST_HEADER]: 'data.mpo.example' };
  const viaEdge = { [VIEWER_HOST_HEADER]: 'd1234abcd.cloudfront.net', [EDGE_SECRET_HEADER]: EDGE };

  it('lets a form posted on the portal through when the portal host is believed', async () => {
    const r = await post({ ...viaPortal, origin: PORTAL });
    expect(r.status).toBe(200);
    expect(await r.text()).toBe(`ok ${PORTAL}`);
    expect((await post({ ...viaEdge, origin: 'https://d1234abcd.cloudfront.net' })).status).toBe(200);
  });

  it('refuses a foreign Origin whatever the forwarded host says', async () => {
    const evil = 'https://evil.example';
    for (const headers of [
      { ...viaPortal, origin: evil },
      { ...viaEdge, origin: evil },
      // Naming the foreign site itself: not a public origin, no secret → the API's own origin.
      { [VIEWER_HOST_HEADER]: 'evil.example', origin: evil },
      { [VIEWER_HOST_HEADER]: 'evil.example', [EDGE_SECRET_HEADER]: 'guess', origin: evil },
      // Another public-looking origin, a scheme change, or the API host while on the portal.
      { ...viaPortal, origin: 'http://data.mpo.example' },
      { ...viaPortal, origin: API },
      { origin: PORTAL },
    ]) {
      const r = await post(headers);
      expect(r.status, JSON.stringify(headers)).toBe(403);
      expect(await r.json()).toMatchObject({ message: 'cross-site request refused' });
    }
  });

  it('still lets the API’s own origin through when nothing is forwarded', async () => {
    expect((await post({ origin: API })).status).toBe(200);
  });

  it('keeps the Origin: null rules: Sec-Fetch-Site decides, same-origin or none only', async () => {
    for (const [site, status] of [
      ['same-origin', 200],
      ['none', 200],
      ['same-site', 403],
      ['cross-site', 403],
    ] as const) {
      const r = await post({ ...viaPortal, origin: 'null', 'sec-fetch-site': site });
      expect([site, r.status]).toEqual([site, status]);
    }
    // Neither header (a non-browser client with the cookie): as before, let through.
    expect((await post(viaPortal)).status).toBe(200);
  });

  it('does not apply to Bearer tokens (no ambient credential to abuse)', async () => {
    const token = guarded('token');
    expect(
      (await token({ [VIEWER_HOST_HEADER]: 'evil.example', origin: 'https://evil.example' })).status,
    ).toBe(200);
  });
});
