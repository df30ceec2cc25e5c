// `corridor compute pm3`: LOTTR, TTTR and PHED per TMC, and the PM3 measures (% reliable
// person-miles on the Interstate and non-Interstate NHS, TTTR index, PHED per capita) for the
// region and its sub-areas, from NPMRDS or from a State's HPMS travel-time metric file.
//
// One machine: `corridor compute pm3 --year Y`. Fanned out by TMC shard (fanout.ts):
//   --fanout local | plan   plan the shard tasks; `local` also runs them and the reduce here
//   --shard K[,K] --run R   one task: the per-TMC tables of those shards, to tmp/fanout/R/
//   --fanout-run R          (or the state machine's map-results-key) reduce and publish
import { join } from 'node:path';
import type { ComputeFamily, ComputeOptions, ComputeResult } from '../../compute/families';
import { type InputRef, publishRun, useDataset } from '../../compute/run-support';
import type { Ctx } from '../../context';
import type { Db } from '../../engine/duckdb';
import type { QueryFile } from '../../engine/query-file';
import { allQueries, registerInput, runQueries } from '../../engine/runner';
import {
  checkRunId,
  type FanoutTask,
  loadShardOutputs,
  PER_TMC_TARGETS,
  parseShards,
  planFanout,
  runOfMapResults,
  writeShardOutputs,
} from './fanout';
import {
  REFERENCE_EDITIONS,
  registerAreaMembers,
  registerReferenceTables,
  useOptionalDataset,
} from './inputs';
import {
  findNpmrdsYear,
  type NpmrdsInputs,
  registerNpmrdsTmc,
  useNpmrds,
  useNpmrdsShards,
} from './npmrds-inputs';
import { groupBytes, runPerShardGroup, shardGroups } from './sharded';
import { pm3Summary } from './summary';

export const family: ComputeFamily = {
  name: 'pm3',
  title: 'PM3: travel time reliability, freight reliability and peak hour excessive delay',
  summary:
    'LOTTR, TTTR and PHED per TMC; % reliable person-miles (Interstate, non-Interstate NHS), TTTR index and PHED per capita',
  reference: '23 CFR 490 Subparts E, F, G; FHWA-HIF-18-040',
  async run(ctx, opts) {
    const f = opts.flags;
    if (f.shard !== undefined) return runShardTask(ctx, opts);
    if (typeof f['map-results-key'] === 'string')
      return reduce(ctx, opts, await runOfMapResults(ctx, f['map-results-key']));
    if (typeof f['fanout-run'] === 'string') return reduce(ctx, opts, checkRunId(f['fanout-run']));
    if (f.fanout !== undefined) return fanout(ctx, opts);
    const year = opts.year;
    if (!year) throw new Error('pm3 needs --year (the calendar year of the travel times)');
    const source = typeof f.source === 'string' ? f.source : 'npmrds';
    const peakPm = peakPmOf(f);
    const db = await ctx.db();
    await registerReferenceTables(db);
    const inputs: InputRef[] = [];
    const uza = await useUza(ctx, db);
    if (uza) inputs.push(uza);
    const ran: QueryFile[] = [];
    let segments: string;
    if (source === 'npmrds') {
      const npmrds = await useNpmrds(ctx, db, year);
      inputs.push(...npmrds.refs);
      const sl = await useSpeedLimits(ctx, db);
      if (sl) inputs.push(sl);
      const params = pm3Params(year, peakPm);
      const perShard = await runPerShardGroup(db, {
        groups: await shardGroups(pm3Readings(npmrds), groupBytes(f)),
        targets: PER_TMC_TARGETS,
        params,
        onGroup: (i, n) => ctx.progress.update('pm3: TMC shards', i, n, 'groups'),
      });
      ctx.progress.done();
      ran.push(...perShard.ran);
      segments = 'pm3_tmc';
    } else if (source === 'hpms') {
      inputs.push(
        await useDataset(
          ctx,
          db,
          'hpms_travel_time_metrics',
          'travel_time_metrics',
          'hpms__travel_time_metrics',
        ),
      );
      const r = await runQueries(db, { targets: ['stg_hpms__travel_time_metrics'], params: { year } });
      ran.push(...r.ran);
      segments = 'stg_hpms__travel_time_metrics';
    } else throw new Error(`--source must be npmrds or hpms (got ${source})`);
    return finish(ctx, db, { opts, year, source, peakPm, inputs, ran, segments });
  },
};

