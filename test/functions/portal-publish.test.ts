// The portal publisher's sync (lib/portal/publish-site.ts) against a folder site and, when
// CORRIDOR_TEST_S3_ENDPOINT is set (scripts/s3-test-server.sh), a real S3 bucket: only changed
// objects are uploaded, stale ones deleted, each with its content type and cache policy, and a
// second run changes nothing.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheControlFor, publishSite, SITE_STATE_KEY, viewerPaths } from '../../lib/portal/publish-site';
import { FsStorage } from '../../lib/storage/fs-storage';
import { S3Storage } from '../../lib/storage/s3-storage';
import type { PutOptions, Storage } from '../../lib/storage/storage';
import { demoApp } from '../api/demo-app';

const ORIGIN = 'https://data.example.org';

let env: Awaited<ReturnType<typeof demoApp>>;
beforeAll(async () => {
  env = await demoApp();
});
afterAll(() => env.ctx.cleanup());

/** The folder adapter keeps no metadata: record what the publisher asked for. */
function recording(inner: Storage) {
  const puts = new Map<string, PutOptions>();
  const site = new Proxy(inner, {
    get: (t, p) => {
      if (p === 'put')
        return (key: string, body: Parameters<Storage['put']>[1], o: PutOptions = {}) => {
          puts.set(key, o);
          return t.put(key, body, o);
        };
      // downloads and documents arrive as a scratch file (static-export streams them)
      if (p === 'putFile')
        return (key: string, path: string, o: PutOptions = {}) => {
          puts.set(key, o);
          return t.putFile(key, path, o);
        };
      const v = Reflect.get(t, p, t);
      return typeof v === 'function' ? v.bind(t) : v;
    },
  });
  return { site, puts };
}

// A threshold above the demo portal's size, so the tests see the paths themselves ('/*' is
// tested on its own below).
const publish = (site: Storage, origin = ORIGIN) =>
  publishSite(env.ctx, env.app as never, { site, origin, invalidateAllAbove: 10_000 });

describe('cache and invalidation rules', () => {
  it('keeps versioned downloads for a year and pages for a minute', () => {
    expect(cacheControlFor('download/acs/20240101-abc/b08301.csv', 'text/csv')).toMatch(/immutable/);
    expect(cacheControlFor('results/pm3/run-1/pm3.csv', 'text/csv')).toMatch(/immutable/);
    expect(cacheControlFor('download/acs/latest/b08301.csv', 'text/csv')).not.toMatch(/immutable/);
    expect(cacheControlFor('datasets/index.html', 'text/html; charset=UTF-8')).toBe(
      'public, max-age=60, s-maxage=600',
    );
    expect(cacheControlFor('data.json', 'application/json')).toMatch(/max-age=60/);
  });

  it('invalidates a page under the paths viewers request', () => {
    expect(viewerPaths('index.html')).toEqual(['/', '/index.html']);
    expect(viewerPaths('datasets/acs/index.html')).toEqual([
      '/datasets/acs',
      '/datasets/acs/',
      '/datasets/acs/index.html',
    ]);
    expect(viewerPaths('data.json')).toEqual(['/data.json']);
  });
});

