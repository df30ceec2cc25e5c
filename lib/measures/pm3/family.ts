// `corridor compute pm3`: LOTTR, TTTR and PHED per TMC, and the PM3 measures (% reliable
// person-miles on the Interstate and non-Interstate NHS, TTTR index, PHED per capita) for the
// region and its sub-areas, from NPMRDS or from a State's HPMS travel-time metric file.
import type { ComputeFamily } from '../../compute/families';
import { type InputRef, publishRun, useDataset } from '../../compute/run-support';
import type { QueryFile } from '../../engine/query-file';
import { registerInput, runQueries } from '../../engine/runner';
import {
  REFERENCE_EDITIONS,
  registerAreaMembers,
  registerReferenceTables,
  useOptionalDataset,
} from './inputs';
import { type NpmrdsInputs, useNpmrds } from './npmrds-inputs';
import { groupBytes, runPerShardGroup, shardGroups } from './sharded';
import { pm3Summary } from './summary';

export const family: ComputeFamily = {
  name: 'pm3',
  title: 'PM3: travel time reliability, freight reliability and peak hour excessive delay',
  summary:
    'LOTTR, TTTR and PHED per TMC; % reliable person-miles (Interstate, non-Interstate NHS), TTTR index and PHED per capita',
  reference: '23 CFR 490 Subparts E, F, G; FHWA-HIF-18-040',
  async run(ctx, opts) {
    const year = opts.year;
    if (!year) throw new Error('pm3 needs --year (the calendar year of the travel times)');
    const source = typeof opts.flags.source === 'string' ? opts.flags.source : 'npmrds';
    const peakPm = typeof opts.flags['peak-pm'] === 'string' ? opts.flags['peak-pm'] : '16-20';
    if (peakPm !== '15-19' && peakPm !== '16-20')
      throw new Error('--peak-pm must be 15-19 or 16-20 (23 CFR 490.705)');
    const db = await ctx.db();
    await registerReferenceTables(db);
    await registerAreaMembers(db, typeof opts.flags.areas === 'string' ? opts.flags.areas : undefined);
    const inputs: InputRef[] = [];
    const uza = await useOptionalDataset(
      ctx,
      db,
      'urbanized_area_population',
      'urbanized_area_population',
      'urbanized_area_population',
      'select null::integer as urban_code, null::varchar as name, null::bigint as population, null::integer as year, null::double as bus_avo',
    );
    if (uza) inputs.push(uza);
    const ran: QueryFile[] = [];
    let segments: string;
    if (source === 'npmrds') {
      const npmrds = await useNpmrds(ctx, db, year);
      inputs.push(...npmrds.refs);
      const sl = await useOptionalDataset(
        ctx,
        db,
        'speed_limits',
        'speed_limits',
        'speed_limits',
        'select null::varchar as tmc_code, null::double as speed_limit',
      );
      if (sl) inputs.push(sl);
      const params = { year, peak_pm_start: peakPm === '15-19' ? 15 : 16 };
      const perShard = await runPerShardGroup(db, {
        groups: await shardGroups(pm3Readings(npmrds), groupBytes(opts.flags)),
        targets: ['pm3_tmc_periods', 'int_pm3__volume_profiles', 'pm3_tmc_phed'],
        params,
        onGroup: (i, n) => ctx.progress.update('pm3: TMC shards', i, n, 'groups'),
      });
      ctx.progress.done();
      const r = await runQueries(db, { targets: ['pm3_tmc'], params, queries: perShard.rest });
      ran.push(...perShard.ran, ...r.ran);
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
    await registerInput(db, 'pm3_segments', { kind: 'table', table: segments });
    const r = await runQueries(db, { targets: ['pm3_measures', 'pm3_phed_per_capita'] });
    ran.push(...r.ran);
    if (segments !== 'pm3_tmc') await db.run(`create or replace table pm3_tmc as select * from ${segments}`);
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
      inputs,
      editions: REFERENCE_EDITIONS,
      notes: summary.notes as string[],
    });
    return { files, summary, runId };
  },
};

/**
 * What the per-TMC PM3 queries read: the epoch series published at ingest, or for versions
 * ingested before it the readings (int_npmrds__epochs then runs per shard group).
 */
export function pm3Readings(npmrds: NpmrdsInputs): Record<string, string[]> {
  return npmrds.epochs?.length
    ? { int_npmrds__epochs: npmrds.epochs }
    : { npmrds__readings: npmrds.readings };
}
