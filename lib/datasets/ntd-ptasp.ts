// Transit safety inputs for the PTASP measures (49 CFR 673; National Public Transportation Safety
// Plan, research/transit.md §6): per agency, mode and year the NTD safety counts, the major
// mechanical failures and the vehicle revenue miles, with the agency's targets when known. The
// 2024 plan's additions (collisions with pedestrian and vehicular subsets, transit worker
// fatalities and injuries, assaults on transit workers) are optional columns: older files without
// them still load, and their measures appear only where a count is given.
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
      name: 'safety_events',
      type: 'DOUBLE',
      description: 'Reportable safety events',
      min: 0,
      aliases: ['events'],
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
      name: 'target_fatality_rate',
      type: 'DOUBLE',
      description: 'Target: fatalities per 100,000 VRM',
      min: 0,
    },
    { name: 'target_injury_rate', type: 'DOUBLE', description: 'Target: injuries per 100,000 VRM', min: 0 },
    {
      name: 'target_event_rate',
      type: 'DOUBLE',
      description: 'Target: safety events per 100,000 VRM',
      min: 0,
    },
    ...(
      [
        ['target_collision_rate', 'collisions'],
        ['target_pedestrian_collision_rate', 'pedestrian collisions'],
        ['target_vehicular_collision_rate', 'vehicular collisions'],
        ['target_transit_worker_fatality_rate', 'transit worker fatalities'],
        ['target_transit_worker_injury_rate', 'transit worker injuries'],
        ['target_assault_rate', 'assaults on transit workers'],
      ] as const
    ).map(([name, what]) => ({
      name,
      type: 'DOUBLE' as const,
      description: `Target: ${what} per 100,000 VRM`,
      min: 0,
    })),
    {
      name: 'target_mdbf',
      type: 'DOUBLE',
      description: 'Target: mean distance between major mechanical failures (miles)',
      min: 0,
    },
  ],
};

export const dataset: DatasetType = {
  type: 'ntd_ptasp',
  title: 'Transit safety (PTASP) inputs',
  description:
    'Fatalities, injuries, safety events, major mechanical failures and VRM by agency, mode and year, with targets, for the PTASP safety performance measures.',
  source: "NTD Safety & Security reporting and the agencies' safety plans",
  license: 'Public domain (NTD) or as provided by the agencies',
  keywords: ['transit', 'safety', 'ptasp'],
  tables: [{ ...ptaspFile, name: 'ptasp_inputs', key: ['agency', 'mode', 'year'] }],
  async ingest(job: IngestJob) {
    const file = job.single(/\.(csv|xlsx)$/i, {
      code: 'no_ptasp_file',
      message: 'no safety CSV/XLSX was given',
      fix: 'give a CSV with agency, mode, year, fatalities, injuries, safety_events, major_mechanical_failures, vrm',
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
        // the 2017 plan's guidance counts collisions among safety events (derailments, collisions,
        // fires, evacuations: FTA PTASP technical-assistance forum, quoting the plan's p. 39)
        code: 'collisions_exceed_events',
        severity: 'warning',
        quarantine: false,
        column: 'collisions',
        where: 'collisions > safety_events',
        message: 'more collisions than safety events, though collisions are safety events',
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
