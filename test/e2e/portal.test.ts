// End to end in a real browser (Debian's chromium driven by playwright-core), against the app
// served on 127.0.0.1 with an ephemeral port over a temp store loaded with the demo region.
// A visitor finds a dataset, downloads it, opens measure pages with a chart and a map; a staff
// user signs in, uploads a bad file and sees the report, uploads a good one and sees the new
// version appear.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerType } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../lib/api/app';
import { DEMO_USER } from '../../lib/auth/local-auth';
import { getLatestRun, publishResult } from '../../lib/catalog/results';
import { generateAcsDemo } from '../../lib/demo/acs';
import { loadDemo } from '../../lib/demo/load';
import { type TestCtx, tempCtx } from '../helpers';
import { haveChromium, launchChromium, pageProblems, serveApp, submitDemoSignIn } from './browser';

describe.skipIf(!haveChromium)('portal in a real browser', () => {
  let ctx: TestCtx;
  let server: ServerType;
  let browser: Browser;
  let base: string;
  let mapFamily: string;
  let acsFiles: string[];

  beforeAll(async () => {
    ctx = tempCtx();
    mkdirSync(ctx.config.scratchDir, { recursive: true });
    await loadDemo(ctx);
    // A family whose page has a map: transit stops or PM3 segments when the demo computes them
    // (and they have locations), else a small stop-level result published here (the generic view
    // maps lon/lat columns).
    const app = createApp({ ctx, host: '127.0.0.1', demoAccount: true, limits: { ratePerMinute: 0 } });
    mapFamily = 'demo_stops';
    for (const f of ['transit', 'pm3']) {
      if (!(await getLatestRun(ctx.storage, f))) continue;
      const html = await (await app.request(`/measures/${f}`)).text();
      if (/aria-label="[^"]*features coloured by/.test(html)) {
        mapFamily = f;
        break;
      }
    }
    if (mapFamily === 'demo_stops') {
      const csv = join(ctx.root, 'demo_stop_trips.csv');
      const rows = ['stop_id,stop_name,year,stop_lon,stop_lat,daily_trips'];
      for (let i = 0; i < 12; i++)
        for (const y of [2023, 2024])
          rows.push(
            `S${i},Stop ${i},${y},${(-122.3 + i * 0.01).toFixed(3)},${(47.6 + (i % 4) * 0.01).toFixed(3)},${40 + i * 7 + (y - 2023) * 3}`,
          );
      writeFileSync(csv, `${rows.join('\n')}\n`);
      const now = new Date().toISOString();
      await publishResult(ctx.storage, {
        family: 'demo_stops',
        key: 'all',
        files: [csv],
        summary: { stops: 12 },
        lineage: {
          family: 'demo_stops',
          run_id: 'e2e-run-1',
          key: 'all',
          params: {},
          inputs: [],
          queries: [],
          code_version: 'test',
          created_at: now,
        },
      });
    }
    acsFiles = await generateAcsDemo(join(ctx.root, 'acs'));
    ({ server, base } = await serveApp(app));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
    ctx?.cleanup();
  });

  it('a visitor finds a dataset and downloads it', async () => {
    const page = await browser.newPage();
    const problems = pageProblems(page, base);
    await page.goto(`${base}/`);
    await page.getByLabel('Search the data').fill('commute');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/^1 of \d+ datasets/);
    await page.getByRole('link', { name: 'ACS commute mode (B08301)' }).click();
    await page.waitForURL(/\/datasets\/acs_b08301$/);
    expect(await page.getByRole('heading', { name: 'Data dictionary' }).isVisible()).toBe(true);
    expect(await page.locator('table caption', { hasText: 'First 10 of 45 rows' }).count()).toBe(1);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'CSV', exact: true }).click(),
    ]);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text.split('\n')[0]).toMatch(/^geo_id,name,year,survey,workers/);
    expect(text.trim().split('\n')).toHaveLength(46);
    expect(download.suggestedFilename()).toMatch(/^acs_b08301-.+-acs_commute_mode\.csv$/);
    // The API reference is interactive without any third-party script.
    await page.goto(`${base}/api/docs`);
    await page.locator('#getDataset form.try button').click();
    await expect
      .poll(() => page.locator('#getDataset pre.try-out').textContent())
      .toMatch(/200 application\/json[\s\S]*"id": "acs_b08301"/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a visitor opens measure pages with a chart and a map', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } }); // a phone
    const problems = pageProblems(page, base);
    await page.goto(`${base}/`);
    await page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Measures' }).click();
    await page.getByRole('link', { name: 'Commute mode and non-SOV share (ACS)' }).click();
    const chart = page.locator('svg[role="img"]').first();
    await expect.poll(() => chart.getAttribute('aria-labelledby')).toBeTruthy();
    expect(await chart.locator('path[stroke-width="2"]').count()).toBe(5); // one line per county
    await page.getByText('Chart data as a table').click();
    expect(await page.locator('details table tbody tr').count()).toBe(5);
    expect(await page.getByRole('heading', { name: 'How this number is computed' }).isVisible()).toBe(true);
    const queryLink = page.getByRole('link', { name: 'acs_non_sov_share.sql' });
    expect(await queryLink.count()).toBe(1);
    expect(await page.locator('#how a[href^="/datasets/acs_b08301?version="]').count()).toBe(1);

    await page.goto(`${base}/measures/${mapFamily}`);
    const map = page.locator('svg[role="img"][aria-label*="coloured by"]');
    expect(await map.count()).toBe(1);
    expect(await map.locator('circle, line').count()).toBeGreaterThan(5);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a grant reviewer finds the parameters behind the analyses and downloads a table', async () => {
    const page = await browser.newPage();
    const problems = pageProblems(page, base);
    await page.goto(`${base}/bca`);
    await page.getByRole('link', { name: 'benefit-cost parameters' }).click();
    await page.waitForURL(/\/bca\/parameters$/);
    const values = page.locator('details#usdot-2026 table tbody tr');
    expect(await values.first().isVisible()).toBe(false); // folded until asked for
    await page.locator('details#usdot-2026 summary').click();
    expect(await values.first().isVisible()).toBe(true);
    expect(await values.count()).toBeGreaterThan(20);
    const ramp = page.locator('#operations ~ div table tr', { hasText: 'Ramp metering' }).first();
    expect(await ramp.getByRole('link').first().getAttribute('href')).toMatch(/^https?:\/\//);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'editions.csv' }).click(),
    ]);
    expect(readFileSync((await download.path())!, 'utf8').split('\n')[0]).toMatch(/^edition_id,title,/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a staff user signs in, sees a bad upload rejected with its report, and a good one published', async () => {
    const page = await browser.newPage();
    const problems = pageProblems(page, base);
    await page.goto(`${base}/staff`);
    await page.waitForURL(/\/staff\/login/);
    expect(await page.locator('.notice').textContent()).toContain(DEMO_USER);
    await submitDemoSignIn(page, `${base}/staff`);
    expect(await page.getByRole('heading', { name: 'Staff area' }).isVisible()).toBe(true);

    // A bad file: two counties' worker counts are not numbers.
    const good2024 = acsFiles.find((f) => f.includes('2024'))!;
    const lines = readFileSync(good2024, 'utf8').split('\n');
    const bad = lines
      .map((l, i) => (i === 2 || i === 4 ? l.replace(/^("[^"]*","[^"]*",)"\d+"/, '$1"lots"') : l))
      .join('\n');
    const badPath = join(ctx.root, 'ACSDT1Y2024.B08301-Data.csv');
    writeFileSync(badPath, bad);
    await page.getByLabel('Dataset kind').selectOption('acs_b08301');
    await page.getByLabel('File (CSV or ZIP)').setInputFiles(badPath);
    await page.getByRole('button', { name: 'Upload and validate' }).click();
    await expect
      .poll(() => page.locator('#upload-report').textContent(), { timeout: 30_000 })
      .toContain('Rejected');
    const report = page.locator('#upload-report table');
    expect(await report.locator('td', { hasText: 'B08301_001E' }).count()).toBeGreaterThan(0);
    const lineCells = await report.locator('tbody tr td.num').allTextContents();
    expect(lineCells.some((t) => Number(t) >= 3)).toBe(true);

    // A good file: the 2024 table on its own is new content, so a new version is published.
    await page.getByLabel('File (CSV or ZIP)').setInputFiles(good2024);
    await page.getByRole('button', { name: 'Upload and validate' }).click();
    await expect
      .poll(() => page.locator('#upload-report').textContent(), { timeout: 30_000 })
      .toMatch(/Published version (\S+) of acs_b08301/);
    const version = /Published version (\S+) of/.exec(
      (await page.locator('#upload-report').textContent()) ?? '',
    )![1]!;
    await page.getByRole('link', { name: 'Open acs_b08301' }).click();
    await page.waitForURL(/\/datasets\/acs_b08301$/);
    const versions = page.locator('#versions ~ .scroll table').first();
    expect(await versions.locator('tbody tr').count()).toBe(2);
    expect(await versions.locator('tbody tr').first().textContent()).toContain(`${version} (current)`);
    expect(problems).toEqual([]);
    await page.close();
  });
});
