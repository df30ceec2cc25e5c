// The NPMRDS version a PM3 or congestion run reads for one year: its TMC table (registered) and
// the local paths of the year's readings and epoch-series partitions, by input name.
import { getManifest, getVersion } from '../../catalog/catalog';
import type { InputRef } from '../../compute/run-support';
import type { Ctx } from '../../context';
import type { Db } from '../../engine/duckdb';
import { registerInput } from '../../engine/runner';

export interface NpmrdsInputs {
  refs: InputRef[];
  /** Local Parquet paths of the year's readings. */
  readings: string[];
  /** Local Parquet paths of the year's epoch series (int_npmrds__epochs), or null for versions ingested before it. */
  epochs: string[] | null;
}

/**
 * Each NPMRDS ingest is a version; a year ingested on its own stays usable after a later year's
 * ingest, so the newest version that holds the year is used (and named in the lineage). A fan-out
 * pins the version its plan chose (`pinned`) so every shard reads the same one.
 */
export async function useNpmrds(ctx: Ctx, db: Db, year: number, pinned?: string): Promise<NpmrdsInputs> {
  const manifest = await getManifest(ctx.storage, 'npmrds');
  if (!manifest?.current_version)
    throw new Error('no NPMRDS data yet: corridor ingest <export.zip> --dataset npmrds');
  const seen = new Set<string>();
  const versions = pinned
    ? [pinned]
    : [
        manifest.current_version,
        ...manifest.versions
          .map((v) => v.version)
          .sort()
          .reverse(),
      ];
  const inYear = (files: string[] | undefined) => files?.filter((k) => k.includes(`/year=${year}/`)) ?? [];
  for (const id of versions) {
    const v = await getVersion(ctx.storage, 'npmrds', id);
    if (!v) continue;
    const readings = v.tables.find((t) => t.name === 'readings');
    for (const k of readings?.files ?? []) {
      const y = /\/year=(\d+)\//.exec(k)?.[1];
      if (y) seen.add(y);
    }
    const keys = inYear(readings?.files);
    if (keys.length === 0) continue;
    const tmc = v.tables.find((t) => t.name === 'tmc_identification');
    if (!tmc) continue;
    await registerInput(db, 'npmrds__tmc_identification', {
      kind: 'parquet',
      files: await Promise.all(tmc.files.map((k) => ctx.storage.localPath(k))),
    });
    const local = (ks: string[]) => Promise.all(ks.map((k) => ctx.storage.localPath(k)));
    const epochTable = v.tables.find((t) => t.name === 'epochs');
    return {
      refs: [{ dataset_id: 'npmrds', version: v.version, content_hash: v.content_hash }],
      readings: await local(keys),
      epochs: epochTable ? await local(inYear(epochTable.files)) : null,
    };
  }
  if (pinned) throw new Error(`NPMRDS version ${pinned} has no readings for ${year}`);
  throw new Error(
    `no NPMRDS version has readings for ${year} (years present: ${[...seen].sort().join(', ') || 'none'})`,
  );
}
