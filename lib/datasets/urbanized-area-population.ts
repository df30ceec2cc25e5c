// Population of each urbanized area, for PHED per capita (23 CFR 490.713(b): the most recent
// Census annual estimate when the Biennial Report is due). One row per urban area code (the
// code NPMRDS carries in urban_code). An optional bus_avo column overrides FHWA's bus occupancy.
import type { TableSpec } from './spec';
import type { DatasetType } from './types';

export const uzaPopulationSpec: TableSpec = {
  name: 'urbanized_area_population',
  description: 'Urbanized area population (urban_code, name, population)',
  key: ['urban_code'],
  columns: [
    {
      name: 'urban_code',
      type: 'INTEGER',
      description: 'Census urban area code (UACE)',
      required: true,
      notNull: true,
      aliases: ['uace', 'uace10', 'uace20', 'uza_code', 'urban_id'],
    },
    {
      name: 'name',
      type: 'VARCHAR',
      description: 'Urbanized area name',
      aliases: ['uza_name', 'urbanized_area', 'area_name', 'namelsad'],
    },
    {
      name: 'population',
      type: 'BIGINT',
      description: 'Population',
      unit: 'persons',
      required: true,
      min: 0,
      aliases: ['pop', 'population_estimate', 'total_population'],
    },
    {
      name: 'year',
      type: 'INTEGER',
      description: 'Year of the population estimate',
      aliases: ['estimate_year'],
    },
    {
      name: 'bus_avo',
      type: 'DOUBLE',
      description: 'Bus average vehicle occupancy, if the State or MPO has its own',
      unit: 'persons/vehicle',
    },
  ],
};

export const dataset: DatasetType = {
  type: 'urbanized_area_population',
  title: 'Urbanized area population',
  description:
    'Population per Census urbanized area: the denominator of annual hours of peak hour excessive delay per capita.',
  source: 'U.S. Census Bureau population estimates',
  license: 'Public domain (U.S. Government work)',
  keywords: ['population', 'urbanized area', 'PHED', 'PM3'],
  tables: [uzaPopulationSpec],
  detect: (files) => files.some((f) => /urbani[sz]ed.*population.*\.csv$/i.test(f.name)),
  async ingest(job) {
    const parts: string[] = [];
    for (const f of job.find(/\.csv$/i)) {
      const read = await job.readTable(f, uzaPopulationSpec, { nullStrings: ['', 'null', 'NULL', 'NA'] });
      if (!read) continue;
      await job.checkRows(read, [
        {
          code: 'missing_urban_code',
          severity: 'error',
          column: 'urban_code',
          where: 'urban_code is null',
          message: 'row has no urban area code',
        },
        {
          code: 'nonpositive_population',
          severity: 'error',
          column: 'population',
          where: 'population is null or population <= 0',
          message: 'population must be a positive number',
        },
        {
          code: 'duplicate_urban_code',
          severity: 'error',
          column: 'urban_code',
          where: `__row in (select __row from (select __row, row_number() over (partition by urban_code order by __row) as k from ${read.table}) where k > 1)`,
          message: 'this urban area is listed twice',
          fix: 'keep one row per urban area (the most recent estimate)',
        },
      ]);
      parts.push(`select urban_code, name, population, year, bus_avo from ${read.table}`);
    }
    if (parts.length === 0) return;
    await job.db.run(`create or replace table uza_population as ${parts.join(' union all ')}`);
    job.publish({ name: 'urbanized_area_population', table: 'uza_population', orderBy: ['urban_code'] });
  },
};