describe('publishSite into a folder site', () => {
  let siteDir: string;
  let rec: ReturnType<typeof recording>;
  let first: Awaited<ReturnType<typeof publish>>;
  beforeAll(async () => {
    siteDir = mkdtempSync(join(env.ctx.root, 'site-'));
    rec = recording(new FsStorage(siteDir));
    await rec.site.put('old/page/index.html', 'a page the portal no longer has', {
      contentType: 'text/html',
    });
    rec.puts.clear();
    first = await publish(rec.site);
  });

  it('uploads every page, document and download with its content type and cache policy', async () => {
    const keys = first.uploaded;
    for (const k of ['index.html', 'datasets/index.html', 'measures/index.html', 'data.json', 'openapi.json'])
      expect(keys).toContain(k);
    expect(keys.some((k) => /^datasets\/[^/]+\/index\.html$/.test(k))).toBe(true);
    expect(keys.some((k) => k.startsWith('download/'))).toBe(true);
    expect(rec.puts.get('index.html')?.contentType).toMatch(/^text\/html/);
    expect(rec.puts.get('data.json')?.contentType).toMatch(/^application\/json/);
    expect(rec.puts.get('assets/docs.js')?.contentType).toMatch(/javascript/);
    for (const [k, o] of rec.puts) expect(o.cacheControl, k).toBe(cacheControlFor(k, o.contentType ?? ''));
    const dataJson = (await rec.site.get('data.json'))!.body.toString('utf8');
    expect(dataJson).toContain(ORIGIN);
  });

  it('deletes what the export no longer produces and invalidates it', async () => {
    expect(first.deleted).toEqual(['old/page/index.html']);
    expect(await rec.site.head('old/page/index.html')).toBeNull();
    expect(first.invalidate).toEqual(expect.arrayContaining(['/', '/old/page', '/old/page/', '/datasets']));
    expect(first.invalidate).not.toContain('/*');
  });

  it('changes nothing when run again', async () => {
    rec.puts.clear();
    const again = await publish(rec.site);
    expect(again).toEqual({ uploaded: [], deleted: [], unchanged: first.uploaded.length, invalidate: [] });
    expect(rec.puts.size).toBe(0);
  });

  it('re-uploads only an object that was replaced or removed behind its back', async () => {
    await rec.site.put('data.json', '{}', { contentType: 'application/json' });
    await rec.site.delete('measures/index.html');
    await rec.site.put('stray.txt', 'x', { contentType: 'text/plain' });
    const r = await publish(rec.site);
    expect(r.uploaded).toEqual(['data.json', 'measures/index.html']);
    expect(r.deleted).toEqual(['stray.txt']);
    expect(r.invalidate).toEqual([
      '/data.json',
      '/measures',
      '/measures/',
      '/measures/index.html',
      '/stray.txt',
    ]);
    expect((await rec.site.get('data.json'))!.body.toString('utf8')).toContain(ORIGIN);
  });

  it('republishes everything for a new public origin and keeps its state in the data store', async () => {
    const r = await publishSite(env.ctx, env.app as never, {
      site: rec.site,
      origin: 'https://portal.example.gov',
      invalidateAllAbove: 10,
    });
    expect(r.uploaded.length).toBe(first.uploaded.length);
    expect(r.invalidate).toEqual(['/*']); // more changed paths than invalidateAllAbove
    const state = JSON.parse((await env.ctx.storage.get(SITE_STATE_KEY))!.body.toString('utf8'));
    expect(state.origin).toBe('https://portal.example.gov');
    expect(Object.keys(state.objects).sort()).toEqual(r.uploaded);
  });
});

const endpoint = process.env.CORRIDOR_TEST_S3_ENDPOINT;
describe.skipIf(!endpoint)('publishSite into an S3 bucket (radosgw)', () => {
  const credentials = {
    accessKeyId: process.env.CORRIDOR_TEST_S3_ACCESS_KEY ?? '',
    secretAccessKey: process.env.CORRIDOR_TEST_S3_SECRET_KEY ?? '',
  };
  const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials });
  const bucket = `corridor-site-${randomUUID().slice(0, 13)}`;
  let site: S3Storage;
  beforeAll(async () => {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    site = new S3Storage({
      bucket,
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      prefix: '',
      scratchDir: join(env.ctx.root, 's3-scratch'),
      credentials,
    });
  });
  afterAll(async () => {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
    for (const o of page.Contents ?? [])
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: o.Key }));
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
  });

  it('stores Content-Type and Cache-Control on each object, then skips unchanged ones', async () => {
    // A fresh state: the folder suite above published to another site with another origin.
    await env.ctx.storage.delete(SITE_STATE_KEY);
    const r = await publish(site);
    expect(r.uploaded.length).toBeGreaterThan(5);
    const head = (Key: string) => client.send(new HeadObjectCommand({ Bucket: bucket, Key }));
    const page = await head('datasets/index.html');
    expect(page.ContentType).toMatch(/^text\/html/);
    expect(page.CacheControl).toBe('public, max-age=60, s-maxage=600');
    const download = r.uploaded.find((k) => k.startsWith('download/'))!;
    expect((await head(download)).CacheControl).toMatch(/immutable/);
    const again = await publish(site);
    expect(again.uploaded).toEqual([]);
    expect(again.unchanged).toBe(r.uploaded.length);
  });
});
