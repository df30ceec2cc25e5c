// NTD monthly ridership, long format (one row per agency × mode × type of service × month): the
// long export of FTA's "Complete Monthly Ridership (with adjustments and estimates)" (columns NTD
// ID, Legacy NTD ID, Agency, Mode/Type of Service Status, Active, Reporter Type, UACE CD, UZA Name,
// Mode, TOS, 3 Mode, Date, UPT, VOMS, VRH, VRM, … as a public loader of the data.transportation.gov
// file lists them), or the wide Excel workbook of either release, pivoted first
// (lib/transit/ntd-workbook.ts). Columns are matched with aliases; unmatched ones are reported.

import { queryRows } from '../engine/duckdb';
import type { IngestJob } from '../ingest/job';
import { splitHeader } from '../ingest/read-csv';
import { readFirstLine } from '../ingest/text';
import {
  isWideNtdHeader,
  measureFromName,
  ntdGridsToLongCsv,
  ntdWorkbookToLongCsv,
} from '../transit/ntd-workbook';
import type { TableSpec } from './spec';
import type { DatasetType } from './types';

export const ntdMonthlyFile: TableSpec = {
  name: 'ntd_monthly',
  description: 'NTD monthly ridership (long format)',
  columns: [
    {
      name: 'ntd_id',
      type: 'VARCHAR',
      description: '5-digit NTD ID (first digit = FTA region)',
      required: true,
      notNull: true,
      aliases: ['NTD ID', '5 digit NTD ID'],
    },
    { name: 'agency', type: 'VARCHAR', description: 'Agency name', aliases: ['Agency Name'] },
    {
      name: 'mode',
      type: 'VARCHAR',
      description:
        'NTD mode code (MB bus, RB BRT, CR commuter rail, LR, HR, DR demand response, VP vanpool, …)',
      required: true,
      notNull: true,
      aliases: ['Modes'],
    },
    {
      name: 'tos',
      type: 'VARCHAR',
      description: 'Type of service (DO directly operated, PT purchased transportation, TX, TN)',
      required: true,
      aliases: ['Type of Service', 'TOS'],
    },
    {
      name: 'date',
      type: 'VARCHAR',
      description: 'Month (first day, or "January 2024", or 1/2024)',
      required: true,
      notNull: true,
      aliases: ['Month', 'Period', 'Date'],
    },
    { name: 'uza_name', type: 'VARCHAR', description: 'Urbanized area', aliases: ['UZA Name'] },
    {
      name: 'uace_cd',
      type: 'VARCHAR',
      description: 'Census urban area code (UACE), for selecting the agencies of an MPO area',
      aliases: ['UACE CD', 'UACE Code'],
    },
    { name: 'reporter_type', type: 'VARCHAR', description: 'NTD reporter type (Full Reporter, …)' },
    {
      name: 'status',
      type: 'VARCHAR',
      description: 'Mode/Type of Service Status (Active/Inactive)',
      aliases: ['Mode/Type of Service Status'],
    },
    {
      name: 'upt',
      type: 'DOUBLE',
      description: 'Unlinked passenger trips',
      unit: 'trips',
      min: 0,
      aliases: ['Unlinked Passenger Trips'],
    },
    {
      name: 'vrm',
      type: 'DOUBLE',
      description: 'Vehicle revenue miles',
      unit: 'miles',
      min: 0,
      aliases: ['Vehicle Revenue Miles'],
    },
    {
      name: 'vrh',
      type: 'DOUBLE',
      description: 'Vehicle revenue hours',
      unit: 'hours',
      min: 0,
      aliases: ['Vehicle Revenue Hours'],
    },
    {
      name: 'voms',
      type: 'DOUBLE',
      description: 'Vehicles operated in maximum service',
      unit: 'vehicles',
      min: 0,
      aliases: ['Vehicles Operated in Maximum Service'],
    },
  ],
};

