// Contract test: the OpenAPI document is well-formed, and every operation in it answers with a
// documented status, a documented content type and (for JSON) a body that validates against the
// documented schema. Operations are discovered from /openapi.json, so a new route is covered by
// the test as soon as it is documented.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createApp } from '../../lib/api/app';
import { queueRequest, requestKey } from '../../lib/api/staff-requests';
import { localAuthenticator } from '../../lib/auth/local-auth';
import { getLatestRun } from '../../lib/catalog';
import { generateAcsDemo } from '../../lib/demo/acs';
import { generateBcaDemo } from '../../lib/demo/bca';
import { bearer, demoApp, testAuthenticator } from './demo-app';
import { validate } from './json-schema';

type Json = Record<string, unknown>;
interface Operation {
  operationId: string;
  parameters?: { name: string; in: string; required?: boolean; example?: unknown; schema?: Json }[];
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, { content?: Record<string, { schema?: Json }> }>;
  security?: unknown[];
}

let env: Awaited<ReturnType<typeof demoApp>>;
let doc: { openapi: string; paths: Record<string, Record<string, Operation>>; components?: Json };
let acsFile: Uint8Array;
let bcaScenario: Uint8Array;
let bcaScenarioJson: string;
const ACS_NAME = 'ACSDT1Y2015.B08301-Data.csv';

beforeAll(async () => {
  env = await demoApp({ uploadBytes: 10 * 1024 * 1024 });
  doc = (await (await env.app.request('/openapi.json')).json()) as typeof doc;
  const [first] = await generateAcsDemo(join(env.ctx.root, 'acs'));
  acsFile = readFileSync(first!);
  bcaScenario = readFileSync((await generateBcaDemo(join(env.ctx.root, 'bca'))).scenarios[0]!);
  // The same scenario as JSON, for the API twin of the builder.
  bcaScenarioJson = JSON.stringify(parseYaml(Buffer.from(bcaScenario).toString('utf8')));
});
afterAll(() => env.ctx.cleanup());

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ path, method, op })),
  );

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 with unique operation ids, declared path parameters and resolvable refs', () => {
    expect(doc.openapi).toBe('3.1.0');
    const ids = operations().map((o) => o.op.operationId);
    expect(ids.every(Boolean)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, op } of operations()) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      expect(declared.sort(), path).toEqual(inPath.sort());
      expect(Object.keys(op.responses).length, path).toBeGreaterThan(0);
    }
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
    for (const r of refs)
      expect(() => validate({ $ref: r, components: doc.components }, null), r).not.toThrow();
    // Every public read route the issue names is documented.
    for (const p of [
      '/api/v1/datasets',
      '/api/v1/datasets/{id}',
      '/api/v1/datasets/{id}/tables/{table}/rows',
      '/api/v1/measures',
      '/api/v1/measures/{family}',
      '/data.json',
      '/api/3/action/package_search',
      '/api/3/action/package_show',
      '/download/{id}/{version}/{file}',
      '/api/v1/bca/reports',
      '/api/v1/bca/reports/{run}',
    ])
      expect(doc.paths[p], p).toBeDefined();
  });
});

const exampleOf = (op: Operation, n: string) => {
  const p = op.parameters?.find((x) => x.name === n);
  return p?.example ?? p?.schema?.example;
};

async function call(
  path: string,
  method: string,
  op: Operation,
  values: Record<string, string>,
  app: { request: typeof env.app.request } = env.app,
) {
  let url = path.replace(/\{(\w+)\}/g, (_, n: string) =>
    encodeURIComponent(values[n] ?? String(exampleOf(op, n) ?? n)),
  );
  const query = new URLSearchParams();
  for (const p of op.parameters ?? [])
    if (p.in === 'query' && values[p.name] !== undefined) query.set(p.name, values[p.name]!);
  if ([...query].length) url += `?${query}`;
  const headers: Record<string, string> = op.security?.length ? bearer('admin') : {};
  let body: FormData | string | undefined;
  if (op.requestBody?.content['multipart/form-data']) {
    const fd = new FormData();
    if (op.operationId === 'staffBca') {
      fd.set('file', new File([bcaScenario], 'scenario.yaml', { type: 'application/yaml' }));
    } else {
      fd.set('dataset', 'acs_b08301');
      fd.set('file', new File([acsFile], ACS_NAME, { type: 'text/csv' }));
    }
    body = fd;
  } else if (op.requestBody?.content['application/json']) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(values.__body ? JSON.parse(values.__body) : {});
  }
  return app.request(url, { method: method.toUpperCase(), headers, body });
}

