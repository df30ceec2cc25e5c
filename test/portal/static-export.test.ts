import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBcaDemo } from '../../lib/demo/bca';
import { exportPortal } from '../../lib/portal/static-export';
import { demoApp } from '../api/demo-app';

let env: Awaited<ReturnType<typeof demoApp>>;
beforeAll(async () => {
  env = await demoApp();
  // the demo's scenarios, published as `corridor demo` does, so /bca lists analyses to export
  await runBcaDemo(env.ctx, join(env.ctx.root, 'bca'));
}, 120_000);
afterAll(() => env.ctx.cleanup());

describe('static portal export', () => {
  it('writes pages, catalogs and downloads under portal/ with their URLs and content types', async () => {
    const r = await exportPortal(env.ctx, env.app as never, { origin: 'https://data.mpo.example' });
    expect(r.objects).toBeGreaterThan(10);
    const { objects } = await env.ctx.storage.list('portal/');
    const keys = objects.map((o) => o.key);
    const version = (
      (await (await env.app.request('/api/v1/datasets/acs_b08301')).json()) as { current_version: string }
    ).current_version;
    for (const k of [
      'portal/index.html',
      'portal/datasets/index.html',
      'portal/datasets/acs_b08301/index.html',
      'portal/measures/commute_mode/index.html',
      'portal/data.json',
      'portal/openapi.json',
      'portal/api/docs/index.html',
      `portal/download/acs_b08301/${version}/acs_commute_mode.csv`,
      `portal/download/acs_b08301/${version}/acs_commute_mode.parquet`,
    ])
      expect(keys, k).toContain(k);
    expect(keys.some((k) => /^portal\/results\/commute_mode\/[^/]+\/acs_non_sov_share\.csv$/.test(k))).toBe(
      true,
    );
    expect(keys.some((k) => k.includes('staff'))).toBe(false);
    // Published analyses: the list, each report page, and its files under their own names.
    expect(keys).toContain('portal/bca/index.html');
    expect(keys).toContain('portal/bca/parameters/index.html');
    expect(keys).toContain('portal/bca/parameters/unit_values.csv');
    expect(keys.some((k) => /^portal\/bca\/[^/]+\/index\.html$/.test(k))).toBe(true);
    expect(keys.some((k) => /^portal\/bca\/[^/]+\/report\.html$/.test(k))).toBe(true);
    const dataJson = JSON.parse((await env.ctx.storage.get('portal/data.json'))!.body.toString()) as {
      dataset: { identifier: string }[];
    };
    expect(dataJson.dataset[0]!.identifier).toMatch(/^https:\/\/data\.mpo\.example\//);
    const page = (await env.ctx.storage.get('portal/datasets/acs_b08301/index.html'))!.body.toString();
    expect(page).toContain('<h1>ACS commute mode (B08301)</h1>');
  });
});
