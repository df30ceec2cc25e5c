// Direct staff uploads (lib/api/staff-direct-upload.ts): ask for a presigned PUT, send the file to
// it, complete. Locally the folder store's URL is this app's own /storage/put route, so the whole
// flow runs through app.request; on Lambda the URL is for the pipeline's trigger key.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../lib/api/app';
import { directUploadCsp } from '../../lib/api/staff-direct-upload';
import { inspectZip, inspectZipFile } from '../../lib/api/upload-guard';
import { recentAudit } from '../../lib/audit/audit-log';
import { localAuthenticator } from '../../lib/auth/local-auth';
import { getManifest } from '../../lib/catalog';
import { generateAcsDemo } from '../../lib/demo/acs';
import { S3Storage } from '../../lib/storage/s3-storage';
import { tempCtx } from '../helpers';
import { bearer, testAuthenticator } from './demo-app';

const MAX = 256 * 1024;
const base = tempCtx();
const ctx = { ...base, config: { ...base.config, directUploads: { maxBytes: MAX } } };
const lambdaCtx = { ...base, config: { ...ctx.config, onLambda: true } };
const auth = testAuthenticator(localAuthenticator({ auth: {} }));
// A multipart limit far below the file: only the direct path can take it.
const app = createApp({ ctx, auth, limits: { uploadBytes: 1024, ratePerMinute: 0 } });
const lambdaApp = createApp({ ctx: lambdaCtx, auth, limits: { uploadBytes: 1024, ratePerMinute: 0 } });
let acs: { name: string; bytes: Buffer };

beforeAll(async () => {
  const files = await generateAcsDemo(join(base.root, 'acs'));
  const file = files.find((f) => f.includes('Y2019.'))!;
  acs = { name: basename(file), bytes: readFileSync(file) };
  expect(acs.bytes.length).toBeGreaterThan(1024);
});
afterAll(() => base.cleanup());

interface Granted {
  uploadId: string;
  url: string;
  method: string;
  headers: Record<string, string>;
  complete_url: string;
}

const ask = (body: unknown, role: 'viewer' | 'analyst' | 'admin' | null = 'analyst', on = app) =>
  on.request('/api/v1/staff/uploads/direct', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(role ? bearer(role) : {}) },
    body: JSON.stringify(body),
  });

async function grant(over: Record<string, unknown> = {}, on = app) {
  const res = await ask(
    { dataset: 'acs_b08301', fileName: acs.name, bytes: acs.bytes.length, contentType: 'text/csv', ...over },
    'analyst',
    on,
  );
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Granted;
}

const put = (g: Granted, body: Uint8Array, headers = g.headers, url = g.url) =>
  app.request(url, { method: 'PUT', headers, body });

const complete = (g: Granted, role: 'analyst' | 'admin' = 'analyst', on = app) =>
  on.request(`${g.complete_url}?wait=1`, { method: 'POST', headers: bearer(role) });

describe('direct upload requests', () => {
  it('need an analyst', async () => {
    const body = { dataset: 'acs_b08301', fileName: 'a.csv', bytes: 10 };
    expect((await ask(body, null)).status).toBe(401);
    expect((await ask(body, 'viewer')).status).toBe(403);
    expect((await ask(body, 'analyst')).status).toBe(201);
  });

  it('refuse malformed bodies, unknown kinds, path names and sizes over the limit', async () => {
    const ok = { dataset: 'acs_b08301', fileName: 'a.csv', bytes: 10 };
    for (const [body, status] of [
      [{ ...ok, bytes: -1 }, 400],
      [{ ...ok, bytes: 1.5 }, 400],
      [{ ...ok, dataset: 'nope' }, 400],
      [{ ...ok, name: 'Bad Name' }, 400],
      [{ ...ok, contentType: 'text/csv\r\nx-evil: 1' }, 400],
      [{ ...ok, fileName: '../../etc/passwd' }, 400],
      [{ ...ok, fileName: 'a/b.csv' }, 400],
      [{ ...ok, fileName: '..\\b.csv' }, 400],
      [{ ...ok, fileName: '.hidden' }, 400],
      [{ ...ok, bytes: MAX + 1 }, 413],
    ] as const) {
      const res = await ask(body);
      expect(res.status, JSON.stringify(body)).toBe(status);
    }
    expect(
      (
        await app.request('/api/v1/staff/uploads/direct', {
          method: 'POST',
          headers: bearer('analyst'),
          body: '{',
        })
      ).status,
    ).toBe(400);
    const events = await recentAudit(ctx.storage, 50);
    expect(events).toContainEqual(
      expect.objectContaining({
        action: 'upload',
        outcome: 'refused',
        detail: expect.objectContaining({ direct: true }),
      }),
    );
  });
});