/** The documented operation at a path, to call or check an answer outside the pass over all. */
function documented(path: string, method: string) {
  const op = doc.paths[path]?.[method];
  if (!op) throw new Error(`${method} ${path} is not documented`);
  return op;
}

/** A direct upload's grant with its file already PUT through the app's presigned route. */
async function directUploadSent(app: { request: typeof env.app.request } = env.app) {
  const path = '/api/v1/staff/uploads/direct';
  const op = documented(path, 'post');
  const res = await call(path, 'post', op, { __body: JSON.stringify(directRequest()) }, app);
  expect(res.status).toBe(201);
  const grant = (await res.clone().json()) as {
    uploadId: string;
    url: string;
    headers: Record<string, string>;
  };
  await expectDocumented(res, op, 'POST /api/v1/staff/uploads/direct');
  // The folder store signs a URL for this app's own route (lib/storage/presigned-put.ts).
  expect(new URL(grant.url).pathname).toBe('/storage/put');
  const put = await app.request(grant.url, { method: 'PUT', headers: grant.headers, body: acsFile });
  expect(put.status, await put.clone().text()).toBe(200);
  return grant;
}

const directRequest = () => ({
  dataset: 'acs_b08301',
  fileName: ACS_NAME,
  bytes: acsFile.length,
  contentType: 'text/csv',
});

async function expectDocumented(res: Response, op: Operation, label: string) {
  const documented = op.responses[String(res.status)];
  const text = await res.text();
  expect(
    documented,
    `${label}: status ${res.status} is not documented (${text.slice(0, 200)})`,
  ).toBeDefined();
  const content = documented!.content;
  if (!content || res.status === 304) return;
  const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
  expect(Object.keys(content), `${label}: content type ${type}`).toContain(type);
  const schema = content[type]?.schema;
  if (type === 'application/json' && schema) {
    const errors = validate({ ...schema, components: doc.components } as Json, JSON.parse(text));
    expect(errors, label).toEqual([]);
  }
  expect(text).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack traces
}

describe('reads', () => {
  it('paging and filters on rows', async () => {
    const page1 = (await (
      await env.app.request('/api/v1/datasets/acs_b08301/tables/acs_commute_mode/rows?limit=10&year=2024')
    ).json()) as { total: number; rows: { year: number }[]; next: string | null };
    expect(page1.total).toBe(5);
    expect(page1.rows.every((r) => r.year === 2024)).toBe(true);
    const all = (await (
      await env.app.request('/api/v1/datasets/acs_b08301/tables/acs_commute_mode/rows?limit=20')
    ).json()) as { total: number; next: string };
    expect(all.total).toBe(45);
    const page2 = (await (await env.app.request(all.next)).json()) as { offset: number; rows: unknown[] };
    expect(page2.offset).toBe(20);
    expect(page2.rows).toHaveLength(20);
    const csv = await (
      await env.app.request('/api/v1/datasets/acs_b08301/tables/acs_commute_mode/rows?format=csv&year=2015')
    ).text();
    expect(csv.trim().split('\n')).toHaveLength(6);
    expect(
      (await env.app.request('/api/v1/datasets/acs_b08301/tables/acs_commute_mode/rows?no_such_column=1'))
        .status,
    ).toBe(400);
    expect(
      (await env.app.request('/api/v1/datasets/acs_b08301/tables/acs_commute_mode/rows?limit=100000')).status,
    ).toBe(400);
  });

  it('result files page and filter like dataset tables', async () => {
    const base = '/api/v1/measures/commute_mode/files/acs_non_sov_share.csv/rows';
    const p = (await (await env.app.request(`${base}?limit=3&year=2024`)).json()) as {
      total: number;
      rows: { year: number }[];
      next: string;
    };
    expect(p.total).toBe(5);
    expect(p.rows).toHaveLength(3);
    expect(p.rows.every((r) => r.year === 2024)).toBe(true);
    const p2 = (await (await env.app.request(p.next)).json()) as { rows: unknown[]; next: string | null };
    expect(p2.rows).toHaveLength(2);
    expect(p2.next).toBeNull();
    const csv = await (await env.app.request(`${base}?format=csv`)).text();
    expect(csv.trim().split('\n')).toHaveLength(46);
    expect((await env.app.request(`${base}?nope=1`)).status).toBe(400);
  });

  it('downloads carry ETags from the version and honour If-None-Match', async () => {
    const latest = await env.app.request('/download/acs_b08301/latest/acs_commute_mode.csv');
    expect(latest.status).toBe(302);
    const url = latest.headers.get('location')!;
    const a = await env.app.request(url);
    const etag = a.headers.get('etag')!;
    expect(etag).toMatch(/^".+-acs_commute_mode-csv"$/);
    expect(a.headers.get('cache-control')).toContain('immutable');
    expect((await a.text()).split('\n')[0]).toMatch(/^geo_id,name,year/);
    // The stable download (a file DuckDB writes once per version) and the streamed API CSV agree.
    const streamed = await (
      await env.app.request('/api/v1/datasets/acs_b08301/tables/acs_commute_mode/rows?format=csv')
    ).text();
    expect(await (await env.app.request(url)).text()).toBe(streamed);
    const b = await env.app.request(url, { headers: { 'if-none-match': etag } });
    expect(b.status).toBe(304);
    const pq = await env.app.request(url.replace('.csv', '.parquet'));
    expect(pq.headers.get('content-type')).toBe('application/vnd.apache.parquet');
    expect(
      Buffer.from(await pq.arrayBuffer())
        .subarray(0, 4)
        .toString(),
    ).toBe('PAR1');
  });
});

