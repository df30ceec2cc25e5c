// Staff uploads on Lambda (config.onLambda): the API stores the file where the pipeline's ingest
// is triggered (uploads/<dataset>/<file>) and answers 202 with a status URL; the ingest handler,
// called here on the written key as EventBridge would, records the outcome that URL then reports.
// One folder store serves both, as one bucket does on AWS.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../lib/api/app';
import { uploadStatusKey } from '../../lib/api/upload-jobs';
import { recentAudit } from '../../lib/audit/audit-log';
import { localAuthenticator } from '../../lib/auth/local-auth';
import { getManifest } from '../../lib/catalog';
import { generateAcsDemo } from '../../lib/demo/acs';
import { tempCtx } from '../helpers';
import { bearer, testAuthenticator } from './demo-app';

const base = tempCtx();
const ctx = { ...base, config: { ...base.config, onLambda: true } };
const app = createApp({
  ctx,
  auth: testAuthenticator(localAuthenticator({ auth: {} })),
  limits: { uploadBytes: 1024 * 1024 },
});
let acsFiles: string[];
const saved = { ...process.env };

beforeAll(async () => {
  // The ingest handler builds its Ctx from the environment: the same store as the API's.
  delete process.env.CORRIDOR_BUCKET;
  process.env.CORRIDOR_DATA_DIR = base.config.dataDir;
  process.env.CORRIDOR_SCRATCH_DIR = join(base.root, 'ingest-scratch');
  process.env.CORRIDOR_DUCKDB_THREADS = '1';
  acsFiles = await generateAcsDemo(join(base.root, 'acs'));
});
afterAll(() => {
  process.env = saved;
  base.cleanup();
});

interface Queued {
  id: string;
  key: string;
  file: string;
  dataset: string;
  status: string;
  status_url: string;
  result: null | {
    status: string;
    version: string | null;
    errors: number;
    rows_published: number;
    issues: { code: string; severity: string }[];
    error: string | null;
  };
}

async function upload(name: string, body: string | Uint8Array, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.set('dataset', 'acs_b08301');
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set('file', new File([body], name));
  return app.request('/api/v1/staff/uploads?wait=1', {
    method: 'POST',
    body: form,
    headers: bearer('analyst'),
  });
}

const status = async (q: Queued) => {
  const res = await app.request(q.status_url, { headers: bearer('analyst') });
  expect(res.status).toBe(200);
  return (await res.json()) as Queued;
};

/** What EventBridge delivers for the object the API wrote. */
async function trigger(key: string) {
  const { handler } = await import('../../functions/ingest');
  return handler({
    'detail-type': 'Object Created',
    detail: { bucket: { name: 'corridor-data-123456789012-us-east-1' }, object: { key } },
  });
}

describe('staff uploads on Lambda', () => {
  let first: Queued;

  it('store the file under uploads/<dataset>/ and answer 202 with a status URL, without ingesting', async () => {
    const file = acsFiles.find((f) => f.includes('Y2019.'))!;
    const res = await upload(basename(file), readFileSync(file));
    expect(res.status).toBe(202);
    first = (await res.json()) as Queued;
    expect(first).toMatchObject({
      key: `uploads/acs_b08301/${basename(file)}`,
      file: basename(file),
      dataset: 'acs_b08301',
      status: 'running',
      stage: 'queued for the ingest',
      status_url: `/api/v1/staff/uploads/${first.id}`,
      result: null,
    });
    expect((await ctx.storage.get(first.key))?.body.equals(readFileSync(file))).toBe(true);
    // Nothing is published until the pipeline runs.
    expect(await getManifest(ctx.storage, 'acs_b08301')).toBeNull();
    expect(await status(first)).toMatchObject({ status: 'running', result: null });
    const events = await recentAudit(ctx.storage, 10);
    expect(events).toContainEqual(
      expect.objectContaining({
        action: 'upload',
        user: 'analyst-user',
        detail: expect.objectContaining({ queued: first.key }),
      }),
    );
  });

  it('report the ingest’s outcome once the triggered ingest ran', async () => {
    const out = await trigger(first.key);
    expect(out).toMatchObject({ status: 'published', key: first.key });
    const s = await status(first);
    expect(s.status).toBe('published');
    expect(s.result).toMatchObject({ status: 'published', errors: 0, error: null });
    expect(s.result!.rows_published).toBeGreaterThan(0);
    expect(s.result!.version).toBe((await getManifest(ctx.storage, 'acs_b08301'))?.current_version);
    // The staff page polls with ?format=html and shows the same report as for local uploads.
    const page = await app.request(`${first.status_url}?format=html`, { headers: bearer('analyst') });
    const body = (await page.json()) as { status: string; report_html: string };
    expect(body.status).toBe('published');
    expect(body.report_html).toContain(`Published version ${s.result!.version} of acs_b08301`);
  });

  it('tell a re-upload under the same name apart from the first (the id names the object’s ETag)', async () => {
    const bad = 'GEO_ID,NAME\n0400000US42,Pennsylvania\n';
    const res = await upload(basename(first.key), bad);
    expect(res.status).toBe(202);
    const second = (await res.json()) as Queued;
    expect(second.key).toBe(first.key);
    expect(second.id).not.toBe(first.id);
    // The record on file is the first upload's: the second is still queued.
    expect(await status(second)).toMatchObject({ status: 'running', result: null });
    await trigger(second.key);
    const s = await status(second);
    expect(s.status).toBe('rejected');
    expect(s.result!.errors).toBeGreaterThan(0);
    expect(s.result!.issues.some((i) => i.severity === 'error')).toBe(true);
    // The first id no longer matches the record: it reads as queued, never as the second's outcome.
    expect((await status(first)).status).toBe('running');
  });

  it('queue named datasets as uploads/<type>.<name>/', async () => {
    const res = await upload('a.csv', 'x', { name: 'region2' });
    expect(res.status).toBe(202);
    expect(((await res.json()) as Queued).key).toBe('uploads/acs_b08301.region2/a.csv');
  });

  it('answer the no-script form with a page linking the status', async () => {
    const form = new FormData();
    form.set('dataset', 'acs_b08301');
    form.set('file', new File(['x'], 'form.csv'));
    const res = await app.request('/staff/upload', {
      method: 'POST',
      body: form,
      headers: bearer('analyst'),
    });
    expect(res.status).toBe(202);
    const text = await res.text();
    expect(text).toContain('uploads/acs_b08301/form.csv');
    expect(text).toMatch(/href="\/api\/v1\/staff\/uploads\/[\w-]+"/);
  });

  it('refuse names the ingest would skip, and ids that name no upload', async () => {
    expect((await upload('_report.csv', 'x')).status).toBe(400);
    for (const id of ['nope', Buffer.from(JSON.stringify(['raw/x/y.csv', 'e'])).toString('base64url')]) {
      const res = await app.request(`/api/v1/staff/uploads/${id}`, { headers: bearer('analyst') });
      expect(res.status).toBe(404);
    }
    const viewer = await app.request(first.status_url, { headers: bearer('viewer') });
    expect(viewer.status).toBe(403);
  });

  it('keep status records outside the trigger prefix', async () => {
    expect(await ctx.storage.head(uploadStatusKey(first.key))).not.toBeNull();
    expect(uploadStatusKey(first.key).startsWith('uploads/')).toBe(false);
  });
});
