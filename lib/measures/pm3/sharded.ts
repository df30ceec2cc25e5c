// Runs the queries that read the readings one group of TMC shards at a time and appends their
// outputs, so a region of thousands of TMCs never holds a year of epochs in one hash table
// (ARCHITECTURE.md "Scale": the per-shard task). Every such query is per TMC, and a TMC lives in
// exactly one shard, so the union over groups equals one run over everything.
import { stat } from 'node:fs/promises';
import type { Db } from '../../engine/duckdb';
import type { QueryFile } from '../../engine/query-file';
import { allQueries, registerInput, runQueries } from '../../engine/runner';

/** Files grouped so each group holds about maxBytes of Parquet (whole shards only). */
export async function shardGroups(files: string[], maxBytes = 384 * 1024 ** 2): Promise<string[][]> {
  const byShard = new Map<string, { files: string[]; bytes: number }>();
  for (const f of files) {
    const shard = /[\\/]shard=(\d+)[\\/]/.exec(f)?.[1] ?? 'all';
    const e = byShard.get(shard) ?? { files: [], bytes: 0 };
    e.files.push(f);
    e.bytes += (await stat(f)).size;
    byShard.set(shard, e);
  }
  const groups: string[][] = [];
  let cur: string[] = [];
  let bytes = 0;
  for (const e of byShard.values()) {
    if (cur.length && bytes + e.bytes > maxBytes) {
      groups.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(...e.files);
    bytes += e.bytes;
  }
  if (cur.length) groups.push(cur);
  return groups;
}

export async function runPerShardGroup(
  db: Db,
  opts: {
    readings: string[][];
    targets: string[];
    params: Record<string, unknown>;
    onGroup?: (i: number, n: number) => void;
  },
): Promise<{ ran: QueryFile[]; rest: Map<string, QueryFile> }> {
  const ran = new Map<string, QueryFile>();
  for (const [i, files] of opts.readings.entries()) {
    opts.onGroup?.(i, opts.readings.length);
    await registerInput(db, 'npmrds__readings', { kind: 'parquet', files });
    const r = await runQueries(db, { targets: opts.targets, params: opts.params });
    for (const q of r.ran) ran.set(q.name, q);
    for (const t of opts.targets) {
      if (i === 0) await db.run(`create or replace table __acc_${t} as select * from ${t}`);
      else await db.run(`insert into __acc_${t} select * from ${t}`);
    }
  }
  for (const t of opts.targets) {
    await db.run(`drop table if exists ${t}`);
    await db.run(`alter table __acc_${t} rename to ${t}`);
  }
  const rest = new Map([...allQueries()].filter(([name]) => !opts.targets.includes(name)));
  return { ran: [...ran.values()], rest };
}
