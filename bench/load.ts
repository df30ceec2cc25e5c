// Load benchmark of the portal and API (autocannon, loopback only, bounded in time): requests per
// second and p50/p99 latency for the dataset catalog (page and API), a measure page and a
// ~100k-row CSV download. The store is the demo region plus a small NPMRDS export (3 TMCs, a
// year of 15-minute epochs) for the large download. Writes "## Portal and API load" in RESULTS.md.
//   node bin/run-ts.js bench/load.ts [--seconds 10]
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createContext, silentLog } from '../lib/context';
import { loadDemo } from '../lib/demo/load';
import { generateNpmrds } from '../lib/demo/npmrds';
import { ingest } from '../lib/ingest/ingest';
import { machineLine, writeSection } from './results-md';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 10;
const root = await mkdtemp(join(tmpdir(), 'corridor-load-'));
const dataDir = join(root, 'store');

console.error('preparing the store…');
const ctx = await createContext(
  { dataDir, scratchDir: join(root, 'scratch'), interactive: false },
  silentLog,
);
await loadDemo(ctx);
// The generator's smallest network is ~10 TMCs × a year; keep the first 100,000 readings of the
// all-vehicle file (and a few truck readings) so the download is the size the issue names.
const files = await generateNpmrds(join(root, 'npmrds'), { tmcs: 3 });
for (const [name, keep] of [
  ['readings_all_vehicles.csv', 100_000],
  ['readings_trucks.csv', 1_000],
] as const) {
  const f = files.find((x) => x.endsWith(name))!;
  const lines = (await readFile(f, 'utf8')).split('\n');
  await writeFile(f, `${lines.slice(0, keep + 1).join('\n')}\n`);
}
const npmrds = await ingest(ctx, files, { dataset: 'npmrds' });
if (npmrds.status !== 'published') throw new Error(`npmrds ingest ${npmrds.status}`);

const child = spawn(
  process.execPath,
  ['--import', 'tsx', new URL('./load-server.ts', import.meta.url).pathname, dataDir],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const port = await new Promise<number>((resolve, reject) => {
  child.stdout.on('data', (b: Buffer) => {
    const m = /port=(\d+)/.exec(b.toString());
    if (m) resolve(Number(m[1]));
  });
  child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
});
const base = `http://127.0.0.1:${port}`;

const csvPath = `/download/npmrds/${npmrds.version}/readings.csv`;
const probe = await fetch(base + csvPath);
const csv = await probe.text();
const csvRows = csv.trimEnd().split('\n').length - 1;
const csvMb = Buffer.byteLength(csv) / 1024 ** 2;
// The same table through the API: filtered, streamed batch by batch from DuckDB, never cached.
const streamPath = '/api/v1/datasets/npmrds/tables/readings/rows?format=csv&vehicle_class=all';
const streamRows = (await (await fetch(base + streamPath)).text()).trimEnd().split('\n').length - 1;

interface Row {
  name: string;
  path: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}
const targets = [
  { name: 'catalog page `/datasets`', path: '/datasets', connections: 10 },
  { name: 'catalog API `/api/v1/datasets`', path: '/api/v1/datasets', connections: 10 },
  { name: 'measure page `/measures/commute_mode`', path: '/measures/commute_mode', connections: 10 },
  {
    name: `CSV download, ${csvRows.toLocaleString('en-US')} rows (${csvMb.toFixed(1)} MB)`,
    path: csvPath,
    connections: 2,
  },
  {
    name: `the same rows streamed by the API (\`rows?format=csv\`, ${streamRows.toLocaleString('en-US')} rows)`,
    path: streamPath,
    connections: 2,
  },
];
const rows: Row[] = [];
for (const t of targets) {
  console.error(`${t.name}: ${seconds} s with ${t.connections} connections…`);
  // Warm-up (DuckDB instance, caches), then the measured run.
  await autocannon({ url: base + t.path, connections: 2, duration: 2 });
  const r = await autocannon({
    url: base + t.path,
    connections: t.connections,
    duration: seconds,
    timeout: 60,
  });
  rows.push({
    ...t,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  });
}
child.kill('SIGTERM');
await rm(root, { recursive: true, force: true });

const table = [
  '| target | connections | requests/s | p50 ms | p99 ms | errors | non-2xx |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.name} | ${r.connections} | ${r.rps.toFixed(r.rps < 10 ? 2 : 0)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non2xx} |`,
  ),
].join('\n');
writeSection(
  'Portal and API load',
  `Machine: ${machineLine()}. \`node bin/run-ts.js bench/load.ts\`: the app (\`createApp\`, rate limit off) in its own Node process on 127.0.0.1, driven by autocannon from a second process for ${seconds} s per target after a 2 s warm-up. Store: the demo region plus an NPMRDS export cut to 100,000 all-vehicle and 1,000 truck readings; the CSV download is the stable URL of the readings table (\`/download/npmrds/<version>/readings.csv\`): DuckDB writes the file once per version (as pre-built files would sit behind CloudFront) and later requests stream it; the API row stream filters the Parquet through DuckDB on every request. Every request opens its own in-memory DuckDB over the version's Parquet (~40 ms); pages are rendered per request (no cache in front, unlike CloudFront in AWS).

${table}`,
);
console.log(table);
process.exit(0);