let bcaRun: { run_id: string; files: { url: string }[]; npv_usd: number } | undefined;

// Last: these upload and compute, which publish new versions.
describe('every documented operation (writes last)', () => {
  it('with valid inputs', async () => {
    const ds = (await (await env.app.request('/api/v1/datasets/acs_b08301')).json()) as {
      current_version: string;
    };
    const run = (await (await env.app.request('/api/v1/measures/commute_mode')).json()) as {
      run: { run_id: string };
    };
    const job = (await (
      await call(
        '/api/v1/staff/uploads',
        'post',
        {
          operationId: 'x',
          requestBody: { content: { 'multipart/form-data': {} } },
          responses: {},
          security: [1],
        },
        { wait: '1' },
      )
    ).json()) as { id: string };
    // Made before the pass: it goes in document order, and these must exist when it gets there.
    const direct = await directUploadSent();
    const scenarios = documented('/api/v1/staff/bca/scenarios', 'post');
    const ran = await call('/api/v1/staff/bca/scenarios', 'post', scenarios, { __body: bcaScenarioJson });
    const staffRun = (await ran.clone().json()) as { run_id: string; published: boolean };
    await expectDocumented(ran, scenarios, 'POST /api/v1/staff/bca/scenarios (run)');
    expect(staffRun.run_id).toBeTruthy();
    // Published before the pass so the public report route has a report to answer with.
    const published = await env.app.request(`/api/v1/staff/bca/runs/${staffRun.run_id}/publish`, {
      method: 'POST',
      headers: bearer('analyst'),
    });
    expect(published.status).toBe(200);
    const run1 = { run: staffRun.run_id };
    // Locally no route queues work, but the status route only reads what is stored: a record as
    // the API writes it on AWS gives it a request to answer for (still queued: nothing runs it).
    const pending = await queueRequest(
      env.ctx,
      { user: 'analyst-user', role: 'analyst', via: 'token' },
      'compute',
      {
        family: 'commute_mode',
        year: null,
      },
    );
    const values: Record<string, Record<string, string>> = {
      downloadTable: { version: ds.current_version },
      resultFile: { run: run.run.run_id },
      staffUploadJob: { id: job.id },
      staffUpload: { wait: '1' },
      staffDirectUpload: { __body: JSON.stringify(directRequest()) },
      staffDirectUploadComplete: { uploadId: direct.uploadId, wait: '1' },
      staffCompute: { __body: JSON.stringify({ family: 'commute_mode' }) },
      staffRequestStatus: { id: pending.id },
      staffBcaScenario: { __body: bcaScenarioJson, check: '1' },
      staffBcaRun: run1,
      staffBcaRunFile: { ...run1, file: 'report.html' },
      staffBcaPublish: run1,
      getBcaReport: run1,
      staffPutTargets: {
        __body: JSON.stringify({
          targets: [
            {
              measure_id: 'pm3_non_sov',
              performance_period: '2022-2025',
              baseline_year: 2021,
              target_2yr: 30,
              target_4yr: 31,
            },
          ],
        }),
      },
      ckanPackageShow: { id: 'acs_b08301' },
      getRows: { limit: '3', format: 'json' },
    };
    const called = new Set<string>();
    for (const { path, method, op } of operations()) {
      const res = await call(path, method, op, values[op.operationId] ?? {});
      if (op.operationId === 'staffBca') bcaRun = (await res.clone().json()) as typeof bcaRun;
      await expectDocumented(res, op, `${method.toUpperCase()} ${path}`);
      if (!['downloadTable', 'resultFile'].includes(op.operationId))
        expect(res.status, `${method} ${path}`).toBeLessThan(300);
      called.add(op.operationId);
    }
    // Each value above is for an operation that still exists (a renamed one would be called blind).
    expect(Object.keys(values).filter((id) => !called.has(id))).toEqual([]);
  });

  it('with unknown ids (errors are documented too)', async () => {
    // Every operation with an id in its path, reads and writes alike (completing or publishing
    // something that does not exist is a 404 too).
    for (const { path, method, op } of operations()) {
      if (!(op.parameters ?? []).some((p) => p.in === 'path')) continue;
      const bogus = Object.fromEntries(
        (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => [p.name, 'no_such_thing']),
      );
      const res = await call(path, method, op, { ...bogus, state_code: '6' });
      expect(res.status, `${path}`).toBeGreaterThanOrEqual(400);
      await expectDocumented(res, op, `${method.toUpperCase()} ${path} (unknown)`);
    }
  });
});

