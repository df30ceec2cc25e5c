// The app behind a small local reverse proxy that does what the portal's CloudFront does on the
// API behaviours (cdk/constructs/portal-site.ts): it sends the API's own Host upstream, copies the
// viewer's Host into the forwarded-host header (the CloudFront Function), drops any such header the
// client sent, and adds the edge secret (the origin custom header). Staff forms posted on the
// portal's host pass the cross-site check, a foreign Origin does not, and the absolute URLs the
// app prints name the portal. Requests are sent with node:http so the test chooses Host and Origin
// as a browser on the portal would.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../lib/api/app';
import { EDGE_SECRET_HEADER, VIEWER_HOST_HEADER } from '../../lib/api/public-origin';
import { DEMO_PASSWORD, DEMO_USER } from '../../lib/auth/local-auth';
import type { Config } from '../../lib/config';
import { demoSteps } from '../../lib/demo/load';
import { type TestCtx, tempCtx } from '../helpers';
import { edgeProxy } from './edge-proxy';

const EDGE = 'edge-secret-for-the-proxy-0123456789';
const EVIL = 'https://evil.example';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP exchange with full control of the headers, Host included. */
function send(
  port: number,
  o: { host: string; method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: o.method ?? 'GET',
        path: o.path,
        headers: { host: o.host, ...o.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (b: Buffer) => chunks.push(b));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

const listen = async (s: Server) => {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
};

let ctx: TestCtx;
const servers: (Server | ServerType)[] = [];
let apiPort: number; // the app with the edge secret
let listedPort: number; // the app that lists the portal as a public origin, without a secret
let edgePort: number; // proxy → apiPort, with the secret
let plainPort: number; // proxy → listedPort, no secret
let forward = true;
let portalHost: string; // what the browser has in its address bar, proxied with the secret
let listedHost: string;

function serveWith(viewer: Config['viewer']) {
  const app = createApp({
    ctx: { ...ctx, config: { ...ctx.config, viewer } },
    demoAccount: true,
    host: '127.0.0.1',
    limits: { ratePerMinute: 0 },
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  servers.push(server);
  return new Promise<number>((r) =>
    server.once('listening', () => r((server.address() as AddressInfo).port)),
  );
}

beforeAll(async () => {
  ctx = tempCtx();
  mkdirSync(ctx.config.scratchDir, { recursive: true });
  // One dataset, so the CKAN shim and data.json have download URLs to print.
  const acs = demoSteps.find((st) => /ACS/.test(st.name))!;
  await acs.run(ctx, mkdtempSync(join(ctx.root, 'demo-')));

  const edge = edgeProxy(() => apiPort, { secret: EDGE, forward: () => forward });
  const plain = edgeProxy(() => listedPort, { forward: () => true });
  servers.push(edge, plain);
  edgePort = await listen(edge);
  plainPort = await listen(plain);
  portalHost = `portal.localhost:${edgePort}`;
  listedHost = `portal.localhost:${plainPort}`;
  apiPort = await serveWith({ publicOrigins: [], edgeSecret: EDGE });
  listedPort = await serveWith({ publicOrigins: [`http://${listedHost}`] });
});
afterAll(async () => {
  for (const s of servers) await new Promise((r) => s.close(r));
  ctx.cleanup();
});

const cookieOf = (r: Reply) => {
  const line = ([] as string[])
    .concat(r.headers['set-cookie'] ?? [])
    .find((c) => c.startsWith('corridor_session='));
  return line;
};

/** The demo account's sign-in form, posted through `port` as a browser on `host` would. */
async function signIn(port: number, host: string, origin: string) {
  const r = await send(port, {
    host,
    method: 'POST',
    path: '/staff/login',
    headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ user: DEMO_USER, password: DEMO_PASSWORD, next: '/staff' }).toString(),
  });
  expect(r.status, r.body).toBe(303);
  const line = cookieOf(r)!;
  expect(line).toBeDefined();
  return { reply: r, line, cookie: line.split(';')[0]! };
}

/** The compliance page's targets form (empty: saves no targets, answers 303 to the page). */
const postTargets = (port: number, host: string, headers: Record<string, string>) =>
  send(port, {
    host,
    method: 'POST',
    path: '/staff/compliance/targets',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: '',
  });

describe('behind a CloudFront-like proxy (forwarded host + edge secret)', () => {
  it('signs in on the portal host and keeps staff there: a form posted from the portal passes', async () => {
    const portal = `https://${portalHost}`;
    const { reply, line, cookie } = await signIn(edgePort, portalHost, portal);
    // Relative: the browser stays on the host it used.
    expect(reply.headers.location).toBe('/staff');
    // The viewer is on https (CloudFront redirects http on these paths): the cookie says Secure.
    expect(line).toMatch(/; Secure/);
    const ok = await postTargets(edgePort, portalHost, { cookie, origin: portal });
    expect([ok.status, ok.body]).toEqual([303, '']);
    expect(ok.headers.location).toBe('/staff/compliance?saved=1');
    // With Origin: null (no-referrer pages), Sec-Fetch-Site decides, as before.
    const nul = await postTargets(edgePort, portalHost, {
      cookie,
      origin: 'null',
      'sec-fetch-site': 'same-origin',
    });
    expect(nul.status).toBe(303);
  });

  it('refuses a foreign Origin, the API’s own origin, and a client-sent forwarded host', async () => {
    const { cookie } = await signIn(edgePort, portalHost, `https://${portalHost}`);
    const cases: Record<string, string>[] = [
      { cookie, origin: EVIL },
      { cookie, origin: `http://127.0.0.1:${apiPort}` },
      { cookie, origin: `http://${portalHost}` },
      // The proxy drops what the client sends and forwards the real Host.
      { cookie, origin: EVIL, [VIEWER_HOST_HEADER]: 'evil.example' },
      { cookie, origin: 'null', 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of cases) {
      const r = await postTargets(edgePort, portalHost, headers);
      expect([headers.origin, r.status]).toEqual([headers.origin, 403]);
      expect(r.body).toContain('cross-site request refused');
    }
  });

  it('without the forwarded host (a distribution without the function) the portal’s forms are refused', async () => {
    const { cookie } = await signIn(edgePort, portalHost, `https://${portalHost}`);
    forward = false;
    try {
      const r = await postTargets(edgePort, portalHost, { cookie, origin: `https://${portalHost}` });
      expect(r.status).toBe(403);
    } finally {
      forward = true;
    }
  });

  it('straight to the API, a forged forwarded host without the secret changes nothing', async () => {
    const { cookie } = await signIn(edgePort, portalHost, `https://${portalHost}`);
    const api = `127.0.0.1:${apiPort}`;
    for (const secret of [undefined, 'a-guess']) {
      const r = await postTargets(apiPort, api, {
        cookie,
        origin: EVIL,
        [VIEWER_HOST_HEADER]: 'evil.example',
        ...(secret ? { [EDGE_SECRET_HEADER]: secret } : {}),
      });
      expect(r.status).toBe(403);
      const portal = await postTargets(apiPort, api, {
        cookie,
        origin: `https://${portalHost}`,
        [VIEWER_HOST_HEADER]: portalHost,
        ...(secret ? { [EDGE_SECRET_HEADER]: secret } : {}),
      });
      expect(portal.status).toBe(403);
    }
    // Staff on the API's own URL (the sign-in fallback) still work there.
    expect((await postTargets(apiPort, api, { cookie, origin: `http://${api}` })).status).toBe(303);
  });

  it('prints the portal host in the CKAN shim, data.json and the direct-upload URL', async () => {
    const portal = `https://${portalHost}`;
    const search = await send(edgePort, { host: portalHost, path: '/api/3/action/package_search?rows=5' });
    expect(search.status).toBe(200);
    const urls = search.body.match(/https?:\/\/[^"]+/g) ?? [];
    expect(urls.length).toBeGreaterThan(0);
    expect(urls.filter((u) => u.includes('127.0.0.1'))).toEqual([]);
    expect(urls.some((u) => u.startsWith(`${portal}/download/`))).toBe(true);

    const dcat = JSON.parse((await send(edgePort, { host: portalHost, path: '/data.json' })).body) as {
      '@id': string;
    };
    expect(dcat['@id']).toBe(`${portal}/data.json`);

    const { cookie } = await signIn(edgePort, portalHost, portal);
    const grant = await send(edgePort, {
      host: portalHost,
      method: 'POST',
      path: '/api/v1/staff/uploads/direct',
      headers: { cookie, origin: portal, 'content-type': 'application/json' },
      body: JSON.stringify({
        dataset: 'acs_b08301',
        fileName: 'acs.csv',
        bytes: 10,
        contentType: 'text/csv',
      }),
    });
    expect(grant.status, grant.body).toBe(201);
    const g = JSON.parse(grant.body) as { url: string; complete_url: string };
    expect(g.url.startsWith(`${portal}/`)).toBe(true);
    expect(g.complete_url.startsWith('/')).toBe(true);

    // The same request straight to the API prints the API's host: nothing is guessed.
    const direct = await send(apiPort, { host: `127.0.0.1:${apiPort}`, path: '/data.json' });
    expect((JSON.parse(direct.body) as { '@id': string })['@id']).toBe(
      `http://127.0.0.1:${apiPort}/data.json`,
    );
  });
});

describe('behind a proxy without the secret, the portal listed in CORRIDOR_PUBLIC_ORIGINS', () => {
  it('takes the listed origin (scheme included) and nothing else', async () => {
    const portal = `http://${listedHost}`;
    const { line, cookie } = await signIn(plainPort, listedHost, portal);
    expect(line).not.toMatch(/Secure/);
    expect((await postTargets(plainPort, listedHost, { cookie, origin: portal })).status).toBe(303);
    expect((await postTargets(plainPort, listedHost, { cookie, origin: EVIL })).status).toBe(403);
    // Another host through the same proxy is not listed: the app falls back to its own origin.
    const other = `other.localhost:${plainPort}`;
    expect((await postTargets(plainPort, other, { cookie, origin: `http://${other}` })).status).toBe(403);
  });
});
