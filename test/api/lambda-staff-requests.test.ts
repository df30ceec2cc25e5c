// Staff computations and BCA runs on Lambda (config.onLambda): the API stores a request record
// under requests/<kind>/ and answers 202 with a status URL, running nothing; the compute handler,
// called with the Object Created event EventBridge would deliver for that record, runs it with the
// local code and records the outcome the status URL then reports. One folder store serves both, as
// one bucket does on AWS.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../lib/api/app';
import { getRun, publishedRun } from '../../lib/api/staff-bca-store';
import {
  type RequestStatus,
  requestKey,
  requestStatusKey,
  writeRequestStatus,
} from '../../lib/api/staff-requests';
import { recentAudit } from '../../lib/audit/audit-log';
import { localAuthenticator } from '../../lib/auth/local-auth';
import { getLatestRun } from '../../lib/catalog';
import { generateAcsDemo } from '../../lib/demo/acs';
import { generateBcaDemo } from '../../lib/demo/bca';
import { ingest } from '../../lib/ingest/ingest';
import { tempCtx } from '../helpers';
import { bearer, testAuthenticator } from './demo-app';
import { twoProjects } from './staff-bca-form';

const base = tempCtx();
const ctx = { ...base, config: { ...base.config, onLambda: true } };
const app = createApp({
  ctx,
  auth: testAuthenticator(localAuthenticator({ auth: {}, demoAccount: false })),
  limits: { uploadBytes: 4 * 1024 * 1024, ratePerMinute: 0 },
});
const saved = { ...process.env };
let acsFiles: string[];
let scenarioFile: string;

beforeAll(async () => {
  // The compute handler builds its Ctx from the environment: the same store as the API's.
  delete process.env.CORRIDOR_BUCKET;
  process.env.CORRIDOR_DATA_DIR = base.config.dataDir;
  process.env.CORRIDOR_SCRATCH_DIR = join(base.root, 'compute-scratch');
  process.env.CORRIDOR_DUCKDB_THREADS = '1';
  acsFiles = await generateAcsDemo(join(base.root, 'acs'));
  scenarioFile = (await generateBcaDemo(join(base.root, 'bca'))).scenarios[0]!;
});
afterAll(() => {
  process.env = saved;
  base.cleanup();
});

interface Queued {
  id: string;
  kind: string;
  status: string;
  status_url: string;
  page_url: string;
}
type Status = RequestStatus & { outcome_url: string | null };

const kindOf = (q: Queued) => q.kind as 'compute' | 'bca-run' | 'bca-publish';

/** What EventBridge delivers for the record the API wrote. */
async function trigger(key: string) {
  const { handler } = await import('../../functions/compute');
  return handler({
    'detail-type': 'Object Created',
    detail: { bucket: { name: 'corridor-data-123456789012-us-east-1' }, object: { key } },
  });
}

async function status(url: string): Promise<Status> {
  const res = await app.request(url, { headers: bearer('analyst') });
  expect(res.status).toBe(200);
  return (await res.json()) as Status;
}

const compute = (body: unknown) =>
  app.request('/api/v1/staff/compute', {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...bearer('analyst') },
  });

async function queuedFrom(res: Response): Promise<Queued> {
  expect(res.status).toBe(202);
  const q = (await res.json()) as Queued;
  expect(q.status).toBe('queued');
  expect(q.status_url).toBe(`/api/v1/staff/requests/${q.id}`);
  expect(q.page_url).toBe(`/staff/requests/${q.id}`);
  return q;
}

