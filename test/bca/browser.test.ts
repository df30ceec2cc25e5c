// The demo scenario report in a real browser (Chromium through playwright-core): it loads with
// no console errors or failed requests, every chart has a size, and every table has a caption.
// Skips when no Chromium is installed on the machine.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBca } from '../../lib/bca/run';
import { generateBcaDemo } from '../../lib/demo/bca';
import { tempCtx } from './helpers';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) =>
  existsSync(p),
);
if (!CHROMIUM) console.warn('skipping the browser check of the BCA report: no Chromium found');

describe.skipIf(!CHROMIUM)('BCA report in Chromium', () => {
  it('renders the demo report without errors; charts have a size; tables have captions', async () => {
    const { dir, ctx } = await tempCtx();
    const demo = await generateBcaDemo(join(dir, 'demo'));
    await runBca(ctx, demo.scenarios[1]!, { out: join(dir, 'out'), publish: false });
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
      await page.goto(`file://${join(dir, 'out', 'report.html')}`);
      // runs in the page (a string: this project compiles without the DOM typings)
      const facts = (await page.evaluate(`(() => ({
        title: document.title,
        charts: [...document.querySelectorAll('svg[role="img"]')].map((s) => {
          const r = s.getBoundingClientRect();
          const id = s.getAttribute('aria-labelledby').split(' ')[0];
          return { w: r.width, h: r.height, label: document.getElementById(id)?.textContent ?? '' };
        }),
        tables: document.querySelectorAll('table').length,
        captions: document.querySelectorAll('table > caption').length,
        h1: document.querySelectorAll('h1').length,
        external: [...document.querySelectorAll('[src],[href]')]
          .map((e) => e.getAttribute('src') ?? e.getAttribute('href'))
          .filter((u) => u && !u.startsWith('#')),
      }))()`)) as {
        title: string;
        charts: { w: number; h: number; label: string }[];
        tables: number;
        captions: number;
        h1: number;
        external: string[];
      };
      expect(problems).toEqual([]);
      expect(facts.title).toMatch(/benefit-cost analysis/);
      expect(facts.h1).toBe(1);
      expect(facts.charts.length).toBeGreaterThanOrEqual(4);
      for (const c of facts.charts) {
        expect(c.w).toBeGreaterThan(200);
        expect(c.h).toBeGreaterThan(100);
        expect(c.label.length).toBeGreaterThan(10);
      }
      expect(facts.captions).toBe(facts.tables);
      expect(facts.external).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
