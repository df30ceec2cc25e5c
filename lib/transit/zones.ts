// Zones for coverage and accessibility: block groups or TAZs as points (centroid lon/lat) with
// population, jobs and an optional equity flag. Given either as a CSV file (--zones path.csv) or
// as an ingested zones dataset (--zones <name> → zones.<name>). Registered as the view `zones`.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { getVersion } from '../catalog/catalog';
import type { InputRef } from '../compute/run-support';
import type { Ctx } from '../context';
import { type Db, ident, queryRows } from '../engine/duckdb';
import { registerInput } from '../engine/runner';

export const ZONE_COLUMNS = ['zone_id', 'lon', 'lat', 'population', 'jobs'] as const;

export async function useZones(
  ctx: Ctx,
  db: Db,
  flag: string | boolean,
): Promise<{ refs: InputRef[]; source: string }> {
  if (typeof flag !== 'string') throw new Error('--zones needs a CSV file or a zones dataset name');
  if (existsSync(flag)) {
    const path = resolve(flag);
    await db.run(
      `create or replace table zones_file as select * from read_csv($p, header = true, auto_detect = true, all_varchar = true, delim = ',', quote = '"')`,
      { p: path } as never,
    );
    const cols = (await queryRows<{ column_name: string }>(db, 'describe zones_file')).map(
      (c) => c.column_name,
    );
    const missing = ZONE_COLUMNS.filter((c) => !cols.includes(c));
    if (missing.length)
      throw new Error(
        `${flag}: the zones file lacks column(s) ${missing.join(', ')} (needs zone_id, lon, lat, population, jobs[, equity_area])`,
      );
    const equity = cols.includes('equity_area') ? `try_cast(equity_area as boolean)` : 'null::boolean';
    // other columns ride along (as numbers where they are numbers) so any opportunity can be counted
    const known = new Set<string>(['zone_id', 'lon', 'lat', 'population', 'jobs', 'equity_area']);
    const others = cols
      .filter((c) => !known.has(c))
      .map((c) => `, try_cast(${ident(c)} as double) as ${ident(c)}`)
      .join('');
    await db.run(
      `create or replace table zones_typed as select zone_id, lon::double as lon, lat::double as lat,
         coalesce(try_cast(population as double), 0) as population, coalesce(try_cast(jobs as double), 0) as jobs, ${equity} as equity_area${others}
       from zones_file where zone_id is not null and try_cast(lon as double) is not null and try_cast(lat as double) is not null`,
    );
    await registerInput(db, 'zones', { kind: 'table', table: 'zones_typed' });
    return { refs: [], source: path };
  }
  const id = flag.startsWith('zones.') ? flag : `zones.${flag}`;
  const v = await getVersion(ctx.storage, id);
  if (!v)
    throw new Error(
      `--zones ${flag}: no such file, and no dataset ${id} in the catalog (ingest it with --dataset zones --name ${id.slice(6)})`,
    );
  const t = v.tables.find((x) => x.name === 'zones');
  if (!t) throw new Error(`${id} has no zones table`);
  await registerInput(db, 'zones', {
    kind: 'parquet',
    files: await Promise.all(t.files.map((k) => ctx.storage.localPath(k))),
  });
  return { refs: [{ dataset_id: id, version: v.version, content_hash: v.content_hash }], source: id };
}