export const dataset: DatasetType = {
  type: 'ntd_monthly',
  title: 'NTD monthly ridership (UPT, VRM, VRH, VOMS)',
  description:
    'FTA National Transit Database monthly module: unlinked trips, revenue miles and hours and peak vehicles by agency, mode and type of service.',
  source: 'FTA National Transit Database, Monthly Module (transit.dot.gov/ntd/monthly-ridership)',
  license: 'Public domain (U.S. DOT)',
  keywords: ['transit', 'ntd', 'ridership'],
  tables: [
    {
      name: 'ntd_monthly',
      description: 'NTD monthly measures by agency, mode, type of service and month',
      key: ['ntd_id', 'mode', 'tos', 'month'],
      columns: [
        { name: 'ntd_id', type: 'VARCHAR', description: 'NTD ID' },
        { name: 'agency', type: 'VARCHAR', description: 'Agency' },
        { name: 'mode', type: 'VARCHAR', description: 'NTD mode' },
        { name: 'tos', type: 'VARCHAR', description: 'Type of service' },
        { name: 'month', type: 'DATE', description: 'First day of the month' },
        { name: 'uza_name', type: 'VARCHAR', description: 'Urbanized area' },
        { name: 'uace_cd', type: 'VARCHAR', description: 'Census urban area code' },
        { name: 'reporter_type', type: 'VARCHAR', description: 'NTD reporter type' },
        { name: 'upt', type: 'DOUBLE', description: 'Unlinked passenger trips', unit: 'trips' },
        { name: 'vrm', type: 'DOUBLE', description: 'Vehicle revenue miles', unit: 'miles' },
        { name: 'vrh', type: 'DOUBLE', description: 'Vehicle revenue hours', unit: 'hours' },
        {
          name: 'voms',
          type: 'DOUBLE',
          description: 'Vehicles operated in maximum service',
          unit: 'vehicles',
        },
      ],
    },
  ],
  async ingest(job: IngestJob) {
    const files = job.find(/\.(csv|xlsx)$/i);
    if (!files.length) {
      job.issues.error({
        code: 'no_ntd_file',
        message: 'no CSV or XLSX was given',
        fix: 'give the NTD Monthly Module workbook or its long CSV export',
      });
      return;
    }
    const parts: string[] = [];
    for (const given of files) {
      let file = given;
      if (/\.xlsx$/i.test(given.name)) {
        const csv = await ntdWorkbookToLongCsv(given, job.scratch, job.issues);
        if (!csv) continue;
        file = { ...given, name: `${given.name} (pivoted to one row per month)`, localPath: csv };
      } else if (
        isWideNtdHeader(splitHeader((await readFirstLine(given.localPath)).replace(/^\uFEFF/, ''), ','))
      ) {
        // one sheet of the workbook saved as CSV: the file name must say which measure it holds
        const measure = measureFromName(given.name);
        if (!measure) {
          job.issues.error({
            code: 'ntd_wide_csv_measure',
            file: given.name,
            message:
              'this CSV is one sheet of the monthly workbook (month columns), but its name does not say which of UPT, VRM, VRH, VOMS it holds',
            fix: 'name it after its measure (e.g. ntd_UPT.csv), or give the whole workbook',
          });
          continue;
        }
        const cells = await queryRows<Record<string, string | null>>(
          job.db,
          `select * from read_csv($p, header = false, all_varchar = true, delim = ',', quote = '"', null_padding = true)`,
          { p: given.localPath },
        );
        const grid = { name: `${measure} (CSV)`, measure, rows: cells.map((r) => Object.values(r)) };
        const csv = await ntdGridsToLongCsv(
          given,
          [grid],
          job.scratch,
          job.issues,
          `one CSV sheet, taken as ${measure}`,
        );
        if (!csv) continue;
        file = { ...given, name: `${given.name} (pivoted to one row per month)`, localPath: csv };
      }
      const read = await job.readTable(file, ntdMonthlyFile, { nullStrings: ['', 'NA', 'null'] });
      if (!read) continue;
      // Months arrive as 2024-01-01, 01/01/2024, 1/2024 or "January 2024" depending on the export;
      // the portal's long file may add a time of day (not seen on a downloaded file, so accepted too).
      await job.db.run(
        `create or replace table ${read.table}_m as select *, coalesce(
           try_strptime(trim(date), '%Y-%m-%d'), try_strptime(trim(date), '%m/%d/%Y'), try_strptime(trim(date), '%m/%Y'),
           try_strptime(trim(date), '%B %Y'), try_strptime(trim(date), '%b %Y'), try_strptime(trim(date), '%Y-%m'),
           try_strptime(trim(date), '%Y-%m-%dT%H:%M:%S.%g'), try_strptime(trim(date), '%Y-%m-%dT%H:%M:%S'),
           try_strptime(trim(date), '%m/%d/%Y %I:%M:%S %p'))::date as month_parsed
         from ${read.table}`,
      );
      await job.db.run(`drop table ${read.table}; alter table ${read.table}_m rename to ${read.table}`);
      await job.checkRows(read, [
        {
          code: 'bad_month',
          severity: 'error',
          column: 'date',
          where: 'month_parsed is null',
          message:
            'the month is not a date the NTD exports use (2024-01-01, 01/01/2024, 1/2024, January 2024)',
        },
        {
          code: 'duplicate_row',
          severity: 'error',
          column: 'ntd_id',
          where: `__row in (select __row from (select __row, row_number() over (partition by ntd_id, mode, tos, date_trunc('month', month_parsed) order by __row) as n from ${read.table}) where n > 1)`,
          message: 'another row has the same agency, mode, type of service and month; the first is kept',
        },
      ]);
      parts.push(read.table);
    }
    if (!parts.length) return;
    await job.db.run(
      // one sheet per CSV (UPT.csv, VRM.csv, …) gives each measure in its own part, so the parts are
      // merged per agency, mode, service and month; within a part duplicates were refused above
      `create or replace table ntd_monthly_out as
       select trim(ntd_id) as ntd_id, any_value(agency) as agency, upper(trim(mode)) as mode,
         upper(trim(coalesce(tos, ''))) as tos, date_trunc('month', month_parsed)::date as month,
         any_value(uza_name) as uza_name, any_value(uace_cd) as uace_cd, any_value(reporter_type) as reporter_type,
         max(upt) as upt, max(vrm) as vrm, max(vrh) as vrh, max(voms) as voms
       from (${parts.map((p) => `select * from ${p}`).join(' union all by name ')})
       group by all
       having not coalesce(bool_or(lower(status) = 'inactive'), false) or max(upt) is not null`,
    );
    job.publish({
      name: 'ntd_monthly',
      table: 'ntd_monthly_out',
      orderBy: ['ntd_id', 'mode', 'tos', 'month'],
    });
  },
};
