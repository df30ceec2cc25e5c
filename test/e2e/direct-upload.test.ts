// A staff upload larger than the multipart limit goes straight to storage from a real browser
// (Debian's chromium via playwright-core): the page asks for a presigned PUT, sends the file with
// upload progress, completes it and shows the validation report; the new version appears in the
// catalog. The same form without a script still posts small files as multipart. With an S3 API
// configured (CORRIDOR_TEST_S3_ENDPOINT, as for test/storage), the same upload also goes
// cross-origin to the bucket, through its CORS rule and the page's connect-src.
import { randomUUID } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  PutBucketCorsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../lib/api/app';
import { getManifest } from '../../lib/catalog';
import { generateAcsDemo } from '../../lib/demo/acs';
import { S3Storage } from '../../lib/storage/s3-storage';
import { type TestCtx, tempCtx } from '../helpers';
import { haveChromium, launchChromium, serveApp, submitDemoSignIn } from './browser';

const endpoint = process.env.CORRIDOR_TEST_S3_ENDPOINT;

/** The multipart limit for these apps: below the ACS file, so only the direct path can take it. */
const MULTIPART_LIMIT = 3300;

interface Portal {
  ctx: TestCtx;
  base: string;
  acsFiles: string[];
  close(): Promise<void>;
}

async function startPortal(ctx: TestCtx): Promise<Portal> {
  const acsFiles = await generateAcsDemo(join(ctx.root, 'acs'));
  const app = createApp({
    ctx,
    host: '127.0.0.1',
    demoAccount: true,
    limits: { uploadBytes: MULTIPART_LIMIT, ratePerMinute: 0 },
  });
  const { server, base } = await serveApp(app);
  return { ctx, base, acsFiles, close: () => new Promise((r) => server.close(() => r())) };
}

const withDirectLimit = (t: TestCtx): TestCtx => ({
  ...t,
  config: { ...t.config, directUploads: { maxBytes: 64 * 1024 * 1024 } },
});

