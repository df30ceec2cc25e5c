// functions/portal.ts end to end against a real S3 API (radosgw; skipped unless
// CORRIDOR_TEST_S3_ENDPOINT is set, see scripts/s3-test-server.sh): a data bucket with the demo's
// ACS dataset, an empty site bucket, the environment the portal stack sets, and CloudFront
// answered by a stand-in fetch (no network here).
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createContext } from '../../lib/context';
import { demoSteps } from '../../lib/demo/load';
import { INVALIDATE_ALL_ABOVE } from '../../lib/portal/publish-site';

const endpoint = process.env.CORRIDOR_TEST_S3_ENDPOINT;
const region = 'us-east-1';

describe.skipIf(!endpoint)('portal publisher function (radosgw)', () => {
  const credentials = {
    accessKeyId: process.env.CORRIDOR_TEST_S3_ACCESS_KEY ?? '',
    secretAccessKey: process.env.CORRIDOR_TEST_S3_SECRET_KEY ?? '',
  };
  const client = new S3Client({ region, endpoint, forcePathStyle: true, credentials });
  const suffix = randomUUID().slice(0, 8);
  const dataBucket = `corridor-data-${suffix}`;
  const siteBucket = `corridor-site-${suffix}`;
  const saved = { ...process.env };
  const cloudfront: { url: string; body: string; auth: string }[] = [];

  beforeAll(async () => {
    for (const Bucket of [dataBucket, siteBucket]) await client.send(new CreateBucketCommand({ Bucket }));
    Object.assign(process.env, {
      CORRIDOR_BUCKET: dataBucket,
      CORRIDOR_S3_ENDPOINT: endpoint,
      CORRIDOR_SCRATCH_DIR: mkdtempSync(join(tmpdir(), 'corridor-portal-fn-')),
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_SESSION_TOKEN: 'token-from-the-lambda-runtime',
      CORRIDOR_SITE_BUCKET: siteBucket,
      CORRIDOR_PORTAL_ORIGIN: 'https://d111111abcdef8.cloudfront.net',
      CORRIDOR_DISTRIBUTION_ID: 'E2EXAMPLE',
    });
    const ctx = await createContext();
    const acs = demoSteps.find((s) => /ACS/.test(s.name))!;
    await acs.run(ctx, mkdtempSync(join(tmpdir(), 'corridor-portal-demo-')));
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      const headers = init.headers as Record<string, string>;
      cloudfront.push({ url, body: String(init.body), auth: headers.authorization ?? '' });
      return new Response(`<Invalidation><Id>I${cloudfront.length}</Id></Invalidation>`, { status: 201 });
    });
  }, 120_000);

  afterAll(async () => {
    vi.unstubAllGlobals();
    process.env = saved;
    for (const Bucket of [dataBucket, siteBucket]) {
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket, ContinuationToken: token }));
        for (const o of page.Contents ?? [])
          await client.send(new DeleteObjectCommand({ Bucket, Key: o.Key }));
        token = page.NextContinuationToken;
      } while (token);
      await client.send(new DeleteBucketCommand({ Bucket }));
    }
  });

  it('publishes the portal into the site bucket and invalidates it, then finds nothing to do', async () => {
    const { handler } = await import('../../functions/portal');
    const first = await handler({ 'detail-type': 'Object Created' });
    expect(first.uploaded).toBeGreaterThan(5);
    expect(first.invalidation).toBe('I1');
    expect(cloudfront[0]!.url).toBe(
      'https://cloudfront.amazonaws.com/2020-05-31/distribution/E2EXAMPLE/invalidation',
    );
    // A first publish changes every object; each page is three viewer paths (/x, /x/,
    // /x/index.html), so more than INVALIDATE_ALL_ABOVE paths and one '/*' replaces the list
    // (the path list itself is tested in portal-publish.test.ts).
    expect(first.uploaded * 3).toBeGreaterThan(INVALIDATE_ALL_ABOVE);
    expect(cloudfront[0]!.body).toContain(
      '<Paths><Quantity>1</Quantity><Items><Path>/*</Path></Items></Paths>',
    );
    expect(cloudfront[0]!.auth).toMatch(/^AWS4-HMAC-SHA256 Credential=/);
    const page = await client.send(new HeadObjectCommand({ Bucket: siteBucket, Key: 'datasets/index.html' }));
    expect(page.ContentType).toMatch(/^text\/html/);
    const state = await client.send(
      new HeadObjectCommand({ Bucket: dataBucket, Key: 'portal/site-state.json' }),
    );
    expect(state.ContentLength).toBeGreaterThan(0);

    const again = await handler({ 'detail-type': 'Object Created' });
    expect(again).toMatchObject({ uploaded: 0, deleted: [], invalidation: null });
    expect(cloudfront).toHaveLength(1);
  }, 120_000);
});
