import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoApp } from './demo-app';
import { validate } from './json-schema';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/dcat-us/${name}`, import.meta.url), 'utf8'));
const catalogSchema = fixture('catalog.json');
const datasetSchema = fixture('dataset-non-federal.json');
const docs = { 'dataset-non-federal.json': datasetSchema };

describe('/data.json (DCAT-US v1.1 non-federal)', () => {
  let env: Awaited<ReturnType<typeof demoApp>>;
  beforeAll(async () => {
    env = await demoApp();
  });
  afterAll(() => env.ctx.cleanup());

  it('validates against the vendored schema and lists every dataset and measure', async () => {
    const res = await env.app.request('http://portal.example/data.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const body = (await res.json()) as { dataset: Record<string, unknown>[]; conformsTo: string };
    expect(validate(catalogSchema, body, { docs })).toEqual([]);
    const ids = body.dataset.map((d) => d.identifier);
    expect(ids).toContain('http://portal.example/datasets/acs_b08301');
    expect(ids).toContain('http://portal.example/measures/commute_mode');
    const acs = body.dataset.find((d) => d.identifier === 'http://portal.example/datasets/acs_b08301')!;
    const dist = acs.distribution as { downloadURL?: string; mediaType?: string }[];
    expect(
      dist.some((d) => d.mediaType === 'text/csv' && d.downloadURL?.endsWith('/acs_commute_mode.csv')),
    ).toBe(true);
    expect(dist.some((d) => d.mediaType === 'application/vnd.apache.parquet')).toBe(true);
    // Every download URL answers.
    for (const d of dist.filter((x) => x.downloadURL).slice(0, 4)) {
      const r = await env.app.request(d.downloadURL!);
      expect(r.status, d.downloadURL).toBe(200);
      await r.arrayBuffer();
    }
  });

  it('the validator rejects what the schema forbids (so the check above can fail)', () => {
    const bad = {
      conformsTo: 'https://resources.data.gov/schemas/dcat-us/v1.1/schema',
      dataset: [
        {
          title: 'x',
          description: 'y',
          identifier: 'z',
          accessLevel: 'open',
          publisher: {},
          contactPoint: { fn: 'a', hasEmail: 'a@b.c' },
          distribution: [{ downloadURL: 'https://x/y.csv' }],
        },
      ],
    };
    const errors = validate(catalogSchema, bad, { docs });
    expect(errors.join('\n')).toMatch(/accessLevel/);
    expect(errors.join('\n')).toMatch(/publisher: missing required name/);
    expect(errors.join('\n')).toMatch(/hasEmail/);
    expect(errors.join('\n')).toMatch(/needs mediaType|missing required mediaType/);
    expect(validate(catalogSchema, { dataset: [] }, { docs })).toContain('$: missing required conformsTo');
  });
});

describe('CKAN shim', () => {
  let env: Awaited<ReturnType<typeof demoApp>>;
  beforeAll(async () => {
    env = await demoApp();
  });
  afterAll(() => env.ctx.cleanup());

  it('package_search and package_show answer in the CKAN envelope', async () => {
    const s = (await (await env.app.request('/api/3/action/package_search?q=commute&rows=5')).json()) as {
      success: boolean;
      result: { count: number; results: { name: string; resources: { url: string; format: string }[] }[] };
    };
    expect(s.success).toBe(true);
    expect(s.result.count).toBe(1);
    expect(s.result.results[0]!.resources.map((r) => r.format)).toEqual(
      expect.arrayContaining(['CSV', 'PARQUET', 'API']),
    );
    const none = (await (await env.app.request('/api/3/action/package_search?q=no-such-thing')).json()) as {
      result: { count: number };
    };
    expect(none.result.count).toBe(0);
    const byTag = (await (await env.app.request('/api/3/action/package_search?fq=tags:ACS')).json()) as {
      result: { count: number };
    };
    expect(byTag.result.count).toBe(1);
    const show = await env.app.request(`/api/3/action/package_show?id=${s.result.results[0]!.name}`);
    expect(show.status).toBe(200);
    const missing = await env.app.request('/api/3/action/package_show?id=nope');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ success: false, error: { __type: 'Not Found Error' } });
  });
});
