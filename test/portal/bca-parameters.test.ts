// /bca/parameters shows every edition, unit value and operations default with its verification
// and source, and offers exactly the data/bca tables (nothing else under that path) as downloads.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strategyLibrary } from '../../lib/bca/calculators/operations';
import { DATA_DIR, loadParameters } from '../../lib/bca/params';
import { demoApp } from '../api/demo-app';

let env: Awaited<ReturnType<typeof demoApp>>;
beforeAll(async () => {
  env = await demoApp();
});
afterAll(() => env.ctx.cleanup());

describe('/bca/parameters', () => {
  it('lists every edition with its dollar year and rate, and every unit value under its edition', async () => {
    const res = await env.app.request('/bca/parameters', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    const { editions, unitValues } = loadParameters();
    for (const e of editions) {
      const row = new RegExp(`<a href="#${e.id}">${e.id}</a>[\\s\\S]*?</tr>`).exec(html)?.[0] ?? '';
      expect(row, e.id).toContain(`<td class="num">${e.dollarYear}</td>`);
      const section = new RegExp(`<details id="${e.id}">([\\s\\S]*?)</details>`).exec(html)?.[1] ?? '';
      const own = unitValues.filter(
        (u) => u.editionId === (unitValues.some((x) => x.editionId === e.id) ? e.id : e.valuesFrom),
      );
      // One table row per unit value (plus the header row), or the refusal note when there are none.
      if (own.length) expect((section.match(/<tr>/g) ?? []).length, e.id).toBe(own.length + 1);
      else expect(section).toContain('calculators refuse to value benefits');
    }
    expect(html).toMatch(/<a href="#usdot-2026">usdot-2026<\/a> <strong>\(default\)<\/strong>/);
  });

  it('shows each operations default with its source as a link, and blank defaults as such', async () => {
    const html = await (await env.app.request('/bca/parameters')).text();
    const ops = /<h2 id="operations">[\s\S]*?<\/table>/.exec(html)![0];
    const lib = strategyLibrary();
    expect((ops.match(/<tr>/g) ?? []).length).toBe(lib.length + 1);
    const ramp = lib.find((s) => s.strategy_id === 'ramp_metering' && s.measure === 'travel_time_reduction')!;
    expect(ramp.value).not.toBeNull();
    expect(ops).toContain(`<td class="num">${ramp.value!.toFixed(3)}</td>`);
    const url = /https?:\/\/[^\s;,)"]+/.exec(ramp.source)![0];
    expect(ops).toContain(`<a href="${url}" rel="noopener">`);
    const blanks = lib.filter((s) => s.value === null).length;
    expect((ops.match(/<td class="num">—<\/td><td class="num">/g) ?? []).length).toBe(blanks);
  });

  it('downloads exactly the parameter tables, byte for byte; anything else there is a 404', async () => {
    for (const f of ['editions.csv', 'unit_values.csv', 'price_index.csv', 'operations_strategies.csv']) {
      const res = await env.app.request(`/bca/parameters/${f}`);
      expect(res.status, f).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(join(DATA_DIR, f))), f).toBe(true);
    }
    for (const p of ['README.md', '..%2F..%2Fpackage.json', 'editions.CSV'])
      expect((await env.app.request(`/bca/parameters/${p}`)).status, p).toBe(404);
  });
});
