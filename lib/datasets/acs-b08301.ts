// ACS table B08301 "Means of transportation to work" as data.census.gov exports it
// (research/datasets.md §6.1): variable codes on line 1, labels on line 2, every value quoted,
// suppressed values as the string "null", a trailing comma. One file per year; the year and
// survey (1- or 5-year) come from the file name (ACSDT1Y2019.B08301-Data.csv).
import type { ColumnSpec, TableSpec } from './spec';
import type { DatasetType } from './types';

const est = (code: string, description: string): ColumnSpec[] => [
  {
    name: `B08301_${code}E`,
    type: 'INTEGER',
    description: `${description} (estimate)`,
    unit: 'workers',
    min: 0,
    required: code === '001' || code === '003',
  },
  {
    name: `B08301_${code}M`,
    type: 'INTEGER',
    description: `${description} (90% margin of error)`,
    unit: 'workers',
    min: 0,
  },
];

export const acsB08301File: TableSpec = {
  name: 'acs_b08301',
  description: 'ACS B08301 means of transportation to work',
  columns: [
    {
      name: 'GEO_ID',
      type: 'VARCHAR',
      description: 'Census geography id (summary level + US + FIPS)',
      required: true,
      notNull: true,
    },
    { name: 'NAME', type: 'VARCHAR', description: 'Geographic area name', required: true },
    ...est('001', 'Workers 16 years and over'),
    ...est('002', 'Car, truck, or van'),
    ...est('003', 'Drove alone'),
    ...est('004', 'Carpooled'),
    ...est('010', 'Public transportation (excluding taxicab)'),
    ...est('016', 'Taxicab (2024: taxi or ride-hailing)'),
    ...est('017', 'Motorcycle'),
    ...est('018', 'Bicycle'),
    ...est('019', 'Walked'),
    ...est('020', 'Other means'),
    ...est('021', 'Worked from home'),
  ],
};

export const acsCommuteTable: TableSpec = {
  name: 'acs_commute_mode',
  description: 'Workers 16+ by means of transportation to work, per geography and ACS year',
  key: ['geo_id', 'year'],
  columns: [
    { name: 'geo_id', type: 'VARCHAR', description: 'Census geography id' },
    { name: 'name', type: 'VARCHAR', description: 'Geographic area name' },
    { name: 'year', type: 'INTEGER', description: 'Last year of the ACS period' },
    { name: 'survey', type: 'VARCHAR', description: 'acs1 or acs5' },
    { name: 'workers', type: 'INTEGER', description: 'Workers 16 years and over', unit: 'workers' },
    {
      name: 'workers_moe',
      type: 'INTEGER',
      description: 'Margin of error of workers (90%)',
      unit: 'workers',
    },
    {
      name: 'drove_alone',
      type: 'INTEGER',
      description: 'Drove alone (single-occupant vehicle)',
      unit: 'workers',
    },
    {
      name: 'drove_alone_moe',
      type: 'INTEGER',
      description: 'Margin of error of drove alone (90%)',
      unit: 'workers',
    },
    { name: 'carpooled', type: 'INTEGER', description: 'Carpooled', unit: 'workers' },
    { name: 'public_transportation', type: 'INTEGER', description: 'Public transportation', unit: 'workers' },
    { name: 'bicycle', type: 'INTEGER', description: 'Bicycle', unit: 'workers' },
    { name: 'walked', type: 'INTEGER', description: 'Walked', unit: 'workers' },
    { name: 'worked_from_home', type: 'INTEGER', description: 'Worked from home', unit: 'workers' },
    {
      name: 'other_modes',
      type: 'INTEGER',
      description: 'Taxicab, motorcycle and other means',
      unit: 'workers',
    },
    { name: 'source_file', type: 'VARCHAR', description: 'File the row came from' },
  ],
};

const FILE = /^ACS(DT|ST)(1|5)Y(\d{4})\.B08301-Data\.(csv|xlsx)$/i;

export const dataset: DatasetType = {
  type: 'acs_b08301',
  title: 'ACS commute mode (B08301)',
  description:
    'American Community Survey table B08301, means of transportation to work, for workers 16 and over: the input to the PM3 non-single-occupancy-vehicle (non-SOV) travel measure.',
  source: 'U.S. Census Bureau, American Community Survey (data.census.gov, table B08301)',
  license: 'Public domain (U.S. Government work)',
  keywords: ['commute', 'mode share', 'non-SOV', 'ACS', 'PM3'],
  tables: [acsCommuteTable],
  detect: (files) => files.some((f) => /B08301-Data\.csv$/i.test(f.name)),
  async ingest(job) {
    const files = job.find(/\.(csv|xlsx)$/i);
    const reads: { table: string; year: number; survey: string; file: string }[] = [];
    for (const f of files) {
      const base = f.name.split('/').at(-1)!;
      const m = FILE.exec(base);
      const year = m ? Number(m[3]) : Number(job.flags.year);
      if (!year) {
        job.issues.error({
          code: 'unknown_year',
          file: f.name,
          message:
            "cannot tell the ACS year: the file name is not data.census.gov's (ACSDT1Y<year>.B08301-Data.csv)",
          fix: 'keep the downloaded file name, or give --year',
        });
        continue;
      }
      const read = await job.readTable(f, acsB08301File, {
        nullStrings: ['', 'null', '(X)', 'N', '*****'],
        skipAfterHeader: 1,
      });
      if (!read) continue;
      await job.checkRows(read, [
        {
          code: 'drove_alone_exceeds_workers',
          severity: 'error',
          column: 'B08301_003E',
          where: 'B08301_003E > B08301_001E',
          message: 'more workers drove alone than there are workers',
          fix: 'check the row was not shifted',
        },
        {
          code: 'suppressed_estimate',
          severity: 'warning',
          column: 'B08301_001E',
          where: 'B08301_001E is null',
          message: 'the Census Bureau suppressed this estimate (too few sample cases); kept with no value',
          quarantine: false,
        },
      ]);
      reads.push({ table: read.table, year, survey: m?.[2] === '5' ? 'acs5' : 'acs1', file: f.name });
    }
    if (reads.length === 0) return;
    const { registerInput, runQueries } = await import('../engine/runner');
    const union = reads
      .map(
        (_, i) =>
          `select *, $year_${i}::integer as year, $survey_${i} as survey, $file_${i} as source_file from ${reads[i]!.table}`,
      )
      .join(' union all ');
    const params: Record<string, unknown> = {};
    reads.forEach((r, i) => {
      params[`year_${i}`] = r.year;
      params[`survey_${i}`] = r.survey;
      params[`file_${i}`] = r.file;
    });
    await job.db.run(`create or replace table acs_b08301_raw as ${union}`, params as never);
    await registerInput(job.db, 'acs_b08301_file', { kind: 'table', table: 'acs_b08301_raw' });
    await runQueries(job.db, { targets: ['stg_acs__commute_mode'] });
    job.publish({ name: 'acs_commute_mode', table: 'stg_acs__commute_mode', orderBy: ['year', 'geo_id'] });
  },
};
