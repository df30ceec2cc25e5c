// The GTFS feeds a transit computation reads: the current version of each gtfs.<feed> dataset,
// its tables registered as views gtfs_<table> over the union of the feeds' Parquet (every table
// carries feed_id, so several agencies' feeds combine without id clashes).
import { getVersion } from '../catalog/catalog';
import type { InputRef } from '../compute/run-support';
import type { Ctx } from '../context';
import type { Db } from '../engine/duckdb';
import { registerInput } from '../engine/runner';
import { GTFS_FILES } from './gtfs-spec';

export function feedNames(flag: string | boolean | undefined): string[] {
  const names =
    typeof flag === 'string'
      ? flag
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [];
  if (!names.length)
    throw new Error(
      'give the feed(s) with --feed <name>[,<name>…] (as ingested with --dataset gtfs --name <name>)',
    );
  return names;
}

export async function useFeeds(ctx: Ctx, db: Db, feeds: string[]): Promise<InputRef[]> {
  const refs: InputRef[] = [];
  const files = new Map<string, string[]>();
  for (const feed of feeds) {
    const id = `gtfs.${feed}`;
    const v = await getVersion(ctx.storage, id);
    if (!v)
      throw new Error(
        `feed ${feed} is not in the catalog: ingest it first (corridor ingest <feed.zip> --dataset gtfs --name ${feed})`,
      );
    refs.push({ dataset_id: id, version: v.version, content_hash: v.content_hash });
    for (const t of v.tables) {
      const local = await Promise.all(t.files.map((k) => ctx.storage.localPath(k)));
      files.set(t.name, [...(files.get(t.name) ?? []), ...local]);
    }
  }
  for (const spec of GTFS_FILES) {
    const f = files.get(spec.table);
    if (!f?.length) throw new Error(`feed version lacks table ${spec.table}; re-ingest the feed`);
    await registerInput(db, `gtfs_${spec.table}`, { kind: 'parquet', files: f });
  }
  return refs;
}
