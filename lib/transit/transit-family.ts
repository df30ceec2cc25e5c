// `corridor compute transit --feed F[,G] [--date YYYY-MM-DD] [--zones FILE|name] --out DIR`:
// service measures for one service date (default: the feeds' typical weekday), and coverage of
// population and jobs when zones are given.
import type { ComputeFamily } from '../compute/families';
import { type InputRef, publishRun, useDataset } from '../compute/run-support';
import type { Ctx } from '../context';
import { registerTamDefaultUlb, TAM_DEFAULT_ULB_EDITION } from '../datasets/ntd-tam';
import type { Db } from '../engine/duckdb';
import { queryRows } from '../engine/duckdb';
import { runQueries } from '../engine/runner';
import { feedNames, useFeeds } from './feeds';
import { NSP_EDITION, usePtaspReference } from './ptasp-reference';
import { useZones } from './zones';

const SERVICE = [
  'transit_route_service',
  'transit_route_headways',
  'transit_stop_service',
  'transit_stop_headways',
  'transit_summary',
];
const COVERAGE = ['transit_zone_coverage', 'transit_coverage'];

export const family: ComputeFamily = {
  name: 'transit',
  title: 'Transit service and coverage (GTFS)',
  summary:
    'Trips, revenue hours and miles, span, headways, frequent network, stop departures and population/jobs near stops for a service date',
  reference: 'GTFS Schedule reference; research/transit.md §2b',
  async run(ctx, opts) {
    if (!opts.flags.feed && (opts.flags.ntd || opts.flags.tam || opts.flags.ptasp))
      return agencyMeasures(ctx, opts);
    const feeds = feedNames(opts.flags.feed);
    const db = await ctx.db();
    const inputs = await useFeeds(ctx, db, feeds);
    const dates = await runQueries(db, { targets: ['transit_service_dates'] });
    let date = opts.date;
    let dateSelection = 'given with --date';
    if (!date) {
      const [typical] = await queryRows<{ d: string }>(
        db,
        "select strftime(service_date, '%Y-%m-%d') as d from transit_service_dates where typical_weekday",
      );
      if (!typical)
        throw new Error(
          'the feeds have no Tuesday–Thursday service to pick a typical weekday from; give --date',
        );
      date = typical.d;
      dateSelection = 'typical weekday: the earliest Tuesday–Thursday with the most common trip count';
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`--date must be YYYY-MM-DD (got ${date})`);
    const params: Record<string, unknown> = {
      service_date: date,
      frequent_headway_min: Number(opts.flags['frequent-headway'] ?? 15),
    };
    const zones = opts.flags.zones ? await useZones(ctx, db, opts.flags.zones) : null;
    if (zones) inputs.push(...zones.refs);
    const { ran } = await runQueries(db, { targets: [...SERVICE, ...(zones ? COVERAGE : [])], params });
    const [row] = await queryRows<Record<string, unknown>>(
      db,
      'select * exclude (service_date) from transit_summary',
    );
    const services = await queryRows<{ feed_id: string; service_id: string }>(
      db,
      'select feed_id, service_id from int_transit__active_services order by all',
    );
    const coverage = zones ? await queryRows(db, 'select * from transit_coverage order by all') : undefined;
    const summary = {
      service_date: date,
      date_selection: dateSelection,
      ...row,
      feed_ids: feeds,
      active_service_ids: services.map((s) => `${s.feed_id}:${s.service_id}`),
      ...(coverage ? { coverage } : {}),
      notes: [
        'revenue hours are scheduled (first departure to last arrival per trip); layover and deadhead are not in GTFS, so NTD VRH is larger',
      ],
    };
    const outputs = [
      { table: 'transit_route_service', format: 'csv' as const, orderBy: ['feed_id', 'route_id'] },
      {
        table: 'transit_route_headways',
        format: 'csv' as const,
        orderBy: ['feed_id', 'route_id', 'direction_id', 'time_band'],
      },
      { table: 'transit_stop_service', format: 'csv' as const, orderBy: ['feed_id', 'stop_id'] },
      {
        table: 'transit_stop_headways',
        format: 'csv' as const,
        orderBy: ['feed_id', 'stop_id', 'time_band'],
      },
      { table: 'transit_service_dates', format: 'csv' as const, orderBy: ['service_date'] },
      ...(zones
        ? [
            { table: 'transit_zone_coverage', format: 'csv' as const, orderBy: ['zone_id'] },
            { table: 'transit_coverage', format: 'csv' as const },
          ]
        : []),
    ];
    const { files, runId } = await publishRun(ctx, db, {
      family: 'transit',
      key: `feed=${feeds.join('+')}/date=${date}`,
      out: opts.out ?? `out/transit/${feeds.join('+')}-${date}`,
      outputs,
      summary,
      ran: [...dates.ran, ...ran],
      params: { ...params, feeds, zones: zones?.source ?? null },
      inputs,
      notes: [dateSelection],
    });
    return { files, summary, runId };
  },
};

