// `corridor compute congestion`: what MPO staff use between federal reports — per TMC and per
// corridor travel time index, planning time index, buffer index and delay, the monthly trend and
// a bottleneck ranking, from the same NPMRDS readings as PM3.
import type { ComputeFamily } from '../../compute/families';
import { publishRun } from '../../compute/run-support';
import { queryRows } from '../../engine/duckdb';
import { runQueries } from '../../engine/runner';
import { REFERENCE_EDITIONS, registerReferenceTables } from './inputs';
import { useNpmrds } from './npmrds-inputs';
import { groupBytes, runPerShardGroup, shardGroups } from './sharded';

export const family: ComputeFamily = {
  name: 'congestion',
  title: 'Congestion management: travel time index, planning time index, delay and bottlenecks',
  summary:
    'Per TMC and corridor TTI, PTI, buffer index and vehicle-hours of delay; monthly trend; bottleneck ranking',
  reference: '23 CFR 450.322 (congestion management process); FHWA-HOP-06-070',
  async run(ctx, opts) {
    const year = opts.year;
    if (!year) throw new Error('congestion needs --year');
    const peakPm = typeof opts.flags['peak-pm'] === 'string' ? opts.flags['peak-pm'] : '16-20';
    if (peakPm !== '15-19' && peakPm !== '16-20') throw new Error('--peak-pm must be 15-19 or 16-20');
    const db = await ctx.db();
    await registerReferenceTables(db);
    const npmrds = await useNpmrds(ctx, db, year);
    const inputs = npmrds.refs;
    // The congestion queries read the readings; the volume profiles they share with PM3 read the
    // epoch series where the version has it.
    const readings: Record<string, string[]> = { npmrds__readings: npmrds.readings };
    if (npmrds.epochs?.length) readings.int_npmrds__epochs = npmrds.epochs;
    const params = { year, peak_pm_start: peakPm === '15-19' ? 15 : 16 };
    const perShard = await runPerShardGroup(db, {
      groups: await shardGroups(readings, groupBytes(opts.flags)),
      targets: [
        'int_pm3__volume_profiles',
        'int_cmp__free_flow',
        'int_cmp__peak_travel_times',
        'cmp_tmc_monthly',
      ],
      params,
    });
    const rest = await runQueries(db, {
      targets: ['cmp_tmc', 'cmp_corridors', 'cmp_bottlenecks', 'cmp_region_monthly'],
      params,
      queries: perShard.rest,
    });
    const ran = [...perShard.ran, ...rest.ran];
    const [region] = await queryRows<Record<string, number>>(
      db,
      `select count(*)::bigint as tmcs, round(sum(delay_vehicle_hours), 1) as delay_vehicle_hours,
              round(sum(miles * tti) / nullif(sum(miles) filter (where tti is not null), 0), 2) as tti,
              round(sum(miles * pti) / nullif(sum(miles) filter (where pti is not null), 0), 2) as pti
       from cmp_tmc`,
    );
    const top = await queryRows(
      db,
      'select rank, tmc_code, road, direction, delay_vehicle_hours from cmp_bottlenecks order by rank limit 10',
    );
    const summary = { year, peak_pm: peakPm, ...region, top_bottlenecks: top };
    const { files, runId } = await publishRun(ctx, db, {
      family: 'congestion',
      key: `year=${year}`,
      out: opts.out ?? `out/congestion-${year}`,
      outputs: [
        { table: 'cmp_tmc', format: 'csv', orderBy: ['delay_rank', 'tmc_code'] },
        { table: 'cmp_tmc_monthly', format: 'csv', orderBy: ['tmc_code', 'month'] },
        { table: 'cmp_corridors', format: 'csv', orderBy: ['road', 'direction'] },
        { table: 'cmp_bottlenecks', format: 'csv', orderBy: ['rank', 'tmc_code'] },
        { table: 'cmp_region_monthly', format: 'csv', orderBy: ['month'] },
      ],
      summary,
      ran,
      params: { year, peak_pm: peakPm },
      inputs,
      editions: REFERENCE_EDITIONS,
    });
    return { files, summary, runId };
  },
};
