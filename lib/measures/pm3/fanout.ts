// PM3 past one machine (ARCHITECTURE.md "Scale"; cdk/constructs/shard-fanout.ts): a plan writes
// one compute event per group of TMC shards to tmp/fanout/<run>/tasks.jsonl; each task computes
// the per-TMC tables of its shards and writes them under tmp/fanout/<run>/shard=<K>/; the reduce
// reads them back and finishes the run exactly as the one-machine path does. Every per-TMC query
// is per TMC and a TMC lives in one shard, so the union of the shard outputs is the one-machine
// table (the same argument as sharded.ts, across processes instead of groups).
//
// On AWS the plan's tasks.jsonl landing under tmp/fanout/pm3-* starts the state machine
// (cdk/stacks/pipeline-stack.ts); locally `--fanout local` runs the same tasks in-process.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { listValue } from '@duckdb/node-api';
import { newVersionId } from '../../catalog/catalog';
import type { InputRef } from '../../compute/run-support';
import type { Ctx } from '../../context';
import type { Db } from '../../engine/duckdb';
import type { QueryFile } from '../../engine/query-file';
import { allQueries, materialise } from '../../engine/runner';
import { findNpmrdsYear } from './npmrds-inputs';
import { SHARDS } from './sharded';

export const FANOUT_PREFIX = 'tmp/fanout/';

/** The per-TMC tables a shard task computes (everything that reads the readings). */
export const PER_TMC_TARGETS = ['pm3_tmc_periods', 'int_pm3__volume_profiles', 'pm3_tmc_phed'];

/** One line of tasks.jsonl: the compute event the state machine passes to the compute function. */
export interface FanoutTask {
  family: 'pm3';
  year: number;
  flags: Record<string, string>;
}

/** What a shard task leaves beside its tables (shard=<K>/done.json), for the reduce to check. */
export interface ShardDone {
  run: string;
  year: number;
  shards: number[];
  params: Record<string, unknown>;
  inputs: InputRef[];
  queries: string[];
  /** Table name → storage key of its Parquet. */
  tables: Record<string, string>;
}

export const runPrefix = (run: string) => `${FANOUT_PREFIX}${run}/`;
export const manifestKey = (run: string) => `${runPrefix(run)}tasks.jsonl`;

/** A run id that sorts by time and names its family (the AWS trigger matches tmp/fanout/pm3-*). */
export function newRunId(year: number, now = new Date()) {
  return `pm3-${year}-${newVersionId(now).toLowerCase()}`;
}

export function checkRunId(run: string) {
  if (!/^pm3-\d{4}-[a-z0-9-]+$/.test(run)) throw new Error(`not a PM3 fan-out run id: ${run}`);
  return run;
}

/** "3" or "14,15" → [3] or [14, 15]. */
export function parseShards(flag: string | boolean | undefined): number[] {
  const shards = String(flag ?? '')
    .split(',')
    .filter((s) => s.trim() !== '')
    .map(Number);
  if (shards.length === 0 || shards.some((s) => !Number.isInteger(s) || s < 0 || s >= SHARDS))
    throw new Error(`--shard must be shard numbers 0-${SHARDS - 1}, comma-separated (got ${flag})`);
  return shards;
}

/**
 * Writes tasks.jsonl: one task per shard that has readings for the year; the shards without any
 * ride with the last task (their TMCs still get rows, as in sharded.ts). The NPMRDS version is
 * pinned so a later ingest cannot split the run across versions. Reads catalog keys only.
 */
