// Transit benchmark: GTFS ingest rate, service-measure time and accessibility time per origin over
// a 2-hour window (1,000 zones), with peak memory, on the largest shared feed (Seattle area, 57k
// stop_times) and on a generated larger regional feed. Each step runs as its own `corridor`
// process under /usr/bin/time (wall seconds, peak RSS). Writes the "## Transit" section.
//   node bin/run-ts.js bench/transit.ts
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateGtfsDemo } from '../lib/demo/gtfs';
import { machineLine, writeSection } from './results-md';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = fileURLToPath(new URL('./out/transit/', import.meta.url));
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const env = { ...process.env, CORRIDOR_DATA_DIR: join(OUT, 'store'), CI: '1' };

function corridor(args: string[]) {
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', '%e %M', process.execPath, join(ROOT, 'bin/corridor.js'), ...args],
    { env, encoding: 'utf8', cwd: ROOT },
  );
  const last = r.stderr.trim().split('\n').at(-1) ?? '';
  const [secs, kb] = last.split(' ').map(Number);
  if (r.status !== 0) throw new Error(`corridor ${args.join(' ')} failed:\n${r.stderr}`);
  return { secs: secs!, mb: kb! / 1024 };
}

/** 1,000 zones near the feed's stops (deterministic), with made-up population and jobs. */
function zonesNearStops(stopsCsv: string, file: string, n = 1000) {
  const q = spawnSync(
    process.execPath,
    [
      '-e',
      `const {DuckDBInstance}=require('@duckdb/node-api');(async()=>{const c=await (await DuckDBInstance.create()).connect();const r=await c.runAndReadAll("select stop_lat, stop_lon from read_csv('${stopsCsv}', header=true, all_varchar=true) where stop_lat is not null order by stop_id");console.log(JSON.stringify(r.getRows().map(x=>x.map(Number))))})()`,
    ],
    { encoding: 'utf8', cwd: ROOT },
  );
  const stops = JSON.parse(q.stdout) as [number, number][];
  const lines = ['zone_id,lon,lat,population,jobs,equity_area'];
  for (let k = 0; k < n; k++) {
    const [lat, lon] = stops[(k * 7919) % stops.length]!;
    const dLat = (((k * 37) % 11) - 5) * 0.0009;
    const dLon = (((k * 53) % 13) - 6) * 0.0012;
    lines.push(
      `Z${k},${(lon + dLon).toFixed(6)},${(lat + dLat).toFixed(6)},${1000 + ((k * 97) % 1500)},${100 + ((k * 131) % 4000)},${k % 4 === 0 ? 1 : 0}`,
    );
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}

interface Row {
  feed: string;
  stopTimes: number;
  ingest: { secs: number; mb: number };
  service: { secs: number; mb: number };
  access: { secs: number; mb: number };
  zones: number;
  trips: number;
  stops: number;
}

function run(name: string, zip: string, stopTimes: number, stopsCsv: string, date: string): Row {
  const ingest = corridor(['ingest', zip, '--dataset', 'gtfs', '--name', name]);
  const service = corridor([
    'compute',
    'transit',
    '--feed',
    name,
    '--date',
    date,
    '--out',
    join(OUT, `${name}-service`),
  ]);
  const zonesCsv = join(OUT, `${name}-zones.csv`);
  zonesNearStops(stopsCsv, zonesCsv);
  const access = corridor([
    'compute',
    'accessibility',
    '--feed',
    name,
    '--zones',
    zonesCsv,
    '--date',
    date,
    '--window',
    '07:00-09:00',
    '--cutoffs',
    '30,45,60',
    '--out',
    join(OUT, `${name}-access`),
  ]);
  const summary = JSON.parse(readFileSync(join(OUT, `${name}-service`, 'transit_summary.json'), 'utf8'));
  return {
    feed: name,
    stopTimes,
    ingest,
    service,
    access,
    zones: 1000,
    trips: summary.trips,
    stops: summary.stops_served,
  };
}

function unzipOne(zip: string, file: string, dest: string) {
  mkdirSync(dest, { recursive: true });
  spawnSync('unzip', ['-o', '-q', zip, file, '-d', dest]);
  return join(dest, file);
}

const loadBefore = loadavg()[0]!;
const rows: Row[] = [];
const seattle = fileURLToPath(
  new URL(
    '../../shared/data/gtfs/seattle-area-2017-11-16/seattle-area-2017-11-16.repacked.zip',
    import.meta.url,
  ),
);
if (existsSync(seattle)) {
  rows.push(
    run('seattle', seattle, 57_205, unzipOne(seattle, 'stops.txt', join(OUT, 'seattle-txt')), '2017-11-22'),
  );
}
const big = await generateGtfsDemo(join(OUT, 'generated'), {
  radials: 48,
  crosstowns: 16,
  zoneGrid: 32,
  radiusKm: 20,
});
const bigStops = unzipOne(big.feedZip, 'stop_times.txt', join(OUT, 'generated-txt'));
const bigRows =
  Number(spawnSync('wc', ['-l', bigStops], { encoding: 'utf8' }).stdout.trim().split(' ')[0]) - 1;
rows.push(
  run(
    'generated',
    big.feedZip,
    bigRows,
    unzipOne(big.feedZip, 'stops.txt', join(OUT, 'generated-txt')),
    '2025-06-04',
  ),
);

const fmt = (n: number, d = 1) =>
  n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const table = [
  '| feed | stop_times rows | weekday trips | stops served | ingest s | ingest rows/s | ingest peak MB | service measures s | service peak MB | accessibility s (1,000 zones, 07:00–09:00) | ms per origin | accessibility peak MB |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.feed} | ${r.stopTimes.toLocaleString('en-US')} | ${r.trips.toLocaleString('en-US')} | ${r.stops.toLocaleString('en-US')} | ${fmt(r.ingest.secs)} | ${Math.round(r.stopTimes / r.ingest.secs).toLocaleString('en-US')} | ${fmt(r.ingest.mb, 0)} | ${fmt(r.service.secs)} | ${fmt(r.service.mb, 0)} | ${fmt(r.access.secs)} | ${fmt((1000 * r.access.secs) / r.zones, 0)} | ${fmt(r.access.mb, 0)} |`,
  ),
];
writeSection(
  'Transit',
  `Machine: ${machineLine()}; 1-minute load average ${loadBefore.toFixed(1)} at the start and ${loadavg()[0]!.toFixed(1)} at the end (other jobs share the 2 cores: compare rows, not runs). One run each (\`node bin/run-ts.js bench/transit.ts\`); every step is a separate \`corridor\` process timed by /usr/bin/time (wall clock incl. ~1 s of Node start-up; peak RSS).
Feeds: the largest shared feed (Seattle-area subset 2017, typical weekday 2017-11-22) and a generated regional feed (\`generateGtfsDemo\` with 48 radial + 16 crosstown routes, Wednesday 2025-06-04). Zones: 1,000 points near the feed's stops. Accessibility: one range-RAPTOR search per minute of 07:00–09:00 (120 departures) per origin, max 4 rides, 15 min walk, origins spread over worker threads (one per core); "ms per origin" = whole command ÷ 1,000 (includes loading the timetable).

${table.join('\n')}`,
);
console.log(table.join('\n'));
