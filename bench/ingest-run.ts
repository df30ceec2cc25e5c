// One measured run, in its own process (so peak memory is this run's alone):
//   node bin/run-ts.js bench/ingest-run.ts corridor|duckdb FILE
// Prints {"seconds":…, "max_rss_mb":…, "rows":…} on stdout.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../lib/config';
import { silentLog } from '../lib/context';
import { acsB08301File } from '../lib/datasets/acs-b08301';
import { createDb, queryRows } from '../lib/engine/duckdb';
import { ingest } from '../lib/ingest/ingest';
import { FsStorage } from '../lib/storage/fs-storage';

const [mode, file] = process.argv.slice(2);
if (!file || (mode !== 'corridor' && mode !== 'duckdb'))
  throw new Error('usage: ingest-run.ts corridor|duckdb FILE');
const root = mkdtempSync(join(tmpdir(), 'bench-ingest-'));
const config = loadConfig(
  {},
  { dataDir: join(root, 'store'), scratchDir: join(root, 'scratch'), interactive: false },
);
const t0 = process.hrtime.bigint();
let rows = 0;
if (mode === 'corridor') {
  const ctx = {
    config,
    storage: new FsStorage(config.dataDir),
    log: silentLog,
    progress: { update() {}, done() {} },
    clock: () => new Date(),
    db: () => createDb(config),
  };
  const out = await ingest(ctx, [file], { dataset: 'acs_b08301' });
  if (out.status !== 'published') throw new Error(JSON.stringify(out.issues.slice(0, 5)));
  rows = out.rowsPublished;
} else {
  // The floor: DuckDB reading the same file with the same explicit types straight to Parquet.
  const db = await createDb(config);
  const header = acsB08301File.columns.map((c) => c.name);
  const all = [
    'GEO_ID',
    'NAME',
    ...Array.from({ length: 21 }, (_, i) => String(i + 1).padStart(3, '0')).flatMap((c) => [
      `B08301_${c}E`,
      `B08301_${c}M`,
    ]),
    'c_trailing',
  ];
  const types = `{${all.map((n) => `'${n}': '${n === 'GEO_ID' || n === 'NAME' || n === 'c_trailing' ? 'VARCHAR' : header.includes(n) ? 'INTEGER' : 'VARCHAR'}'`).join(', ')}}`;
  await db.run(
    `copy (select * exclude (c_trailing) from read_csv($f, header = false, skip = 2, auto_detect = false, columns = ${types}, nullstr = ['', 'null']))
     to $out (format parquet, compression zstd)`,
    { f: file, out: join(root, 'floor.parquet') },
  );
  rows = (
    await queryRows<{ n: number }>(db, 'select count(*)::bigint n from read_parquet($p)', {
      p: join(root, 'floor.parquet'),
    })
  )[0]!.n;
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
rmSync(root, { recursive: true, force: true });
console.log(JSON.stringify({ seconds, max_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024), rows }));