describe('staff BCA run', () => {
  it('keeps its reports for staff until someone publishes it', async () => {
    expect(bcaRun?.run_id).toBeTruthy();
    expect(Number.isFinite(bcaRun!.npv_usd)).toBe(true);
    expect(bcaRun!.files.length).toBeGreaterThan(0);
    // Staff runs are staff-only until published (test/api/staff-bca.test.ts covers publishing).
    for (const f of bcaRun!.files.slice(0, 3))
      expect((await env.app.request(f.url, { headers: bearer('viewer') })).status, f.url).toBe(200);
    const page = await env.app.request(`/staff/bca/runs/${bcaRun!.run_id}`, { headers: bearer('viewer') });
    expect(page.status).toBe(200);
  });
});

describe('uploads on AWS (queued for the pipeline)', () => {
  it('answer as documented: multipart, direct grant, complete and the poll', async () => {
    // The same store with the Lambda switch on: uploads go to the ingest's trigger keys.
    const ctx = { ...env.ctx, config: { ...env.ctx.config, onLambda: true } };
    const app = createApp({
      ctx,
      auth: testAuthenticator(localAuthenticator({ auth: {}, demoAccount: false })),
      limits: { uploadBytes: 10 * 1024 * 1024, ratePerMinute: 0 },
    });
    const uploadOp = documented('/api/v1/staff/uploads', 'post');
    const queued = await call('/api/v1/staff/uploads', 'post', uploadOp, { wait: '1' }, app);
    expect(queued.status).toBe(202);
    await expectDocumented(queued, uploadOp, 'POST /api/v1/staff/uploads (AWS)');

    const grant = await directUploadSent(app);
    const completeOp = documented('/api/v1/staff/uploads/direct/{uploadId}/complete', 'post');
    const done = await call(
      '/api/v1/staff/uploads/direct/{uploadId}/complete',
      'post',
      completeOp,
      { uploadId: grant.uploadId, wait: '1' },
      app,
    );
    expect(done.status).toBe(202);
    const job = (await done.clone().json()) as { id: string; key: string };
    expect(job.key).toMatch(/^uploads\/acs_b08301\//);
    await expectDocumented(done, completeOp, 'POST …/complete (AWS)');

    const pollOp = documented('/api/v1/staff/uploads/{id}', 'get');
    const poll = await call('/api/v1/staff/uploads/{id}', 'get', pollOp, { id: job.id }, app);
    expect(poll.status).toBe(200);
    await expectDocumented(poll, pollOp, 'GET /api/v1/staff/uploads/{id} (AWS)');
  });
});

describe('staff work on AWS (queued for the compute function)', () => {
  const saved = { ...process.env };
  afterAll(() => {
    process.env = saved;
  });

  it('answers 202 as documented; the status route follows a request from queued to done', async () => {
    const ctx = { ...env.ctx, config: { ...env.ctx.config, onLambda: true } };
    const app = createApp({
      ctx,
      auth: testAuthenticator(localAuthenticator({ auth: {}, demoAccount: false })),
      limits: { uploadBytes: 10 * 1024 * 1024, ratePerMinute: 0 },
    });
    /** The answer's JSON, once it is checked against the documented schema for its status. */
    const answer = async (res: Response, op: Operation, label: string, status: number) => {
      expect(res.status, label).toBe(status);
      const body = (await res.clone().json()) as Json;
      await expectDocumented(res, op, label);
      return body;
    };
    const queue = async (path: string, values: Record<string, string>, kind: string) => {
      const q = await answer(
        await call(path, 'post', documented(path, 'post'), values, app),
        documented(path, 'post'),
        `POST ${path} (AWS)`,
        202,
      );
      expect(q).toMatchObject({ kind, status: 'queued', status_url: `/api/v1/staff/requests/${q.id}` });
      return q as { id: string; status_url: string };
    };
    const before = (await getLatestRun(env.ctx.storage, 'commute_mode'))?.run_id;
    const computed = await queue(
      '/api/v1/staff/compute',
      { __body: JSON.stringify({ family: 'commute_mode' }) },
      'compute',
    );
    await queue('/api/v1/staff/bca', {}, 'bca-run');
    await queue('/api/v1/staff/bca/scenarios', { __body: bcaScenarioJson }, 'bca-run');
    expect(bcaRun?.run_id).toBeTruthy();
    const publish = await queue(
      '/api/v1/staff/bca/runs/{run}/publish',
      { run: bcaRun!.run_id! },
      'bca-publish',
    );
    // Queued, not run: the API function may not write results/.
    expect((await getLatestRun(env.ctx.storage, 'commute_mode'))?.run_id).toBe(before);

    const statusPath = '/api/v1/staff/requests/{id}';
    const statusOp = documented(statusPath, 'get');
    const status = async (id: string, label: string, code = 200) =>
      answer(
        await call(statusPath, 'get', statusOp, { id }, app),
        statusOp,
        `GET ${statusPath} (${label})`,
        code,
      );
    expect(await status(computed.id, 'queued')).toMatchObject({
      status: 'queued',
      result: null,
      outcome_url: null,
    });

    // What EventBridge delivers for the record, to the compute function, which builds its context
    // from the environment: the same store as the API's, as one bucket serves both on AWS.
    delete process.env.CORRIDOR_BUCKET;
    process.env.CORRIDOR_DATA_DIR = env.ctx.config.dataDir;
    process.env.CORRIDOR_SCRATCH_DIR = join(env.ctx.root, 'compute-scratch');
    process.env.CORRIDOR_DUCKDB_THREADS = '1';
    const { handler } = await import('../../functions/compute');
    await handler({
      'detail-type': 'Object Created',
      detail: { object: { key: requestKey('compute', computed.id) } },
    });
    const done = await status(computed.id, 'done');
    expect(done).toMatchObject({ status: 'done', error: null, result: { family: 'commute_mode' } });
    expect(done.finished_at).toEqual(expect.any(String));
    expect((await getLatestRun(env.ctx.storage, 'commute_mode'))?.run_id).toBe((done.result as Json).run_id);

    // A finished publication points at the run's staff page (outcome_url).
    await handler({
      'detail-type': 'Object Created',
      detail: { object: { key: requestKey('bca-publish', publish.id) } },
    });
    expect(await status(publish.id, 'published')).toMatchObject({
      status: 'done',
      result: { run_id: bcaRun!.run_id },
      outcome_url: `/staff/bca/runs/${bcaRun!.run_id}?published=1`,
    });

    // A well-formed id that names no request.
    expect(await status('compute.20261124T034500Z-0123456789abcdef', 'unknown', 404)).toMatchObject({
      error: 'not_found',
    });
  });
});