describe('a direct upload', () => {
  it('goes to incoming/<id>/<file> and, once completed, is validated and published like a multipart one', async () => {
    const g = await grant();
    expect(g.method).toBe('PUT');
    expect(g.url).toMatch(/^http:\/\/localhost\/storage\/put\?key=incoming%2F[\w-]+%2F/);
    expect((await put(g, acs.bytes)).status).toBe(200);
    const key = new URL(g.url).searchParams.get('key')!;
    expect((await ctx.storage.head(key))?.size).toBe(acs.bytes.length);
    const res = await complete(g);
    expect(res.status).toBe(200);
    const job = (await res.json()) as {
      id: string;
      status: string;
      status_url: string;
      outcome: { version: string };
    };
    expect(job.status).toBe('published');
    expect(job.outcome.version).toBe((await getManifest(ctx.storage, 'acs_b08301'))?.current_version);
    // The staff page follows it on the same status route as a multipart upload.
    const polled = await app.request(`${job.status_url}?format=html`, { headers: bearer('analyst') });
    expect(((await polled.json()) as { report_html: string }).report_html).toContain('Published version');
    // The incoming object is gone once the ingest archived it.
    expect(await ctx.storage.head(key)).toBeNull();
    const events = await recentAudit(ctx.storage, 20);
    expect(events).toContainEqual(
      expect.objectContaining({
        action: 'upload',
        user: 'analyst-user',
        outcome: 'ok',
        target: 'acs_b08301',
        detail: expect.objectContaining({ file: acs.name, bytes: acs.bytes.length, status: 'published' }),
      }),
    );
    // Completing twice would ingest twice.
    expect((await complete(g)).status).toBe(409);
  });

  it('cannot be completed before the file arrived', async () => {
    const g = await grant();
    const res = await complete(g);
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: string }).error).toBe('not_uploaded');
  });

  it('refuses a PUT of another size or type, a tampered URL and an expired one', async () => {
    const g = await grant();
    // A declared Content-Length of another size is refused before a byte is read (as S3 does);
    // app.request sends none, so the streamed checks answer: short 400, long 413.
    const sized = (n: number) => ({ ...g.headers, 'content-length': String(n) });
    expect((await put(g, acs.bytes.subarray(1), sized(acs.bytes.length - 1))).status).toBe(403);
    expect((await put(g, acs.bytes.subarray(1))).status).toBe(400);
    expect((await put(g, Buffer.concat([acs.bytes, Buffer.from('x')]))).status).toBe(413);
    expect((await put(g, acs.bytes, { 'content-type': 'text/plain' })).status).toBe(403);
    const url = new URL(g.url);
    url.searchParams.set('key', url.searchParams.get('key')!.replace(/[^/]+$/, 'other.csv'));
    expect((await put(g, acs.bytes, g.headers, url.href)).status).toBe(403);
    url.searchParams.set('key', '../escape.csv');
    expect((await put(g, acs.bytes, g.headers, url.href)).status).toBe(403);
    const late = vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 16 * 60_000);
    try {
      const res = await put(g, acs.bytes);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { message: string }).message).toMatch(/expired/);
    } finally {
      late.mockRestore();
    }
    expect((await complete(g)).status).toBe(409);
  });

  it('refuses to complete when the stored size differs from the declared one', async () => {
    const g = await grant();
    const key = new URL(g.url).searchParams.get('key')!;
    // As if the object were replaced behind the URL's back.
    await ctx.storage.put(key, acs.bytes.subarray(0, 100));
    const res = await complete(g);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: string }).error).toBe('size_mismatch');
    expect(await ctx.storage.head(key)).toBeNull();
  });

  it('is completed only by its uploader (or an admin); an altered id names nothing', async () => {
    const g = await grant();
    const ticket = JSON.parse(Buffer.from(g.uploadId, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...ticket, user: 'someone-else' })).toString('base64url');
    const res = await app.request(`/api/v1/staff/uploads/direct/${forged}/complete`, {
      method: 'POST',
      headers: bearer('analyst'),
    });
    expect(res.status).toBe(404);
    const climbing = Buffer.from(JSON.stringify({ ...ticket, file: '../x.csv' })).toString('base64url');
    expect(
      (
        await app.request(`/api/v1/staff/uploads/direct/${climbing}/complete`, {
          method: 'POST',
          headers: bearer('analyst'),
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await app.request('/api/v1/staff/uploads/direct/!!/complete', {
          method: 'POST',
          headers: bearer('analyst'),
        })
      ).status,
    ).toBe(404);
  });

  it('refuses an unsafe archive at completion', async () => {
    const zip = zipSync({ '../evil.csv': new TextEncoder().encode('a\n1\n') });
    const g = await grant({ fileName: 'evil.zip', bytes: zip.length, contentType: 'application/zip' });
    expect((await put(g, zip)).status).toBe(200);
    const res = await complete(g);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { message: string }).message).toMatch(/unsafe path/);
  });
});