const peakPmOf = (flags: Record<string, string | boolean>) => {
  const peakPm = typeof flags['peak-pm'] === 'string' ? flags['peak-pm'] : '16-20';
  if (peakPm !== '15-19' && peakPm !== '16-20')
    throw new Error('--peak-pm must be 15-19 or 16-20 (23 CFR 490.705)');
  return peakPm;
};

const pm3Params = (year: number, peakPm: string) => ({ year, peak_pm_start: peakPm === '15-19' ? 15 : 16 });

const useUza = (ctx: Ctx, db: Db) =>
  useOptionalDataset(
    ctx,
    db,
    'urbanized_area_population',
    'urbanized_area_population',
    'urbanized_area_population',
    'select null::integer as urban_code, null::varchar as name, null::bigint as population, null::integer as year, null::double as bus_avo',
  );

const useSpeedLimits = (ctx: Ctx, db: Db) =>
  useOptionalDataset(
    ctx,
    db,
    'speed_limits',
    'speed_limits',
    'speed_limits',
    'select null::varchar as tmc_code, null::double as speed_limit',
  );

/**
 * From the per-TMC tables (or the HPMS segments) to the published run: pm3_tmc, the measures,
 * the summary and the lineage. The one-machine run and the fan-out reduce both end here.
 */
async function finish(
  ctx: Ctx,
  db: Db,
  run: {
    opts: ComputeOptions;
    year: number;
    source: string;
    peakPm: string;
    inputs: InputRef[];
    ran: QueryFile[];
    segments: string;
  },
): Promise<ComputeResult> {
  const { opts, year, source, peakPm, ran } = run;
  await registerAreaMembers(db, typeof opts.flags.areas === 'string' ? opts.flags.areas : undefined);
  if (run.segments === 'pm3_tmc') {
    const r = await runQueries(db, {
      targets: ['pm3_tmc'],
      params: pm3Params(year, peakPm),
      queries: withoutQueries(PER_TMC_TARGETS),
    });
    ran.push(...r.ran);
  }
  await registerInput(db, 'pm3_segments', { kind: 'table', table: run.segments });
  const r = await runQueries(db, { targets: ['pm3_measures', 'pm3_phed_per_capita'] });
  ran.push(...r.ran);
  if (run.segments !== 'pm3_tmc')
    await db.run(`create or replace table pm3_tmc as select * from ${run.segments}`);
  const summary = await pm3Summary(db, { year, source, peakPm });
  const outputs: { table: string; format: 'csv'; orderBy?: string[] }[] = [
    { table: 'pm3_tmc', format: 'csv', orderBy: ['tmc_code'] },
    { table: 'pm3_measures', format: 'csv', orderBy: ['area_type', 'area_id'] },
    { table: 'pm3_phed_per_capita', format: 'csv', orderBy: ['urban_code'] },
  ];
  if (source === 'npmrds')
    outputs.push({ table: 'pm3_tmc_periods', format: 'csv', orderBy: ['tmc_code', 'period'] });
  const { files, runId } = await publishRun(ctx, db, {
    family: 'pm3',
    key: `year=${year}`,
    out: opts.out ?? `out/pm3-${year}`,
    outputs,
    summary,
    ran,
    params: { year, source, peak_pm: peakPm, areas: opts.flags.areas ?? null },
    inputs: run.inputs,
    editions: REFERENCE_EDITIONS,
    notes: summary.notes as string[],
  });
  return { files, summary, runId };
}

/** The query set with the per-TMC queries taken out: their tables already exist. */
function withoutQueries(names: string[]) {
  return new Map([...allQueries()].filter(([n]) => !names.includes(n)));
}

