// Every public page: one h1, a language, labelled form controls, captioned tables with scoped
// headers, named images (charts and maps), and no resource fetched from another origin.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishResult } from '../../lib/catalog/results';
import { demoApp } from '../api/demo-app';

let env: Awaited<ReturnType<typeof demoApp>>;
beforeAll(async () => {
  env = await demoApp();
  // A family with no view description: the generic view charts by year and maps lon/lat.
  const csv = join(env.ctx.root, 'zz_counts.csv');
  writeFileSync(
    csv,
    'site,year,lon,lat,count\nA,2023,-100.1,40.1,10\nA,2024,-100.1,40.1,12\nB,2023,-100.2,40.2,20\nB,2024,-100.2,40.2,18\n',
  );
  await publishResult(env.ctx.storage, {
    family: 'zz_counts',
    key: 'all',
    files: [csv],
    summary: {},
    lineage: {
      family: 'zz_counts',
      run_id: 'r1',
      key: 'all',
      params: {},
      inputs: [],
      queries: [],
      code_version: 't',
      created_at: new Date().toISOString(),
    },
  });
});
afterAll(() => env.ctx.cleanup());

const PAGES = [
  '/',
  '/datasets',
  '/datasets?q=commute&keyword=ACS',
  '/datasets/acs_b08301',
  '/measures',
  '/measures/commute_mode',
  '/measures/zz_counts',
  '/api/docs',
  '/bca/parameters',
  '/staff/login',
];

function audit(html: string, path: string) {
  const problems: string[] = [];
  if (!/<html lang="en">/.test(html)) problems.push('no lang');
  if ((html.match(/<h1[ >]/g) ?? []).length !== 1) problems.push('not exactly one h1');
  if (!html.includes('href="#main"')) problems.push('no skip link');
  for (const m of html.matchAll(/<(input|select)\b([^>]*)>/g)) {
    if (/type="(hidden|submit)"/.test(m[2]!)) continue;
    const id = /id="([^"]+)"/.exec(m[2]!)?.[1];
    if (!id || !html.includes(`for="${id}"`)) problems.push(`unlabelled ${m[1]} ${m[2]}`);
  }
  for (const t of html.matchAll(/<table>([\s\S]*?)<\/table>/g))
    if (!/^\s*<caption>/.test(t[1]!)) problems.push('table without caption');
  for (const th of html.matchAll(/<th\b([^>]*)>/g))
    if (!/scope="(col|row)"/.test(th[1]!)) problems.push('th without scope');
  for (const s of html.matchAll(/<svg\b([^>]*)>/g))
    if (!/aria-hidden="true"|aria-label=|aria-labelledby=/.test(s[1]!) && !/role="img"/.test(s[1]!))
      problems.push(`unnamed svg ${s[1]}`);
  for (const s of html.matchAll(/<svg\b([^>]*role="img"[^>]*)>/g))
    if (!/aria-label=|aria-labelledby=/.test(s[1]!)) problems.push('role=img without a name');
  for (const s of html.matchAll(/\b(?:src|href)="(https?:)?\/\/([^"/]+)/g))
    if (s[0].startsWith('src') || /<link/.test(s[0])) problems.push(`external resource ${s[0]}`);
  if (/<script(?![^>]*\bsrc="\/assets\/)/.test(html)) problems.push('inline or third-party script');
  return problems.map((p) => `${path}: ${p}`);
}

describe('portal pages', () => {
  it('are accessible by the checks we can run without a screen reader', async () => {
    const all: string[] = [];
    for (const p of PAGES) {
      const res = await env.app.request(p, { headers: { accept: 'text/html' } });
      expect(res.status, p).toBe(200);
      all.push(...audit(await res.text(), p));
    }
    expect(all).toEqual([]);
  });

  it('the catalog filters by words, topic and kind', async () => {
    const count = async (q: string) =>
      /(\d+) of (\d+) datasets/.exec(await (await env.app.request(`/datasets${q}`)).text())![1];
    expect(await count('')).toBe('1');
    expect(await count('?q=commute+mode')).toBe('1');
    expect(await count('?q=commute+gtfs')).toBe('0');
    expect(await count('?keyword=ACS')).toBe('1');
    expect(await count('?keyword=nothing')).toBe('0');
    expect(await count('?type=acs_b08301')).toBe('1');
  });

  it('a family without a view description still gets a chart, a map and its lineage section', async () => {
    const html = await (await env.app.request('/measures/zz_counts')).text();
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby/); // chart
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-label="[^"]*4 features coloured by count/); // map
    expect(html).toContain('How this number is computed');
  });

  it('the home page shows the region-wide federal measures', async () => {
    const html = await (await env.app.request('/')).text();
    expect(html).toContain('Percent of non-single-occupancy-vehicle (non-SOV) travel (23 CFR 490.707(b))');
    expect(html).toMatch(/class="big">\d+\.\d%</);
  });

  it('unknown pages answer 404 pages, not stack traces', async () => {
    for (const p of ['/datasets/nope', '/measures/nope', '/datasets/..%2F..%2Fetc', '/nothing-here']) {
      const res = await env.app.request(p, { headers: { accept: 'text/html' } });
      expect([400, 404], p).toContain(res.status);
      expect(await res.text()).not.toMatch(/\s+at\s.+:\d+:\d+/);
    }
  });
});