const AGENCY = [
  {
    flag: 'ntd',
    dataset: 'ntd_monthly',
    table: 'ntd_monthly',
    target: 'transit_ntd_productivity',
    order: ['ntd_id', 'mode', 'tos', 'month'],
  },
  {
    flag: 'tam',
    dataset: 'ntd_tam',
    table: 'tam_inventory',
    target: 'transit_tam_measures',
    order: ['agency', 'report_year', 'asset_category', 'asset_class'],
  },
  {
    flag: 'ptasp',
    dataset: 'ntd_ptasp',
    table: 'ptasp_inputs',
    target: 'transit_ptasp_measures',
    order: ['agency', 'mode', 'year', 'measure'],
    // the MPO's regional values (23 CFR 450.306(d)(2)): every agency's counts and VRM pooled
    region: { target: 'transit_ptasp_region', order: ['mode', 'year', 'measure'] },
  },
] as const;

/** `corridor compute transit --ntd --tam --ptasp`: agency-reported measures (NTD, TAM, PTASP). */
async function agencyMeasures(ctx: Ctx, opts: Parameters<ComputeFamily['run']>[1]) {
  const db: Db = await ctx.db();
  const inputs: InputRef[] = [];
  const chosen = AGENCY.filter((a) => opts.flags[a.flag]);
  for (const a of chosen) inputs.push(await useDataset(ctx, db, a.dataset, a.table));
  if (opts.flags.tam) await registerTamDefaultUlb(db); // FTA default ULBs, data/transit
  if (opts.flags.ptasp) inputs.push(...(await usePtaspReference(ctx, db)));
  const outputs = chosen.flatMap((a) => [
    { table: a.target, order: a.order },
    ...('region' in a ? [{ table: a.region.target, order: a.region.order }] : []),
  ]);
  const { ran } = await runQueries(db, { targets: outputs.map((o) => o.table) });
  const summary: Record<string, unknown> = {};
  for (const o of outputs)
    summary[o.table] =
      (await queryRows<{ n: number }>(db, `select count(*)::integer as n from ${o.table}`))[0]?.n ?? 0;
  const { files, runId } = await publishRun(ctx, db, {
    family: 'transit',
    key: `agency-measures/${chosen.map((a) => a.flag).join('+')}`,
    out: opts.out ?? 'out/transit/agency-measures',
    outputs: outputs.map((o) => ({ table: o.table, format: 'csv' as const, orderBy: [...o.order] })),
    summary: { rows: summary },
    ran,
    params: {
      measures: chosen.map((a) => a.flag),
      ...(opts.flags.tam ? { tam_default_ulb: TAM_DEFAULT_ULB_EDITION } : {}),
      ...(opts.flags.ptasp ? { nsp_measures: NSP_EDITION } : {}),
    },
    inputs,
  });
  return { files, summary: { rows: summary }, runId };
}
