// Transit safety inputs for the PTASP measures (49 CFR 673; National Public Transportation Safety
// Plan 2024, 89 FR 25316; data/transit/nsp_measures.csv lists the measures and the notice pages):
// per agency, mode and year the NTD safety counts, the major mechanical failures and the vehicle
// revenue miles, with the agency's targets when known. Counts may instead come from event-level
// records (the ntd_safety_events dataset); then only VRM, failures and targets are needed here.
// "Safety events" of the 2017 plan are the "major events" of 2024 (synonymous in practice: notice
// p. 25321), so the old column names are kept as aliases.
import type { IngestJob } from '../ingest/job';
import type { TableSpec } from './spec';
import type { DatasetType } from './types';

export const ptaspFile: TableSpec = {
  name: 'ntd_ptasp',
  description: 'PTASP safety inputs',
  columns: [
    {
      name: 'agency',
      type: 'VARCHAR',
      description: 'Agency (name or NTD ID)',
      required: true,
      notNull: true,
      aliases: ['ntd_id'],
    },
    {
      name: 'mode',
      type: 'VARCHAR',
      description: 'Mode (fixed-route bus, demand response, rail, …)',
      required: true,
      notNull: true,
    },
    {
      name: 'year',
      type: 'INTEGER',
      description: 'Calendar or fiscal year',
      required: true,
      notNull: true,
      min: 1990,
      max: 2100,
    },
    { name: 'fatalities', type: 'DOUBLE', description: 'Reportable fatalities', min: 0 },
    { name: 'injuries', type: 'DOUBLE', description: 'Reportable injuries', min: 0 },
    {
      name: 'major_events',
      type: 'DOUBLE',
      description: 'NTD major events (safety and security), the 2017 plan\'s "safety events"',
      min: 0,
      aliases: ['safety_events', 'events'],
    },
    {
      name: 'major_mechanical_failures',
      type: 'DOUBLE',
      description: 'Major mechanical failures (NTD definition)',
      min: 0,
      aliases: ['mechanical_failures', 'failures'],
    },
    {
      name: 'vrm',
      type: 'DOUBLE',
      description: 'Vehicle revenue miles',
      unit: 'miles',
      required: true,
      min: 0,
      aliases: ['vehicle_revenue_miles'],
    },
    {
      name: 'collisions',
      type: 'DOUBLE',
      description: 'Reportable collisions (2024 National Safety Plan); a subset of safety events',
      min: 0,
    },
    {
      name: 'pedestrian_collisions',
      type: 'DOUBLE',
      description: 'Collisions with a pedestrian (2024 National Safety Plan)',
      min: 0,
    },
    {
      name: 'vehicular_collisions',
      type: 'DOUBLE',
      description: 'Collisions with another vehicle (2024 National Safety Plan)',
      min: 0,
    },
    {
      name: 'transit_worker_fatalities',
      type: 'DOUBLE',
      description: 'Transit worker fatalities (2024 National Safety Plan)',
      min: 0,
      aliases: ['worker_fatalities'],
    },
    {
      name: 'transit_worker_injuries',
      type: 'DOUBLE',
      description: 'Transit worker injuries (2024 National Safety Plan)',
      min: 0,
      aliases: ['worker_injuries'],
    },
    {
      name: 'assaults_on_transit_workers',
      type: 'DOUBLE',
      description: 'Assaults on transit workers (2024 National Safety Plan)',
      min: 0,
      aliases: ['assaults'],
    },
    {
      // the notice fixes VRM as the denominator (p. 25322) but no multiplier: agencies differ
      // (CMPDD per 100,000 VRM; AC Transit's FY2024/25 safety report per 100 million VRM)
      name: 'rate_per_vrm',
      type: 'DOUBLE',
      description:
        "VRM the agency's rates and rate targets are expressed per (empty: 100,000, the multiplier of data/transit/nsp_measures.csv)",
      min: 1,
      aliases: ['rate_per', 'per_vrm'],
    },
    // one target column per measure of data/transit/nsp_measures.csv, named target_<measure_id>
    ...(
      [
        ['target_fatalities', 'fatalities (count)', []],
        ['target_fatality_rate', 'fatalities per 100,000 VRM', []],
        ['target_transit_worker_fatality_rate', 'transit worker fatalities per 100,000 VRM', []],
        ['target_injuries', 'injuries (count)', []],
        ['target_injury_rate', 'injuries per 100,000 VRM', []],
        ['target_transit_worker_injury_rate', 'transit worker injuries per 100,000 VRM', []],
        ['target_major_events', 'major events (count)', ['target_safety_events']],
        [
          'target_major_event_rate',
          'major events per 100,000 VRM',
          ['target_event_rate', 'target_safety_event_rate'],
        ],
        ['target_collision_rate', 'collisions per 100,000 VRM', []],
        ['target_pedestrian_collision_rate', 'pedestrian collisions per 100,000 VRM', []],
        ['target_vehicular_collision_rate', 'vehicular collisions per 100,000 VRM', []],
        ['target_assaults_on_transit_workers', 'assaults on transit workers (count)', []],
        [
          'target_assault_on_transit_worker_rate',
          'assaults on transit workers per 100,000 VRM',
          ['target_assault_rate'],
        ],
        ['target_mdbf', 'mean distance between major mechanical failures (miles)', []],
      ] as const
    ).map(([name, what, aliases]) => ({
      name,
      type: 'DOUBLE' as const,
      description: `Target: ${what}`,
      min: 0,
      aliases: [...aliases],
    })),
  ],
};

