// `corridor compute accessibility --feed F --zones FILE|name --date D --window 07:00-09:00
//  --cutoffs 30,45,60 [--percentiles 50] [--scenario-feed G] --out DIR`: jobs (or another zone
// column) reachable by transit + walking from every zone, r5-style, with regional and equity
// averages, and a before/after comparison when a scenario feed set is given.
import { rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { ComputeFamily } from '../compute/families';
import { publishRun } from '../compute/run-support';
import type { Ctx } from '../context';
import { type Db, ident, queryRows } from '../engine/duckdb';
import { registerInput, runQueries } from '../engine/runner';
import type { AccessibilityOptions, Zone } from './accessibility';
import { computeAccessibilityParallel } from './accessibility-parallel';
import { feedNames, useFeeds } from './feeds';
import { loadNetwork } from './network';
import { useZones } from './zones';

export const DEFAULTS = {
  window: '07:00-09:00',
  cutoffs: '30,45,60',
  percentiles: '50',
  walkSpeed: 1.0, // m/s = 3.6 km/h, r5r's default walk_speed
  detour: 1.3, // straight line → street distance (research/transit.md §3.3: 1.2–1.4)
  maxWalkMin: 15,
  maxTransferWalkMin: 5,
  maxRides: 4,
  boardSlack: 60, // r5 MINIMUM_BOARD_WAIT_SEC
  maxDurationMin: 120, // r5 MAX_TRIP_DURATION_SEC
};

const num = (v: string | boolean | undefined, d: number) => (typeof v === 'string' ? Number(v) : d);
const list = (v: string | boolean | undefined, d: string) =>
  (typeof v === 'string' ? v : d).split(',').map(Number);

export function parseWindow(w: string) {
  const m = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/.exec(w);
  if (!m) throw new Error(`--window must look like 07:00-09:00 (got ${w})`);
  const from = Number(m[1]) * 3600 + Number(m[2]) * 60;
  const to = Number(m[3]) * 3600 + Number(m[4]) * 60;
  if (to <= from) throw new Error(`--window ${w}: the end must be after the start`);
  return { from, to };
}

export const family: ComputeFamily = {
  name: 'accessibility',
  title: 'Transit accessibility to jobs (r5-style)',
  summary:
    'Opportunities reachable within 30/45/60 minutes by transit and walking from each zone, percentile over a departure window',
  reference: 'research/transit.md §3 (RAPTOR; r5 TravelTimeReducer)',
  async run(ctx, opts) {
    const f = opts.flags;
    const feeds = feedNames(f.feed);
    if (!f.zones) throw new Error('give the zones with --zones <file.csv | zones dataset name>');
    const { from, to } = parseWindow(typeof f.window === 'string' ? f.window : DEFAULTS.window);
    const settings = {
      cutoffsMin: list(f.cutoffs, DEFAULTS.cutoffs),
      percentiles: list(f.percentiles, DEFAULTS.percentiles),
      walk: {
        speed: num(f['walk-speed'], DEFAULTS.walkSpeed),
        detour: num(f.detour, DEFAULTS.detour),
        maxTransferSecs: 60 * num(f['max-transfer-walk'], DEFAULTS.maxTransferWalkMin),
      },
      maxAccessSecs: 60 * num(f['max-walk'], DEFAULTS.maxWalkMin),
      maxRides: num(f['max-rides'], DEFAULTS.maxRides),
      boardSlack: num(f['board-slack'], DEFAULTS.boardSlack),
      maxDurationSecs: 60 * num(f['max-duration'], DEFAULTS.maxDurationMin),
    };
    for (const v of [...settings.cutoffsMin, ...settings.percentiles])
      if (!Number.isFinite(v) || v <= 0)
        throw new Error('--cutoffs and --percentiles must be positive numbers');
    if (settings.percentiles.some((p) => p > 100)) throw new Error('--percentiles must be at most 100');
    const opportunity = typeof f.opportunity === 'string' ? f.opportunity : 'jobs';

    const db = await ctx.db();
    const inputs = await useFeeds(ctx, db, feeds);
    const zonesRef = await useZones(ctx, db, f.zones);
    inputs.push(...zonesRef.refs);
    const zoneColumns = (
      await queryRows<{ column_name: string; column_type: string }>(db, 'describe zones')
    ).filter((c) => /^(DOUBLE|BIGINT|INTEGER|DECIMAL|HUGEINT|FLOAT)/.test(c.column_type));
    if (!zoneColumns.some((c) => c.column_name === opportunity) || ['lon', 'lat'].includes(opportunity)) {
      throw new Error(
        `--opportunity ${opportunity}: not a numeric column of the zones (have: ${zoneColumns
          .map((c) => c.column_name)
          .filter((c) => c !== 'lon' && c !== 'lat')
          .join(', ')})`,
      );
    }
    const date = opts.date ?? (await typicalWeekday(db));
    const zones = (
      await queryRows<{ zone_id: string; lat: number; lon: number; opp: number }>(
        db,
        `select zone_id::varchar as zone_id, lat, lon, coalesce(${ident(opportunity)}, 0)::double as opp from zones order by zone_id`,
      )
    ).map((z): Zone => ({ id: z.zone_id, lat: z.lat, lon: z.lon, opportunities: z.opp }));
    await writeZoneOpportunities(ctx, db, zones);
    const options: AccessibilityOptions = { ...settings, from, to };
    const threads = num(f.threads, Math.min(availableParallelism(), 4));
    const ran = await accessibilityFor(ctx, db, date, zones, options, 'accessibility_results', threads);
    const targets = ['transit_accessibility', 'transit_accessibility_summary'];
    let scenarioInputs: typeof inputs = [];
    if (f['scenario-feed']) {
      const scenarioFeeds = feedNames(f['scenario-feed']);
      scenarioInputs = await useFeeds(ctx, db, scenarioFeeds);
      await accessibilityFor(ctx, db, date, zones, options, 'scenario_accessibility_results', threads);
      targets.push('transit_accessibility_change');
    }
    const result = await runQueries(db, { targets });
    const regional = await queryRows(db, 'select * from transit_accessibility_summary order by all');
    const change = f['scenario-feed']
      ? await queryRows(
          db,
          `select percentile, cutoff_min, round(sum(base_opportunities * population) / nullif(sum(population), 0), 1) as base_weighted_avg,
             round(sum(scenario_opportunities * population) / nullif(sum(population), 0), 1) as scenario_weighted_avg
           from transit_accessibility_change group by all order by all`,
        )
      : undefined;
    const params = {
      feeds,
      scenario_feeds: f['scenario-feed'] ? feedNames(f['scenario-feed']) : null,
      zones: zonesRef.source,
      service_date: date,
      window: `${hhmm(from)}-${hhmm(to)}`,
      opportunity,
      cutoffs_min: settings.cutoffsMin,
      percentiles: settings.percentiles,
      walk_speed_m_per_s: settings.walk.speed,
      walk_detour_factor: settings.walk.detour,
      max_walk_min: settings.maxAccessSecs / 60,
      max_transfer_walk_min: settings.walk.maxTransferSecs / 60,
      max_rides: settings.maxRides,
      board_slack_secs: settings.boardSlack,
      max_trip_duration_min: settings.maxDurationSecs / 60,
    };
    const summary = {
      ...params,
      zones_count: zones.length,
      regional,
      ...(change ? { before_after: change } : {}),
      notes: [
        'walking is straight-line distance × detour factor ÷ walking speed (no street network)',
        'frequencies.txt trips (both exact_times values) are expanded to scheduled departures; no Monte Carlo draws',
        'travel time per departure minute includes the initial wait; percentile = sorted[ceil(p/100·N) − 1] (r5)',
      ],
    };
    const outputs = [
      {
        table: 'transit_accessibility',
        format: 'csv' as const,
        orderBy: ['zone_id', 'percentile', 'cutoff_min'],
      },
      {
        table: 'transit_accessibility_summary',
        format: 'csv' as const,
        orderBy: ['population_group', 'percentile', 'cutoff_min'],
      },
      ...(change
        ? [
            {
              table: 'transit_accessibility_change',
              format: 'csv' as const,
              orderBy: ['zone_id', 'percentile', 'cutoff_min'],
            },
          ]
        : []),
    ];
    const { files, runId } = await publishRun(ctx, db, {
      family: 'accessibility',
      key: `feed=${feeds.join('+')}/date=${date}/window=${params.window}`,
      out: opts.out ?? `out/accessibility/${feeds.join('+')}-${date}`,
      outputs,
      summary,
      ran: [...ran, ...result.ran],
      params,
      inputs: [...inputs, ...scenarioInputs],
      notes: summary.notes,
    });
    return { files, summary, runId };
  },
};

async function typicalWeekday(db: Db) {
  await runQueries(db, { targets: ['transit_service_dates'] });
  const [row] = await queryRows<{ d: string }>(
    db,
    `select strftime(service_date, '%Y-%m-%d') as d from transit_service_dates where typical_weekday`,
  );
  if (!row) throw new Error('no typical weekday in the feeds; give --date');
  return row.d;
}

/** Stop events for the date (and the previous date's trips past midnight), RAPTOR, results table. */
async function accessibilityFor(
  ctx: Ctx,
  db: Db,
  date: string,
  zones: Zone[],
  options: AccessibilityOptions,
  table: string,
  threads: number,
) {
  const prev = new Date(`${date}T12:00:00Z`);
  prev.setUTCDate(prev.getUTCDate() - 1);
  await runQueries(db, {
    targets: ['int_transit__stop_events'],
    params: { service_date: prev.toISOString().slice(0, 10) },
  });
  await db.run('create or replace table prev_day_stop_events as select * from int_transit__stop_events');
  const { ran } = await runQueries(db, {
    targets: ['int_transit__stop_events'],
    params: { service_date: date },
  });
  const net = await loadNetwork(db, {
    walk: options.walk,
    from: options.from,
    to: options.to + options.maxDurationSecs,
    eventTables: [
      { table: 'int_transit__stop_events', shift: 0 },
      { table: 'prev_day_stop_events', shift: -86400 },
    ],
  });
  const values = await computeAccessibilityParallel(net, zones, options, threads, (done, total) =>
    ctx.progress.update(`accessibility (${table})`, done, total, 'zones'),
  );
  ctx.progress.done();
  const P = options.percentiles.length;
  const C = options.cutoffsMin.length;
  const lines = ['zone_id,percentile,cutoff_min,opportunities'];
  zones.forEach((z, o) => {
    options.percentiles.forEach((p, pi) => {
      options.cutoffsMin.forEach((c, ci) => {
        lines.push(`${csv(z.id)},${p},${c},${values[(o * P + pi) * C + ci]}`);
      });
    });
  });
  const path = join(ctx.config.scratchDir, `${table}-${process.pid}-${Date.now()}.csv`);
  await writeFile(path, `${lines.join('\n')}\n`);
  await registerInput(db, `${table}_file`, {
    kind: 'csv',
    files: [path],
    columns: { zone_id: 'VARCHAR', percentile: 'DOUBLE', cutoff_min: 'DOUBLE', opportunities: 'DOUBLE' },
  });
  await db.run(`create or replace table ${ident(table)} as select * from ${ident(`${table}_file`)}`);
  await rm(path, { force: true });
  return ran;
}

async function writeZoneOpportunities(ctx: Ctx, db: Db, zones: Zone[]) {
  const path = join(ctx.config.scratchDir, `zone-opportunities-${process.pid}-${Date.now()}.csv`);
  await writeFile(
    path,
    `zone_id,opportunities\n${zones.map((z) => `${csv(z.id)},${z.opportunities}`).join('\n')}\n`,
  );
  await registerInput(db, 'zone_opportunities_file', {
    kind: 'csv',
    files: [path],
    columns: { zone_id: 'VARCHAR', opportunities: 'DOUBLE' },
  });
  await db.run(
    'create or replace table accessibility_zone_opportunities as select * from zone_opportunities_file',
  );
  await rm(path, { force: true });
}

function csv(s: string) {
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function hhmm(secs: number) {
  return `${String(Math.floor(secs / 3600)).padStart(2, '0')}:${String(Math.floor((secs % 3600) / 60)).padStart(2, '0')}`;
}