/** One fan-out task: the per-TMC tables of its shards, written under tmp/fanout/<run>/shard=<K>/. */
async function runShardTask(ctx: Ctx, opts: ComputeOptions): Promise<ComputeResult> {
  const f = opts.flags;
  const year = opts.year;
  if (!year) throw new Error('a pm3 shard task needs --year');
  if (typeof f.run !== 'string')
    throw new Error('a pm3 shard task needs --run (from corridor compute pm3 --fanout plan)');
  const run = checkRunId(f.run);
  const shards = parseShards(f.shard);
  const peakPm = peakPmOf(f);
  const db = await ctx.db();
  await registerReferenceTables(db);
  // The same inputs, in the same order, as the one-machine run (they end up in the lineage).
  const inputs: InputRef[] = [];
  const uza = await useUza(ctx, db);
  if (uza) inputs.push(uza);
  const y = await findNpmrdsYear(
    ctx,
    year,
    typeof f['npmrds-version'] === 'string' ? f['npmrds-version'] : undefined,
  );
  inputs.push(y.ref);
  const files = await useNpmrdsShards(ctx, db, y, shards);
  const sl = await useSpeedLimits(ctx, db);
  if (sl) inputs.push(sl);
  const params = pm3Params(year, peakPm);
  const perShard = await runPerShardGroup(db, {
    groups: await shardGroups(files, groupBytes(f), shards),
    targets: PER_TMC_TARGETS,
    params,
  });
  const keys = await writeShardOutputs(
    ctx,
    db,
    {
      run,
      year,
      shards,
      params: { ...params, peak_pm: peakPm },
      inputs,
      queries: perShard.ran.map((q) => q.name),
    },
    join(opts.out ?? join(ctx.config.scratchDir, 'fanout', run), `shard=${shards[0]}`),
  );
  const [rows] = (
    await db.runAndReadAll(`select count(*)::integer as n from pm3_tmc_periods`)
  ).getRowObjects();
  // A local fan-out runs every task in this process: free each task's tables as it ends.
  db.closeSync();
  return { files: keys, summary: { run, shards, tmc_period_rows: rows?.n ?? 0 }, runId: run };
}

/** The reduce: the shard outputs of one run, finished and published as one PM3 run. */
async function reduce(ctx: Ctx, opts: ComputeOptions, run: string): Promise<ComputeResult> {
  const db = await ctx.db();
  const loaded = await loadShardOutputs(ctx, db, run);
  const { year } = loaded;
  const peakPm = String(loaded.params.peak_pm);
  if (opts.year !== undefined && opts.year !== year)
    throw new Error(`fan-out ${run} computed ${year}, not ${opts.year}`);
  await registerReferenceTables(db);
  const uza = await useUza(ctx, db);
  const npmrds = loaded.inputs.find((i) => i.dataset_id === 'npmrds');
  if (!npmrds) throw new Error(`fan-out ${run}: the shards name no NPMRDS version`);
  if (uza && !loaded.inputs.some((i) => i.dataset_id === uza.dataset_id && i.version === uza.version))
    throw new Error(
      `fan-out ${run}: urbanized_area_population changed since the shards ran (now ${uza.version}); plan the run again`,
    );
  await registerNpmrdsTmc(ctx, db, await findNpmrdsYear(ctx, year, npmrds.version));
  return finish(ctx, db, {
    opts,
    year,
    source: 'npmrds',
    peakPm,
    inputs: loaded.inputs,
    ran: loaded.ran,
    segments: 'pm3_tmc',
  });
}

/**
 * `--fanout plan` writes the task manifest (on S3 it starts the state machine) and returns;
 * `--fanout local` (or a bare --fanout) also runs each task and the reduce in this process,
 * through the same family entry the compute function calls.
 */
async function fanout(ctx: Ctx, opts: ComputeOptions): Promise<ComputeResult> {
  const year = opts.year;
  if (!year) throw new Error('pm3 --fanout needs --year');
  const mode = opts.flags.fanout === true ? 'local' : String(opts.flags.fanout);
  if (mode !== 'local' && mode !== 'plan') throw new Error('--fanout must be local or plan');
  peakPmOf(opts.flags);
  const plan = await planFanout(ctx, {
    year,
    flags: opts.flags,
    run: typeof opts.flags.run === 'string' ? opts.flags.run : undefined,
  });
  if (mode === 'plan')
    return {
      files: [plan.manifestKey],
      summary: { run: plan.run, manifest_key: plan.manifestKey, tasks: plan.tasks.length },
      runId: plan.run,
    };
  for (const [i, task] of plan.tasks.entries()) {
    ctx.progress.update('pm3: fan-out shard tasks', i, plan.tasks.length, 'tasks');
    await runTask(ctx, task);
  }
  ctx.progress.done();
  const { fanout: _f, run: _r, ...rest } = opts.flags;
  return reduce(ctx, { ...opts, flags: { ...rest, 'fanout-run': plan.run } }, plan.run);
}

async function runTask(ctx: Ctx, task: FanoutTask) {
  return family.run(ctx, { year: task.year, flags: task.flags });
}

/**
 * What the per-TMC PM3 queries read: the epoch series published at ingest, or for versions
 * ingested before it the readings (int_npmrds__epochs then runs per shard group).
 */
export function pm3Readings(npmrds: NpmrdsInputs): Record<string, string[]> {
  return npmrds.epochs?.length
    ? { int_npmrds__epochs: npmrds.epochs }
    : { npmrds__readings: npmrds.readings };
}