export const dataset: DatasetType = {
  type: 'ntd_ptasp',
  title: 'Transit safety (PTASP) inputs',
  description:
    'Fatalities, injuries, major events, collisions, transit worker casualties, assaults on transit workers, major mechanical failures and VRM by agency, mode and year, with targets, for the PTASP safety performance measures.',
  source: "NTD Safety & Security reporting and the agencies' safety plans",
  license: 'Public domain (NTD) or as provided by the agencies',
  keywords: ['transit', 'safety', 'ptasp'],
  tables: [{ ...ptaspFile, name: 'ptasp_inputs', key: ['agency', 'mode', 'year'] }],
  async ingest(job: IngestJob) {
    const file = job.single(/\.(csv|xlsx)$/i, {
      code: 'no_ptasp_file',
      message: 'no safety CSV/XLSX was given',
      fix: 'give a CSV with agency, mode, year, vrm, major_mechanical_failures and the counts (fatalities, injuries, major_events, …)',
    });
    if (!file) return;
    const read = await job.readTable(file, ptaspFile);
    if (!read) return;
    await job.checkRows(read, [
      {
        code: 'duplicate_row',
        severity: 'error',
        column: 'agency',
        where: `__row in (select __row from (select __row, row_number() over (partition by agency, mode, year order by __row) as n from ${read.table}) where n > 1)`,
        message: 'another row has the same agency, mode and year; the first is kept',
      },
      {
        // major events include all NTD safety and security major events (notice p. 25319), and
        // collisions are among them (2017 guidance: derailments, collisions, fires, evacuations)
        code: 'collisions_exceed_events',
        severity: 'warning',
        quarantine: false,
        column: 'collisions',
        where: 'collisions > major_events',
        message: 'more collisions than major events, though collisions are major events',
        fix: 'check that both counts cover the same mode, year and NTD reporting thresholds',
      },
      {
        code: 'collision_subsets_exceed_total',
        severity: 'warning',
        quarantine: false,
        column: 'collisions',
        where: 'coalesce(pedestrian_collisions, 0) + coalesce(vehicular_collisions, 0) > collisions',
        message: 'pedestrian plus vehicular collisions exceed all collisions',
      },
      {
        code: 'missing_value',
        severity: 'warning',
        column: 'vrm',
        where: 'vrm is null or vrm = 0',
        message: 'without VRM the rates cannot be computed',
      },
    ]);
    job.publish({ name: 'ptasp_inputs', table: read.table, orderBy: ['agency', 'mode', 'year'] });
  },
};
