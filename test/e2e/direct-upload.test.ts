// A staff upload larger than the multipart limit goes straight to storage from a real browser
// (Debian's chromium via playwright-core): the page asks for a presigned PUT, sends the file with
// upload progress, completes it and shows the validation report; the new version appears in the
// catalog. The same form without a script still posts small files as multipart.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../lib/api/app';
import { DEMO_PASSWORD, DEMO_USER } from '../../lib/auth/local-auth';
import { getManifest } from '../../lib/catalog';
import { generateAcsDemo } from '../../lib/demo/acs';
import { type TestCtx, tempCtx } from '../helpers';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium)
  console.warn(`skipping browser tests: ${CHROMIUM} is absent (install it with scripts/browser-deps.sh)`);

/** The multipart limit for this app: below the ACS file, so only the direct path can take it. */
const MULTIPART_LIMIT = 3300;

describe.skipIf(!haveChromium)('direct staff upload in a real browser', () => {
  let ctx: TestCtx;
  let server: ServerType;
  let browser: Browser;
  let base: string;
  let acsFiles: string[];

  beforeAll(async () => {
    const t = tempCtx();
    ctx = { ...t, config: { ...t.config, directUploads: { maxBytes: 64 * 1024 * 1024 } } };
    acsFiles = await generateAcsDemo(join(ctx.root, 'acs'));
    const app = createApp({
      ctx,
      host: '127.0.0.1',
      demoAccount: true,
      limits: { uploadBytes: MULTIPART_LIMIT, ratePerMinute: 0 },
    });
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
    ctx?.cleanup();
  });

  async function signIn(page: Page) {
    await page.goto(`${base}/staff/login`);
    await page.getByLabel('User name').fill(DEMO_USER);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/staff`);
  }

  it('sends a file over the multipart limit through a presigned PUT and publishes it', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    const requests: string[] = [];
    page.on('request', (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`));
    await signIn(page);

    const file = acsFiles.find((f) => f.includes('2024'))!;
    expect(statSync(file).size).toBeGreaterThan(MULTIPART_LIMIT);
    await page.getByLabel('Dataset kind').selectOption('acs_b08301');
    await page.getByLabel('File (CSV or ZIP)').setInputFiles(file);
    await page.getByRole('button', { name: 'Upload and validate' }).click();
    await expect
      .poll(() => page.locator('#upload-report').textContent(), { timeout: 30_000 })
      .toMatch(/Published version (\S+) of acs_b08301/);
    const version = /Published version (\S+) of/.exec(
      (await page.locator('#upload-report').textContent()) ?? '',
    )![1]!;
    expect((await getManifest(ctx.storage, 'acs_b08301'))?.current_version).toBe(version);
    // The file went to the signed route, never through the multipart endpoint.
    expect(requests).toContain('POST /api/v1/staff/uploads/direct');
    expect(requests).toContain('PUT /storage/put');
    expect(requests.some((r) => /^POST \/api\/v1\/staff\/uploads\/direct\/[^/]+\/complete$/.test(r))).toBe(
      true,
    );
    expect(requests).not.toContain('POST /api/v1/staff/uploads');
    // Nothing left behind in the incoming area once the ingest archived the file.
    expect((await ctx.storage.list('incoming/')).objects).toEqual([]);
    await page.getByRole('link', { name: 'Open acs_b08301' }).click();
    await page.waitForURL(/\/datasets\/acs_b08301$/);
    expect(await page.locator('#versions ~ .scroll table tbody tr').first().textContent()).toContain(
      `${version} (current)`,
    );
    expect(problems).toEqual([]);
    await page.close();
  });

  it('still posts a small file as multipart without a script', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page);
    // A header and one row (Y2019): small enough for the multipart limit.
    const lines = readFileSync(acsFiles.find((f) => f.includes('Y2019.'))!, 'utf8').split('\n');
    const small = join(ctx.root, 'ACSDT1Y2019.B08301-Data.csv');
    writeFileSync(small, `${lines.slice(0, 3).join('\n')}\n`);
    expect(statSync(small).size).toBeLessThan(MULTIPART_LIMIT - 500);
    await page.getByLabel('Dataset kind').selectOption('acs_b08301');
    await page.getByLabel('File (CSV or ZIP)').setInputFiles(small);
    const posted = page.waitForRequest((r) => r.method() === 'POST' && r.url() === `${base}/staff/upload`);
    await page.getByRole('button', { name: 'Upload and validate' }).click();
    await posted;
    await page.waitForLoadState();
    const shown = await page.content();
    expect(shown, shown.slice(0, 2000)).toMatch(/Published version|Rejected|No change/);
    await context.close();
  });
});
