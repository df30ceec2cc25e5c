// The NPMRDS version a PM3 or congestion run reads for one year: its TMC table (registered) and
// the local paths of the year's readings and epoch-series partitions, by input name.
import { getManifest, getVersion } from '../../catalog/catalog';
import type { InputRef } from '../../compute/run-support';
import type { Ctx } from '../../context';
import type { Db } from '../../engine/duckdb';
import { registerInput } from '../../engine/runner';

export interface NpmrdsYear {
  ref: InputRef;
  /** Storage keys of the TMC table and of the year's readings and epoch series (null: a version ingested before it). */
  tmcKeys: string[];
  readingsKeys: string[];
  epochsKeys: string[] | null;
}

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
 * pins the version its plan chose (`pinned`) so every shard reads the same one. Keys only: nothing
 * is downloaded, so a fan-out plan stays small.
 */
export async function findNpmrdsYear(ctx: Ctx, year: number, pinned?: string): Promise<NpmrdsYear> {
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
    const epochs = v.tables.find((t) => t.name === 'epochs');
    return {
      ref: { dataset_id: 'npmrds', version: v.version, content_hash: v.content_hash },
      tmcKeys: tmc.files,
      readingsKeys: keys,
      epochsKeys: epochs ? inYear(epochs.files) : null,
    };
  }
  if (pinned) throw new Error(`NPMRDS version ${pinned} has no readings for ${year}`);
  throw new Error(
    `no NPMRDS version has readings for ${year} (years present: ${[...seen].sort().join(', ') || 'none'})`,
  );
}

/** Registers the version's TMC table as npmrds__tmc_identification. */
export async function registerNpmrdsTmc(ctx: Ctx, db: Db, y: NpmrdsYear) {
  await registerInput(db, 'npmrds__tmc_identification', {
    kind: 'parquet',
    files: await Promise.all(y.tmcKeys.map((k) => ctx.storage.localPath(k))),
  });
}

/** The year's NPMRDS: the TMC table registered, the readings and epoch series as local paths. */
export async function useNpmrds(ctx: Ctx, db: Db, year: number, pinned?: string): Promise<NpmrdsInputs> {
  const y = await findNpmrdsYear(ctx, year, pinned);
  await registerNpmrdsTmc(ctx, db, y);
  const local = (ks: string[]) => Promise.all(ks.map((k) => ctx.storage.localPath(k)));
  return {
    refs: [y.ref],
    readings: await local(y.readingsKeys),
    epochs: y.epochsKeys ? await local(y.epochsKeys) : null,
  };
}

/**
 * The local files a shard task needs: only its shards' partitions are fetched (the S3 adapter
 * downloads on localPath), the epoch series where the version has it, else the readings.
 */
export async function useNpmrdsShards(
  ctx: Ctx,
  db: Db,
  y: NpmrdsYear,
  shards: number[],
): Promise<Record<string, string[]>> {
  await registerNpmrdsTmc(ctx, db, y);
  const mine = (ks: string[]) =>
    Promise.all(
      ks
        .filter((k) => shards.includes(Number(/\/shard=(\d+)\//.exec(k)?.[1] ?? -1)))
        .map((k) => ctx.storage.localPath(k)),
    );
  return y.epochsKeys?.length
    ? { int_npmrds__epochs: await mine(y.epochsKeys) }
    : { npmrds__readings: await mine(y.readingsKeys) };
}