describe('staff computations on Lambda', () => {
  it('fail as data: status failed with the message, and a failed audit entry', async () => {
    // No ACS data yet: the family cannot run.
    const q = await queuedFrom(await compute({ family: 'commute_mode' }));
    expect(await status(q.status_url)).toMatchObject({ status: 'queued', result: null });
    const out = await trigger(requestKey(kindOf(q), q.id));
    expect(out).toMatchObject({ status: 'failed' });
    const s = await status(q.status_url);
    expect(s.status).toBe('failed');
    expect(s.error).toEqual(expect.any(String));
    expect(s.error!.length).toBeGreaterThan(0);
    expect(s.result).toMatchObject({ error: 'compute_failed', message: s.error });
    const events = await recentAudit(ctx.storage, 20);
    // who asked is logged when the request is queued, before anything runs
    expect(events).toContainEqual(
      expect.objectContaining({
        action: 'request_queued',
        target: 'compute',
        outcome: 'ok',
        user: 'analyst-user',
        detail: { request_id: q.id },
      }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({
        action: 'compute',
        target: 'commute_mode',
        outcome: 'failed',
        user: 'analyst-user',
        detail: { error: s.error },
      }),
    );
    // The status page says so, without script.
    const page = await app.request(q.page_url, { headers: { ...bearer('analyst'), accept: 'text/html' } });
    expect(page.status).toBe(422);
    expect(await page.text()).toContain('Computation failed');
  });

  it('queue a family (202, record written, nothing run), then run it in the compute function', async () => {
    await ingest(base, acsFiles, { dataset: 'acs_b08301' });
    const q = await queuedFrom(await compute({ family: 'commute_mode' }));
    const rec = JSON.parse((await ctx.storage.get(requestKey(kindOf(q), q.id)))!.body.toString('utf8'));
    expect(rec).toMatchObject({
      id: q.id,
      kind: 'compute',
      user: 'analyst-user',
      role: 'analyst',
      payload: { family: 'commute_mode', year: null },
    });
    expect(await getLatestRun(ctx.storage, 'commute_mode')).toBeNull();
    // Running: the page reloads itself and says so.
    const running = await app.request(q.page_url, { headers: { ...bearer('analyst'), accept: 'text/html' } });
    expect(running.status).toBe(200);
    expect(running.headers.get('refresh')).toBe('3');
    expect(await running.text()).toContain('Computation running…');

    await trigger(requestKey(kindOf(q), q.id));
    const s = await status(q.status_url);
    expect(s).toMatchObject({ status: 'done', error: null, result: { family: 'commute_mode' } });
    const runId = s.result!.run_id;
    expect((await getLatestRun(ctx.storage, 'commute_mode'))?.run_id).toBe(runId);
    const events = await recentAudit(ctx.storage, 20);
    expect(events).toContainEqual(
      expect.objectContaining({
        action: 'compute',
        target: 'commute_mode',
        outcome: 'ok',
        user: 'analyst-user',
        role: 'analyst',
        versions: [expect.stringMatching(/^acs_b08301@/)],
        detail: { run_id: runId, year: null },
      }),
    );
    // A second delivery of the same event does not run it again.
    expect(await trigger(requestKey(kindOf(q), q.id))).toEqual({ skipped: 'already done' });
  });

  it('send the no-script form to the status page', async () => {
    const res = await app.request('/staff/compute', {
      method: 'POST',
      body: new URLSearchParams({ family: 'commute_mode' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...bearer('analyst') },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/staff\/requests\/compute\.\d{8}T\d{6}Z-[0-9a-f]{16}$/);
  });
});

describe('staff BCA runs on Lambda', () => {
  it('queue the builder’s run, show “running…”, then the run page; staff-only until published', async () => {
    const res = await app.request('/staff/bca', {
      method: 'POST',
      body: new URLSearchParams({ ...twoProjects('lambda-two'), action: 'run' }),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'text/html',
        ...bearer('analyst'),
      },
    });
    expect(res.status).toBe(303);
    const pageUrl = res.headers.get('location')!;
    const id = basename(pageUrl);
    expect(id).toMatch(/^bca-run\./);
    const rec = JSON.parse((await ctx.storage.get(requestKey('bca-run', id)))!.body.toString('utf8'));
    expect(rec.payload).toMatchObject({ file_name: 'lambda-two.yaml', source: 'builder' });
    expect(Buffer.from(rec.payload.content_base64, 'base64').toString('utf8')).toContain('id: lambda-two');
    const running = await app.request(pageUrl, { headers: { ...bearer('analyst'), accept: 'text/html' } });
    expect(await running.text()).toContain('Scenario run running…');

    await trigger(requestKey('bca-run', id));
    const s = await status(`/api/v1/staff/requests/${id}`);
    expect(s).toMatchObject({ status: 'done', result: { scenario_id: 'lambda-two', published: false } });
    const runId = s.result!.run_id as string;
    expect(s.outcome_url).toBe(`/staff/bca/runs/${runId}`);
    const done = await app.request(pageUrl, { headers: { ...bearer('analyst'), accept: 'text/html' } });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`/staff/bca/runs/${runId}`);
    expect((await getRun(ctx, runId))?.user).toBe('analyst-user');
    expect(await publishedRun(ctx, runId)).toBeNull();
    expect(await recentAudit(ctx.storage, 50)).toContainEqual(
      expect.objectContaining({
        action: 'bca_run',
        target: 'lambda-two',
        outcome: 'ok',
        user: 'analyst-user',
      }),
    );

    // Publishing writes results/: queued too, then public.
    const pub = await app.request(`/api/v1/staff/bca/runs/${runId}/publish`, {
      method: 'POST',
      headers: bearer('analyst'),
    });
    const q = await queuedFrom(pub);
    expect(await publishedRun(ctx, runId)).toBeNull();
    await trigger(requestKey(kindOf(q), q.id));
    const p = await status(q.status_url);
    expect(p).toMatchObject({ status: 'done', result: { run_id: runId, page: `/bca/${runId}` } });
    expect(p.outcome_url).toBe(`/staff/bca/runs/${runId}?published=1`);
    expect(await publishedRun(ctx, runId)).not.toBeNull();
    expect(await recentAudit(ctx.storage, 50)).toContainEqual(
      expect.objectContaining({ action: 'bca_publish', target: runId, outcome: 'ok' }),
    );
    // The page's publish button goes the same way.
    const button = await app.request(`/staff/bca/runs/${runId}/publish`, {
      method: 'POST',
      headers: { accept: 'text/html', ...bearer('analyst') },
    });
    expect(button.status).toBe(303);
    expect(button.headers.get('location')).toMatch(/^\/staff\/requests\/bca-publish\./);
  });

  it('queue an uploaded scenario file through the JSON API', async () => {
    const form = new FormData();
    form.set('file', new File([readFileSync(scenarioFile)], basename(scenarioFile)));
    form.set('discount_rate', '0.031');
    const q = await queuedFrom(
      await app.request('/api/v1/staff/bca', { method: 'POST', body: form, headers: bearer('analyst') }),
    );
    const rec = JSON.parse((await ctx.storage.get(requestKey(kindOf(q), q.id)))!.body.toString('utf8'));
    expect(rec.payload).toMatchObject({
      file_name: basename(scenarioFile),
      discount_rate: 0.031,
      edition: null,
    });
    await trigger(requestKey(kindOf(q), q.id));
    const s = await status(q.status_url);
    expect(s.status).toBe('done');
    expect(s.result).toMatchObject({ published: false, run_id: expect.any(String) });
    expect((await getRun(ctx, s.result!.run_id as string))?.discount_rate).toBe(0.031);
  });

  it('report a scenario with errors as failed, with its issues', async () => {
    const form = new FormData();
    form.set('file', new File(['id: broken\nprojects: nope\n'], 'broken.yaml'));
    const q = await queuedFrom(
      await app.request('/api/v1/staff/bca', { method: 'POST', body: form, headers: bearer('analyst') }),
    );
    await trigger(requestKey(kindOf(q), q.id));
    const s = await status(q.status_url);
    expect(s.status).toBe('failed');
    expect(s.result).toMatchObject({ error: 'scenario_refused', issues: expect.any(Array) });
    expect(await recentAudit(ctx.storage, 50)).toContainEqual(
      expect.objectContaining({ action: 'bca_run', target: 'broken.yaml', outcome: 'refused' }),
    );
  });
});

describe('off Lambda', () => {
  it('still computes inside the request and queues nothing', async () => {
    const local = createApp({
      ctx: base,
      auth: testAuthenticator(localAuthenticator({ auth: {}, demoAccount: false })),
      limits: { ratePerMinute: 0 },
    });
    const before = (await base.storage.list('requests/compute/')).objects.length;
    const res = await local.request('/api/v1/staff/compute', {
      method: 'POST',
      body: JSON.stringify({ family: 'commute_mode' }),
      headers: { 'content-type': 'application/json', ...bearer('analyst') },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { run_id: string };
    expect((await getLatestRun(base.storage, 'commute_mode'))?.run_id).toBe(body.run_id);
    expect((await base.storage.list('requests/compute/')).objects.length).toBe(before);
  });
});

describe('request status', () => {
  it('answers 404 for ids that name no request, and only to analysts', async () => {
    for (const id of ['nope', 'compute.20260101T000000Z-0000000000000000', '..%2Fx']) {
      const res = await app.request(`/api/v1/staff/requests/${id}`, { headers: bearer('analyst') });
      expect(res.status, id).toBe(404);
    }
    const q = await queuedFrom(await compute({ family: 'commute_mode' }));
    expect((await app.request(q.status_url, { headers: bearer('viewer') })).status).toBe(403);
    // The outcome is the compute function's to write, outside the prefix that triggers it.
    expect(requestStatusKey(q.id).startsWith('requests/')).toBe(false);
  });

  it('reports a run that never finished as failed, and a retried delivery still runs it', async () => {
    const q = await queuedFrom(await compute({ family: 'commute_mode' }));
    const long = new Date(Date.now() - 20 * 60_000).toISOString();
    // What a run cut off by the function's time limit leaves behind.
    await writeRequestStatus(ctx, {
      id: q.id,
      kind: 'compute',
      user: 'analyst-user',
      status: 'running',
      requested_at: long,
      started_at: long,
      finished_at: null,
      result: null,
      error: null,
    });
    expect(await status(q.status_url)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/15-minute/),
    });
    await trigger(requestKey(kindOf(q), q.id));
    expect(await status(q.status_url)).toMatchObject({ status: 'done', error: null });
  });

  it('skips trigger keys that are not request records', async () => {
    expect(await trigger('requests/compute/not-an-id.json')).toMatchObject({ skipped: expect.any(String) });
    expect(await trigger('requests/compute/compute.20260101T000000Z-0000000000000000.json')).toMatchObject({
      skipped: expect.stringMatching(/^no request record/),
    });
  });
});
