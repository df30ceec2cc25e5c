// Shared by the end-to-end tests: Debian's chromium (scripts/browser-deps.sh installs it) driven by
// playwright-core, and the app under test on a loopback port.
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { chromium, type Page } from 'playwright-core';
import { DEMO_PASSWORD, DEMO_USER } from '../../lib/auth/local-auth';

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);
if (!haveChromium)
  console.warn(`skipping browser tests: ${CHROMIUM} is absent (install it with scripts/browser-deps.sh)`);

// The machine's network is closed: without the background-networking, component-update and sync
// flags Chromium keeps opening connections that are refused; QUIC is off for the same reason.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(extraArgs: string[] = []) {
  return chromium.launch({ executablePath: CHROMIUM, args: [...FLAGS, ...extraArgs] });
}

/** Serve `app` on 127.0.0.1 at a free port. */
export async function serveApp(app: { fetch: Parameters<typeof serve>[0]['fetch'] }) {
  const server: ServerType = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, base, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Fill the demo account into the sign-in form the page shows, submit, and wait for `landing`. */
export async function submitDemoSignIn(page: Page, landing: string) {
  await page.getByLabel('User name').fill(DEMO_USER);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(landing);
}

/** Collects what must not happen on a portal page: script errors and requests leaving `base`. */
export function pageProblems(page: Page, base: string) {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  // Nothing may leave the machine: no CDN, tiles or analytics.
  page.on(
    'request',
    (r) =>
      !r.url().startsWith(base) &&
      !r.url().startsWith('data:') &&
      problems.push(`external request: ${r.url()}`),
  );
  return problems;
}
