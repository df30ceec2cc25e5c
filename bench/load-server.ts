// The server the load benchmark drives: the real app over a prepared store, on 127.0.0.1 only,
// with the local-mode rate limit off (it would otherwise answer 429 to the benchmark itself).
// Prints its port on stdout. Run by bench/load.ts in its own process.

import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from '../lib/api/app';
import { createContext, silentLog } from '../lib/context';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: load-server.ts <data dir>');
const ctx = await createContext({ dataDir, interactive: false }, silentLog);
const app = createApp({ ctx, host: '127.0.0.1', limits: { ratePerMinute: 0 } });
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
server.once('listening', () => console.log(`port=${(server.address() as AddressInfo).port}`));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
