// Staff on a portal host in front of the app, in a real browser: Chromium talks to a local proxy
// at portal.localhost (test/api/edge-proxy.ts: the API's Host upstream, the browser's Host
// forwarded), the app lists that origin as public (CORRIDOR_PUBLIC_ORIGINS). The demo sign-in, a
// direct upload (whose presigned URL must name the portal host for the page's connect-src 'self'
// to let the script PUT to it) and the compliance targets form all stay on the portal host.
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../lib/api/app';
import { generateAcsDemo } from '../../lib/demo/acs';
import { edgeProxy } from '../api/edge-proxy';
import { type TestCtx, tempCtx } from '../helpers';
import { haveChromium, launchChromium, pageProblems, serveApp, submitDemoSignIn } from './browser';

describe.skipIf(!haveChromium)('staff on a proxied portal host in a real browser', () => {
  let ctx: TestCtx;
  let browser: Browser;
  let portal: string;
  let acsFile: string;
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    ctx = tempCtx();
    acsFile = (await generateAcsDemo(join(ctx.root, 'acs'))).find((f) => f.includes('2024'))!;
    let apiPort = 0;
    const proxy = edgeProxy(() => apiPort, { forward: () => true });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => proxy.close(r)));
    portal = `http://portal.localhost:${(proxy.address() as AddressInfo).port}`;
    const app = createApp({
      ctx: {
        ...ctx,
        config: {
          ...ctx.config,
          viewer: { publicOrigins: [portal] },
          directUploads: { maxBytes: 64 * 1024 * 1024 },
        },
      },
      host: '127.0.0.1',
      demoAccount: true,
      // Below the ACS file: only the direct path can take it.
      limits: { uploadBytes: 3300, ratePerMinute: 0 },
    });
    const api = await serveApp(app);
    closers.push(api.close);
    apiPort = Number(new URL(api.base).port);
    // Chromium resolves *.localhost to loopback itself; pinned to IPv4, where the proxy listens.
    browser = await launchChromium(['--host-resolver-rules=MAP portal.localhost 127.0.0.1']);
  });
  afterAll(async () => {
    await browser?.close();
    for (const close of closers) await close();
    ctx?.cleanup();
  });

  it('signs in, uploads through the portal host and saves a staff form there', async () => {
    const page = await browser.newPage();
    const problems = pageProblems(page, portal);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(`${r.method()} ${r.url()}`));
    await page.goto(`${portal}/staff/login`);
    await submitDemoSignIn(page, `${portal}/staff`);

    await page.getByLabel('Dataset kind').selectOption('acs_b08301');
    await page.getByLabel('File (CSV or ZIP)').setInputFiles(acsFile);
    await page.getByRole('button', { name: 'Upload and validate' }).click();
    await expect
      .poll(() => page.locator('#upload-status').textContent(), { timeout: 15_000 })
      .toMatch(/^Finished/);
    expect(await page.locator('#upload-report').textContent()).toMatch(/Published version \S+ of acs_b08301/);
    expect(requests).toContainEqual(expect.stringMatching(new RegExp(`^PUT ${portal}/storage/put\\?`)));

    await page.goto(`${portal}/staff/compliance`);
    await page.getByRole('button', { name: 'Save targets' }).click();
    await page.waitForURL(`${portal}/staff/compliance?saved=1`);
    expect(await page.getByRole('status').textContent()).toContain('Targets saved.');
    // Every request stayed on the portal host.
    expect(problems).toEqual([]);
    await page.close();
  });
});