describe('the ZIP guard on a file', () => {
  it('gives the same verdict as on the bytes', async () => {
    const { writeFile } = await import('node:fs/promises');
    const cases = {
      good: zipSync({ 'a.csv': new TextEncoder().encode('x\n1\n') }),
      traversal: zipSync({ '../a.csv': new Uint8Array(3) }),
      bomb: zipSync({ 'big.csv': new Uint8Array(8 * 1024 * 1024) }, { level: 9 }),
      notZip: new TextEncoder().encode('just,a,csv\n'),
    };
    for (const [name, bytes] of Object.entries(cases)) {
      const path = join(base.root, `${name}.zip`);
      await writeFile(path, bytes);
      expect(await inspectZipFile(path), name).toBe(inspectZip(bytes));
    }
    expect(inspectZip(cases.good)).toBeNull();
    expect(inspectZip(cases.bomb)).toMatch(/zip bomb/);
  });
});

describe('the Content-Security-Policy', () => {
  it('lets the page PUT to the bucket S3 presigns for, and adds nothing for the folder', async () => {
    const res = await app.request('/staff/login');
    expect(res.headers.get('content-security-policy')).not.toContain('connect-src');
    const s3 = new S3Storage({
      bucket: 'corridor-data-123456789012-us-east-1',
      region: 'us-east-1',
      forcePathStyle: false,
      prefix: '',
      scratchDir: join(base.root, 's3-scratch'),
      credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'example' },
    });
    expect(await directUploadCsp({ ...ctx, storage: s3 })).toBe(
      "; connect-src 'self' https://corridor-data-123456789012-us-east-1.s3.us-east-1.amazonaws.com",
    );
  });
});

describe('a direct upload on Lambda', () => {
  it('is presigned for the trigger key, and completing queues it like a multipart upload', async () => {
    const g = await grant({ name: 'direct' }, lambdaApp);
    const key = new URL(g.url).searchParams.get('key');
    expect(key).toBe(`uploads/acs_b08301.direct/${acs.name}`);
    const early = await complete(g, 'analyst', lambdaApp);
    expect(early.status).toBe(409);
    expect((await put(g, acs.bytes)).status).toBe(200);
    const res = await complete(g, 'analyst', lambdaApp);
    expect(res.status).toBe(202);
    const q = (await res.json()) as { key: string; status: string; status_url: string };
    expect(q).toMatchObject({ key, status: 'running' });
    const polled = await lambdaApp.request(q.status_url, { headers: bearer('analyst') });
    expect(polled.status).toBe(200);
    expect((await recentAudit(ctx.storage, 10)).some((e) => e.detail?.queued === key)).toBe(true);
    // The '_' names are the ingest's own reports: refused up front.
    expect(
      (await ask({ dataset: 'acs_b08301', fileName: '_report.csv', bytes: 3 }, 'analyst', lambdaApp)).status,
    ).toBe(400);
  });
});
