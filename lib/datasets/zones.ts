// Analysis zones for transit coverage and accessibility: census block groups or TAZs as points
// (internal point / centroid), with population, jobs (e.g. LODES WAC totals) and an optional
// equity flag (Title VI / EJ focus area). One named dataset per zone system: zones.<name>.
import type { IngestJob } from '../ingest/job';
import type { TableSpec } from './spec';
import type { DatasetType } from './types';

export const zonesTable: TableSpec = {
  name: 'zones',
  description: 'analysis zones (id, lon/lat, population, jobs)',
  key: ['zone_id'],
  columns: [
    {
      name: 'zone_id',
      type: 'VARCHAR',
      description: 'Zone id (block group GEOID, TAZ number)',
      required: true,
      notNull: true,
      aliases: ['geoid', 'taz', 'id', 'zone'],
    },
    { name: 'name', type: 'VARCHAR', description: 'Zone name' },
    {
      name: 'lon',
      type: 'DOUBLE',
      description: 'Longitude of the internal point (WGS84)',
      required: true,
      notNull: true,
      min: -180,
      max: 180,
      aliases: ['longitude', 'x', 'intptlon'],
    },
    {
      name: 'lat',
      type: 'DOUBLE',
      description: 'Latitude of the internal point (WGS84)',
      required: true,
      notNull: true,
      min: -90,
      max: 90,
      aliases: ['latitude', 'y', 'intptlat'],
    },
    {
      name: 'population',
      type: 'DOUBLE',
      description: 'Residents',
      unit: 'persons',
      required: true,
      min: 0,
      aliases: ['pop', 'total_population'],
    },
    {
      name: 'jobs',
      type: 'DOUBLE',
      description: 'Jobs located in the zone',
      unit: 'jobs',
      required: true,
      min: 0,
      aliases: ['employment', 'emp', 'c000'],
    },
    {
      name: 'equity_area',
      type: 'BOOLEAN',
      description: 'Zone is an equity focus area (e.g. minority or low-income block group)',
      aliases: ['equity', 'ej', 'title_vi'],
    },
  ],
};

export const dataset: DatasetType = {
  type: 'zones',
  title: 'Analysis zones (population and jobs)',
  description:
    'Block groups or TAZs as points with population, jobs and an optional equity flag, for transit coverage and accessibility.',
  source: 'The MPO (Census PL 94-171 / ACS population, LEHD LODES WAC jobs, internal points)',
  license: 'Public domain (Census, LEHD) or as published by the MPO',
  keywords: ['zones', 'taz', 'block groups', 'population', 'jobs'],
  named: true,
  tables: [zonesTable],
  detect: (files) => files.some((f) => /zones?\.csv$/i.test(f.name)),
  async ingest(job: IngestJob) {
    const file = job.single(/\.(csv|xlsx)$/i, {
      code: 'no_zone_file',
      message: 'no CSV or XLSX file of zones was given',
      fix: 'give a CSV with zone_id, lon, lat, population, jobs',
    });
    if (!file) return;
    const read = await job.readTable(file, zonesTable);
    if (!read) return;
    await job.checkRows(read, [
      {
        code: 'missing_value',
        severity: 'error',
        column: 'zone_id',
        where: 'zone_id is null',
        message: 'zone_id is empty',
      },
      {
        code: 'missing_value',
        severity: 'error',
        column: 'lon',
        where: 'lon is null or lat is null',
        message: 'the zone has no coordinates',
      },
      {
        code: 'out_of_range',
        severity: 'error',
        column: 'lat',
        where: 'lat not between -90 and 90 or lon not between -180 and 180',
        message: 'coordinates outside the globe (lon/lat swapped?)',
      },
      {
        code: 'negative_count',
        severity: 'error',
        column: 'population',
        where: 'population < 0 or jobs < 0',
        message: 'population and jobs cannot be negative',
      },
      {
        code: 'duplicate_zone',
        severity: 'error',
        column: 'zone_id',
        where: `__row in (select __row from (select __row, row_number() over (partition by zone_id order by __row) as n from ${read.table}) where n > 1)`,
        message: 'the zone id appears twice; the first row is kept',
      },
    ]);
    await job.db.run(
      `create or replace table zones_out as select zone_id, name, lon, lat, coalesce(population, 0) as population, coalesce(jobs, 0) as jobs, equity_area from ${read.table}`,
    );
    job.publish({
      name: 'zones',
      table: 'zones_out',
      orderBy: ['zone_id'],
      geometry: { lon: 'lon', lat: 'lat' },
    });
  },
};
