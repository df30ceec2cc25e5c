// Runs the queries that read the readings one group of TMC shards at a time and appends their
// outputs, so a region of thousands of TMCs never holds a year of epochs in one hash table
// (ARCHITECTURE.md "Scale": the per-shard task). Every such query is per TMC and a TMC lives in
// exactly one shard (hash(tmc_code) % 16, as stg_npmrds__readings assigns it), so keeping each
// group's rows for its own shards makes the union equal one run over everything.
import { stat } from 'node:fs/promises';
import type { Db } from '../../engine/duckdb';
import type { QueryFile } from '../../engine/query-file';
import { allQueries, registerInput, runQueries } from '../../engine/runner';

export const SHARDS = 16;

export interface ShardGroup {
  files: string[];
  /** The shards whose TMCs this group answers for (null: files not partitioned by shard). */
  shards: number[] | null;
}

/** Files grouped so each group holds about maxBytes of Parquet (whole shards only). */
export async function shardGroups(files: string[], maxBytes = 160 * 1024 ** 2): Promise<ShardGroup[]> {
  const byShard = new Map<number, { files: string[]; bytes: number }>();
  const unsharded: string[] = [];
  for (const f of files) {
    const m = /[\\/]shard=(\d+)[\\/]/.exec(f);
    if (!m) {
      unsharded.push(f);
      continue;
    }
    const e = byShard.get(Number(m[1])) ?? { files: [], bytes: 0 };
    e.files.push(f);
    e.bytes += (await stat(f)).size;
    byShard.set(Number(m[1]), e);
  }
  if (unsharded.length) return [{ files: files, shards: null }];
  const groups: ShardGroup[] = [];
  let cur: ShardGroup = { files: [], shards: [] };
  let bytes = 0;
  for (const [shard, e] of [...byShard.entries()].sort((a, b) => a[0] - b[0])) {
    if (cur.files.length && bytes + e.bytes > maxBytes) {
      groups.push(cur);
      cur = { files: [], shards: [] };
      bytes = 0;
    }
    cur.files.push(...e.files);
    cur.shards!.push(shard);
    bytes += e.bytes;
  }
  if (cur.files.length) groups.push(cur);
  // TMCs of shards with no readings at all still get their (empty) rows, from the last group.
  const last = groups.at(-1);
  if (last?.shards) for (let s = 0; s < SHARDS; s++) if (!byShard.has(s)) last.shards.push(s);
  return groups;
}

export async function runPerShardGroup(
  db: Db,
  opts: {
    readings: ShardGroup[];
    targets: string[];
    params: Record<string, unknown>;
    onGroup?: (i: number, n: number) => void;
  },
): Promise<{ ran: QueryFile[]; rest: Map<string, QueryFile> }> {
  const ran = new Map<string, QueryFile>();
  for (const [i, group] of opts.readings.entries()) {
    opts.onGroup?.(i, opts.readings.length);
    await registerInput(db, 'npmrds__readings', { kind: 'parquet', files: group.files });
    const r = await runQueries(db, { targets: opts.targets, params: opts.params });
    for (const q of r.ran) ran.set(q.name, q);
    const mine = group.shards ? ` where (hash(tmc_code) % ${SHARDS}) in (${group.shards.join(', ')})` : '';
    for (const t of opts.targets) {
      if (i === 0) await db.run(`create or replace table __acc_${t} as select * from ${t}${mine}`);
      else await db.run(`insert into __acc_${t} select * from ${t}${mine}`);
    }
  }
  for (const t of opts.targets) {
    await db.run(`drop table if exists ${t}`);
    await db.run(`alter table __acc_${t} rename to ${t}`);
  }
  const rest = new Map([...allQueries()].filter(([name]) => !opts.targets.includes(name)));
  return { ran: [...ran.values()], rest };
}

/** `--shard-group-mb N`: Parquet per group (memory against passes); default 160 MB. */
export function groupBytes(flags: Record<string, string | boolean>) {
  const mb = Number(flags['shard-group-mb'] ?? 160);
  return (Number.isFinite(mb) && mb > 0 ? mb : 160) * 1024 ** 2;
}
