// Runs the queries that read the readings (or the epoch series built from them at ingest, which
// is partitioned the same way) one group of TMC shards at a time and appends their
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
  /** Input name → the Parquet files of this group's shards (e.g. npmrds__readings, int_npmrds__epochs). */
  inputs: Record<string, string[]>;
  /** The shards whose TMCs this group answers for (null: files not partitioned by shard). */
  shards: number[] | null;
}

const shardOf = (f: string) => {
  const m = /[\\/]shard=(\d+)[\\/]/.exec(f);
  return m ? Number(m[1]) : null;
};

/**
 * Files grouped so each group holds about maxBytes of Parquet (whole shards only; the bytes of
 * every input count). With `only`, just those shards' files, and the group(s) answer for exactly
 * those shards (a fan-out task).
 */
export async function shardGroups(
  inputs: Record<string, string[]>,
  maxBytes = 160 * 1024 ** 2,
  only?: number[],
): Promise<ShardGroup[]> {
  const byShard = new Map<number, { inputs: Record<string, string[]>; bytes: number }>();
  const all = Object.values(inputs).flat();
  if (all.some((f) => shardOf(f) === null)) {
    if (only) throw new Error('these readings are not partitioned by shard: compute them in one run');
    return [{ inputs, shards: null }];
  }
  for (const [name, files] of Object.entries(inputs)) {
    for (const f of files) {
      const shard = shardOf(f)!;
      if (only && !only.includes(shard)) continue;
      const e = byShard.get(shard) ?? { inputs: {}, bytes: 0 };
      e.inputs[name] = [...(e.inputs[name] ?? []), f];
      e.bytes += (await stat(f)).size;
      byShard.set(shard, e);
    }
  }
  const groups: ShardGroup[] = [];
  let cur: ShardGroup = { inputs: {}, shards: [] };
  let bytes = 0;
  for (const [shard, e] of [...byShard.entries()].sort((a, b) => a[0] - b[0])) {
    if (cur.shards!.length && bytes + e.bytes > maxBytes) {
      groups.push(cur);
      cur = { inputs: {}, shards: [] };
      bytes = 0;
    }
    for (const [name, files] of Object.entries(e.inputs))
      cur.inputs[name] = [...(cur.inputs[name] ?? []), ...files];
    cur.shards!.push(shard);
    bytes += e.bytes;
  }
  if (cur.shards!.length) groups.push(cur);
  // TMCs of shards with no readings at all still get their (empty) rows, from the last group.
  const last = groups.at(-1);
  const wanted = only ?? [...Array(SHARDS).keys()];
  if (last?.shards) for (const s of wanted) if (!byShard.has(s)) last.shards.push(s);
  if (only && groups.length === 0)
    throw new Error(`shard(s) ${only.join(', ')} have no readings for the year`);
  return groups;
}

export async function runPerShardGroup(
  db: Db,
  opts: {
    groups: ShardGroup[];
    targets: string[];
    params: Record<string, unknown>;
    onGroup?: (i: number, n: number) => void;
  },
): Promise<{ ran: QueryFile[]; rest: Map<string, QueryFile> }> {
  const ran = new Map<string, QueryFile>();
  // An input given as files is not recomputed: int_npmrds__epochs published at ingest replaces
  // the query that would build it from the readings.
  const given = new Set(opts.groups.flatMap((g) => Object.keys(g.inputs)));
  const queries = new Map([...allQueries()].filter(([name]) => !given.has(name)));
  for (const [i, group] of opts.groups.entries()) {
    opts.onGroup?.(i, opts.groups.length);
    for (const name of given) {
      const files = group.inputs[name];
      if (files?.length) await registerInput(db, name, { kind: 'parquet', files });
      else {
        // Shards with passenger readings only have readings but no epochs: an empty view of the
        // same shape keeps the queries' inputs present.
        const shape = opts.groups.find((g) => g.inputs[name]?.length)!.inputs[name]!;
        await registerInput(db, `${name}__shape`, { kind: 'parquet', files: shape.slice(0, 1) });
        await db.run(`create or replace view ${name} as select * from ${name}__shape where false`);
      }
    }
    const r = await runQueries(db, { targets: opts.targets, params: opts.params, queries });
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
  const rest = new Map([...queries].filter(([name]) => !opts.targets.includes(name)));
  return { ran: [...ran.values()], rest };
}

/** `--shard-group-mb N`: Parquet per group (memory against passes); default 160 MB. */
export function groupBytes(flags: Record<string, string | boolean>) {
  const mb = Number(flags['shard-group-mb'] ?? 160);
  return (Number.isFinite(mb) && mb > 0 ? mb : 160) * 1024 ** 2;
}
