// Queued staff computations (the API on Lambda, lib/api/staff-requests.ts) in a real browser: with
// the staff script the "Run" button follows the status URL until the compute function has run the
// request, then shows the run as a local computation would; without script the form lands on the
// status page, which reloads itself (HTTP Refresh) until the outcome is there.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerType } from '@hono/node-server';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../lib/api/app';
import { REQUEST_PREFIX } from '../../lib/api/staff-requests';
import { generateAcsDemo } from '../../lib/demo/acs';
import { ingest } from '../../lib/ingest/ingest';
import { type TestCtx, tempCtx } from '../helpers';
import { haveChromium, launchChromium, serveApp, submitDemoSignIn } from './browser';

describe.skipIf(!haveChromium)('queued staff computations in a real browser', () => {
  let base: TestCtx;
  let server: ServerType;
  let browser: Browser;
  let url: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    base = tempCtx();
    mkdirSync(base.config.scratchDir, { recursive: true });
    const ctx = { ...base, config: { ...base.config, onLambda: true } };
    // The compute handler builds its Ctx from the environment: the same store as the API's.
    delete process.env.CORRIDOR_BUCKET;
    process.env.CORRIDOR_DATA_DIR = base.config.dataDir;
    process.env.CORRIDOR_SCRATCH_DIR = join(base.root, 'compute-scratch');
    process.env.CORRIDOR_DUCKDB_THREADS = '1';
    await ingest(base, await generateAcsDemo(join(base.root, 'acs')), { dataset: 'acs_b08301' });
    const app = createApp({ ctx, host: '127.0.0.1', demoAccount: true, limits: { ratePerMinute: 0 } });
    ({ server, base: url } = await serveApp(app));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
    process.env = saved;
    base?.cleanup();
  });

  async function signedIn(javaScriptEnabled: boolean): Promise<BrowserContext> {
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    await page.goto(`${url}/staff`);
    await page.waitForURL(/\/staff\/login/);
    await submitDemoSignIn(page, `${url}/staff`);
    await page.close();
    return context;
  }

  /** Run the newest queued computation as the EventBridge rule would. */
  async function runQueued(seen: Set<string>) {
    let key: string | undefined;
    await expect
      .poll(async () => {
        key = (await base.storage.list(`${REQUEST_PREFIX}compute/`)).objects
          .map((o) => o.key)
          .find((k) => !seen.has(k));
        return key;
      })
      .toBeDefined();
    seen.add(key!);
    const { handler } = await import('../../functions/compute');
    return handler({
      'detail-type': 'Object Created',
      detail: { bucket: { name: 'b' }, object: { key: key! } },
    });
  }

  const seen = new Set<string>();

  it('with script: "Run" shows queued/running, then the finished run', async () => {
    const context = await signedIn(true);
    const page = await context.newPage();
    await page.goto(`${url}/staff`);
    await page.getByLabel('Measure family').selectOption('commute_mode');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.locator('#compute-status').textContent()).toMatch(/Queued…|Running…/);
    const out = await runQueued(seen);
    expect(out).toMatchObject({ status: 'done' });
    await expect
      .poll(() => page.locator('#compute-status').textContent(), { timeout: 15_000 })
      .toMatch(/^Done: run \S+ — see the results$/);
    await context.close();
  });

  it('without script: the status page reloads itself until the run is done', async () => {
    const context = await signedIn(false);
    const page = await context.newPage();
    await page.goto(`${url}/staff`);
    await page.getByLabel('Measure family').selectOption('commute_mode');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForURL(/\/staff\/requests\/compute\./);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Computation running…');
    await runQueued(seen);
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 15_000 })
      .toBe('Computation done');
    expect(await page.getByRole('link', { name: 'see the results' }).getAttribute('href')).toBe(
      '/measures/commute_mode',
    );
    await context.close();
  });
});