let browser: Browser;
beforeAll(async () => {
  if (!haveChromium) return;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function signIn(page: Page, base: string) {
  await page.goto(`${base}/staff/login`);
  await submitDemoSignIn(page, `${base}/staff`);
}

/** Uploads the 2024 ACS table with the page's script; returns the requests it made and the version. */
async function uploadWithScript(p: Portal) {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  const requests: string[] = [];
  page.on('request', (r) => requests.push(`${r.method()} ${r.url()}`));
  await signIn(page, p.base);
  const file = p.acsFiles.find((f) => f.includes('2024'))!;
  expect(statSync(file).size).toBeGreaterThan(MULTIPART_LIMIT);
  await page.getByLabel('Dataset kind').selectOption('acs_b08301');
  await page.getByLabel('File (CSV or ZIP)').setInputFiles(file);
  await page.getByRole('button', { name: 'Upload and validate' }).click();
  await expect
    .poll(() => page.locator('#upload-status').textContent(), { timeout: 30_000 })
    .toMatch(/^Finished/);
  const shown = (await page.locator('#upload-report').textContent()) ?? '';
  expect(shown, JSON.stringify(shown)).toMatch(/Published version (\S+) of acs_b08301/);
  const version = /Published version (\S+) of/.exec(
    (await page.locator('#upload-report').textContent()) ?? '',
  )![1]!;
  expect((await getManifest(p.ctx.storage, 'acs_b08301'))?.current_version).toBe(version);
  // The file went through the presigned PUT, never through the multipart endpoint.
  const paths = requests.map((r) => r.replace(/^(\S+) (https?:\/\/[^/]+)?([^?]*).*$/, '$1 $3'));
  expect(paths).toContain('POST /api/v1/staff/uploads/direct');
  expect(paths.some((r) => /^POST \/api\/v1\/staff\/uploads\/direct\/[^/]+\/complete$/.test(r))).toBe(true);
  expect(paths).not.toContain('POST /api/v1/staff/uploads');
  // Nothing is left in the incoming area once the ingest archived the file.
  expect((await p.ctx.storage.list('incoming/')).objects).toEqual([]);
  return { page, requests, problems, version };
}

describe.skipIf(!haveChromium)('direct staff upload in a real browser (folder store)', () => {
  let p: Portal;
  beforeAll(async () => {
    p = await startPortal(withDirectLimit(tempCtx()));
  });
  afterAll(async () => {
    await p?.close();
    p?.ctx.cleanup();
  });

  it('sends a file over the multipart limit through a presigned PUT and publishes it', async () => {
    const { page, requests, problems, version } = await uploadWithScript(p);
    expect(requests).toContainEqual(expect.stringMatching(new RegExp(`^PUT ${p.base}/storage/put\\?`)));
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
    await signIn(page, p.base);
    // A header and one row (Y2019): small enough for the multipart limit.
    const lines = readFileSync(p.acsFiles.find((f) => f.includes('Y2019.'))!, 'utf8').split('\n');
    const small = join(p.ctx.root, 'ACSDT1Y2019.B08301-Data.csv');
    writeFileSync(small, `${lines.slice(0, 3).join('\n')}\n`);
    expect(statSync(small).size).toBeLessThan(MULTIPART_LIMIT - 500);
    await page.getByLabel('Dataset kind').selectOption('acs_b08301');
    await page.getByLabel('File (CSV or ZIP)').setInputFiles(small);
    const posted = page.waitForRequest((r) => r.method() === 'POST' && r.url() === `${p.base}/staff/upload`);
    await page.getByRole('button', { name: 'Upload and validate' }).click();
    await posted;
    await page.waitForLoadState();
    const shown = await page.content();
    expect(shown, shown.slice(0, 2000)).toMatch(/Published version|Rejected|No change/);
    await context.close();
  });
});

describe.skipIf(!haveChromium || !endpoint)('direct staff upload in a real browser (S3 API)', () => {
  const credentials = {
    accessKeyId: process.env.CORRIDOR_TEST_S3_ACCESS_KEY ?? '',
    secretAccessKey: process.env.CORRIDOR_TEST_S3_SECRET_KEY ?? '',
  };
  const bucket = `corridor-e2e-${randomUUID().slice(0, 13)}`;
  const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials });
  let p: Portal;

  beforeAll(async () => {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    const t = tempCtx();
    const storage = new S3Storage({
      bucket,
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      prefix: 'tenant/',
      scratchDir: join(t.root, 's3-scratch'),
      credentials,
    });
    p = await startPortal(withDirectLimit({ ...t, storage }));
    // The rule the data stack deploys (cdk/constructs/secure-bucket-defaults.ts), for this origin.
    const { directUploadCors } = await import('../../cdk/constructs/secure-bucket-defaults');
    const [rule] = directUploadCors([p.base]);
    await client.send(
      new PutBucketCorsCommand({
        Bucket: bucket,
        CORSConfiguration: {
          CORSRules: [
            {
              AllowedMethods: rule!.allowedMethods,
              AllowedOrigins: rule!.allowedOrigins,
              AllowedHeaders: rule!.allowedHeaders,
              ExposeHeaders: rule!.exposedHeaders,
              MaxAgeSeconds: rule!.maxAge,
            },
          ],
        },
      }),
    );
  });
  afterAll(async () => {
    await p?.close();
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      for (const o of page.Contents ?? [])
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: o.Key }));
      token = page.NextContinuationToken;
    } while (token);
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
    client.destroy();
    p?.ctx.cleanup();
  });

  it('PUTs cross-origin to the bucket and publishes the new version', async () => {
    const { page, requests, problems } = await uploadWithScript(p);
    expect(requests).toContainEqual(
      expect.stringMatching(new RegExp(`^PUT ${endpoint}/${bucket}/tenant/incoming/[\\w-]+/ACSDT1Y2024`)),
    );
    expect(problems).toEqual([]);
    await page.close();
  });
});
