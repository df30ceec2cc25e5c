// Shared by the end-to-end tests: Debian's chromium (scripts/browser-deps.sh installs it) driven by
// playwright-core, and the app under test on a loopback port.
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { chromium } from 'playwright-core';

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