export async function planFanout(
  ctx: Ctx,
  opts: { year: number; flags: Record<string, string | boolean>; run?: string },
): Promise<{ run: string; manifestKey: string; tasks: FanoutTask[] }> {
  const run = checkRunId(opts.run ?? newRunId(opts.year, ctx.clock()));
  const y = await findNpmrdsYear(ctx, opts.year);
  const keys = y.epochsKeys?.length ? y.epochsKeys : y.readingsKeys;
  const present = [...new Set(keys.map((k) => Number(/\/shard=(\d+)\//.exec(k)?.[1] ?? -1)))].sort(
    (a, b) => a - b,
  );
  if (present.length === 0 || present[0]! < 0)
    throw new Error('these NPMRDS readings are not partitioned by shard: compute them in one run');
  const groups = present.map((s) => [s]);
  for (let s = 0; s < SHARDS; s++) if (!present.includes(s)) groups.at(-1)!.push(s);
  // Only the options the shard queries read travel with the tasks; --areas is the reduce's.
  const pass: Record<string, string> = {};
  for (const k of ['peak-pm', 'shard-group-mb'])
    if (typeof opts.flags[k] === 'string') pass[k] = opts.flags[k];
  const tasks: FanoutTask[] = groups.map((g) => ({
    family: 'pm3',
    year: opts.year,
    flags: { ...pass, shard: g.join(','), run, 'npmrds-version': y.ref.version },
  }));
  const key = manifestKey(run);
  await ctx.storage.put(key, `${tasks.map((t) => JSON.stringify(t)).join('\n')}\n`, {
    contentType: 'application/x-ndjson',
    ifNoneMatch: '*',
  });
  return { run, manifestKey: key, tasks };
}

/** Writes a shard task's per-TMC tables and its done.json under tmp/fanout/<run>/shard=<K>/. */
export async function writeShardOutputs(
  ctx: Ctx,
  db: Db,
  done: Omit<ShardDone, 'tables'>,
  scratch: string,
): Promise<string[]> {
  const prefix = `${runPrefix(done.run)}shard=${done.shards[0]}/`;
  await mkdir(scratch, { recursive: true });
  const tables: Record<string, string> = {};
  for (const t of PER_TMC_TARGETS) {
    const local = await materialise(db, t, join(scratch, `${t}.parquet`), 'parquet');
    tables[t] = `${prefix}${t}.parquet`;
    await ctx.storage.putFile(tables[t], local);
  }
  // Written last: a shard counts as done only once its tables are all there.
  const doneKey = `${prefix}done.json`;
  await ctx.storage.put(doneKey, JSON.stringify({ ...done, tables } satisfies ShardDone), {
    contentType: 'application/json',
  });
  return [...Object.values(tables), doneKey];
}

/**
 * The run a Distributed Map results manifest belongs to. ResultWriter writes manifest.json
 * (ResultFiles.SUCCEEDED/FAILED/PENDING → keys of JSON arrays of child executions, each with its
 * Input as a JSON string); every Input is one of our tasks and names its run.
 */
export async function runOfMapResults(ctx: Ctx, key: string): Promise<string> {
  const manifest = await getJsonObject<{
    ResultFiles?: Record<string, { Key: string }[]>;
  }>(ctx, key);
  const failed = [...(manifest.ResultFiles?.FAILED ?? []), ...(manifest.ResultFiles?.PENDING ?? [])];
  if (failed.length)
    throw new Error(
      `the fan-out has failed or unfinished shard tasks (${failed.map((f) => f.Key).join(', ')})`,
    );
  const runs = new Set<string>();
  for (const f of manifest.ResultFiles?.SUCCEEDED ?? []) {
    for (const item of await getJsonObject<{ Input: string }[]>(ctx, f.Key)) {
      const input = JSON.parse(item.Input) as FanoutTask;
      runs.add(checkRunId(String(input.flags?.run)));
    }
  }
  if (runs.size !== 1) throw new Error(`map results ${key} name ${runs.size} fan-out runs, expected one`);
  return [...runs][0]!;
}

/**
 * Loads every shard's per-TMC tables into `db` (in shard order) after checking the shards cover
 * 0-15 exactly once with the same year, options and input versions. Returns what the finish
 * needs to publish the run as the one-machine path would.
 */
export async function loadShardOutputs(
  ctx: Ctx,
  db: Db,
  run: string,
): Promise<{ year: number; params: Record<string, unknown>; inputs: InputRef[]; ran: QueryFile[] }> {
  const listed = await ctx.storage.list(runPrefix(checkRunId(run)));
  const doneKeys = listed.objects.map((o) => o.key).filter((k) => /\/shard=\d+\/done\.json$/.test(k));
  const dones: ShardDone[] = [];
  for (const k of doneKeys) dones.push(await getJsonObject<ShardDone>(ctx, k));
  dones.sort((a, b) => a.shards[0]! - b.shards[0]!);
  const covered = dones.flatMap((d) => d.shards).sort((a, b) => a - b);
  const all = [...Array(SHARDS).keys()];
  if (JSON.stringify(covered) !== JSON.stringify(all))
    throw new Error(
      `fan-out ${run}: shard outputs cover [${covered.join(', ')}], not every shard 0-${SHARDS - 1} once`,
    );
  const first = dones[0]!;
  const same = (d: ShardDone) =>
    d.year === first.year &&
    JSON.stringify(d.params) === JSON.stringify(first.params) &&
    JSON.stringify(d.inputs) === JSON.stringify(first.inputs);
  const odd = dones.find((d) => !same(d));
  if (odd)
    throw new Error(
      `fan-out ${run}: shard ${odd.shards[0]} ran with other options or input versions than shard ${first.shards[0]}`,
    );
  for (const t of PER_TMC_TARGETS) {
    const files = await Promise.all(dones.map((d) => ctx.storage.localPath(d.tables[t]!)));
    await db.run(`set variable __fanout_files = $files::varchar[]`, { files: listValue(files) } as never);
    // hive_partitioning off: the shard=<K>/ folder is not a column of these tables.
    await db.run(
      `create or replace table ${t} as select * from read_parquet(getvariable('__fanout_files'), hive_partitioning = false)`,
    );
  }
  const queries = allQueries();
  const names = [...new Set(dones.flatMap((d) => d.queries))];
  const ran = names.map((n) => {
    const q = queries.get(n);
    if (!q) throw new Error(`fan-out ${run}: shard ran query ${n}, which this code version lacks`);
    return q;
  });
  return { year: first.year, params: first.params, inputs: first.inputs, ran };
}

async function getJsonObject<T>(ctx: Ctx, key: string): Promise<T> {
  const got = await ctx.storage.get(key);
  if (!got) throw new Error(`no object ${key}`);
  return JSON.parse(got.body.toString('utf8')) as T;
}
