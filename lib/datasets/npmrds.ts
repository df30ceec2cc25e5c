// NPMRDS exports from RITIS's Massive Data Downloader (research/datasets.md §1): a ZIP or loose
// files with TMC_Identification.csv and one readings CSV per vehicle class (all vehicles,
// passenger, trucks), or one merged CSV with a `datasource` column. Epochs of 5 or 15 minutes,
// travel time in seconds or minutes, stamps in local time or with an offset. The curated readings
// are 15-minute epochs in each TMC's local time, partitioned by year and TMC shard.

import { queryRows } from '../engine/duckdb';
import { registerInput, runQueries } from '../engine/runner';
import type { IngestJob } from '../ingest/job';
import type { CsvRead } from '../ingest/read-csv';
import { epochsSpec, readingsFileSpec, readingsSpec, tmcIdentificationSpec } from './npmrds-specs';
import type { DatasetType } from './types';

const TMC_FILE = /^TMC_Identification.*\.csv$/i;
const NOT_READINGS =
  /^(TMC_Identification.*|Contents.*|speed_limits?.*|urbani[sz]ed.*population.*|.*readme.*)\.(csv|txt)$/i;
const NULLS = ['', 'null', 'NULL', 'NA'];

// A stamp that ends in an offset (Z, +hh, -hh:mm) after a clock time is an instant.
const OFFSET = `'\\d:\\d\\d(:\\d\\d(\\.\\d+)?)?\\s*(Z|[+-]\\d\\d(:?\\d\\d)?)$'`;
const LOCAL_FORMATS = `['%m/%d/%y %I:%M:%S %p', '%m/%d/%Y %I:%M:%S %p', '%m/%d/%Y %H:%M:%S', '%m/%d/%Y %H:%M', '%m/%d/%y %H:%M']`;

export const dataset: DatasetType = {
  type: 'npmrds',
  title: 'NPMRDS travel times',
  description:
    'National Performance Management Research Data Set: 15-minute travel times per TMC segment for all vehicles, passenger vehicles and trucks, with the TMC_Identification attributes (length, functional system, NHS, AADT, time zone). The input to the PM3 reliability, freight and PHED metrics and to the congestion analytics.',
  source: 'FHWA NPMRDS via RITIS Massive Data Downloader (INRIX / UMD CATT Lab)',
  license: 'NPMRDS data-use terms of FHWA/RITIS (for public agencies); redistribution may be restricted',
  keywords: ['NPMRDS', 'travel time', 'PM3', 'reliability', 'TMC'],
  tables: [tmcIdentificationSpec, readingsSpec, epochsSpec],
  detect: (files) => files.some((f) => TMC_FILE.test(baseName(f.name))),
  async ingest(job) {
    const tmc = await readTmcFiles(job);
    if (!tmc) return;
    const readings = job.files.filter((f) => /\.csv$/i.test(f.name) && !NOT_READINGS.test(baseName(f.name)));
    if (readings.length === 0) {
      job.issues.warn({
        code: 'no_readings',
        message: 'only the TMC file was given: the TMC attributes are published without travel times',
        fix: 'add the readings CSV(s) of the RITIS export to compute PM3',
      });
      job.publish({ name: 'tmc_identification', table: tmc, orderBy: ['tmc'] });
      return;
    }
    const parts: string[] = [];
    for (const f of readings) {
      const read = await job.readTable(f, readingsFileSpec, { nullStrings: NULLS });
      if (!read) continue;
      if (!read.present.includes('travel_time_seconds') && !read.present.includes('travel_time_minutes')) {
        job.issues.error({
          code: 'no_travel_time_column',
          file: f.name,
          line: 1,
          message: 'the file has neither travel_time_seconds nor travel_time_minutes',
          fix: 'export travel times (seconds) from the Massive Data Downloader',
        });
        continue;
      }
      await normaliseReadings(job, read, classOf(job, f.name));
      await checkReadings(job, read, tmc);
      parts.push(read.table);
    }
    if (parts.length === 0) return;
    await job.db.run(
      `create or replace table npmrds_readings_union as ${parts
        .map((t) => `select tmc_code, vehicle_class, ts_local, ts_offset, travel_time_seconds from ${t}`)
        .join(' union all ')}`,
    );
    await reportDuplicates(job);
    await registerInput(job.db, 'npmrds_raw_readings', { kind: 'table', table: 'npmrds_readings_union' });
    await registerInput(job.db, 'npmrds_raw_tmc', { kind: 'table', table: tmc });
    await runQueries(job.db, { targets: ['stg_npmrds__readings'] });
    await reportGaps(job, tmc);
    // The per-epoch series PM3 reads (all-vehicle and freight, the truck substitution made), built
    // once here by the same query compute would otherwise run on every PM3 run.
    await registerInput(job.db, 'npmrds__readings', { kind: 'table', table: 'stg_npmrds__readings' });
    await runQueries(job.db, { targets: ['int_npmrds__epochs'] });
    job.publish({ name: 'tmc_identification', table: tmc, orderBy: ['tmc'] });
    job.publish({ name: 'readings', table: 'stg_npmrds__readings', partitionBy: ['year', 'shard'] });
    job.publish({
      name: 'epochs',
      table: 'int_npmrds__epochs',
      partitionBy: ['year', 'shard'],
      derived: true,
    });
  },
};

function baseName(name: string) {
  return name.split('/').at(-1) ?? name;
}

/** Reads every TMC_Identification file (13/18/39/43 columns, BOM or not) into one table. */
async function readTmcFiles(job: IngestJob): Promise<string | null> {
  const files = job.find(TMC_FILE);
  if (files.length === 0) {
    job.issues.error({
      code: 'no_tmc_file',
      message:
        'no TMC_Identification.csv among the files: readings cannot be placed in local time or on the NHS without it',
      fix: 'ingest the whole RITIS export ZIP, which always contains TMC_Identification.csv',
    });
    return null;
  }
  const reads: CsvRead[] = [];
  for (const f of files) {
    const read = await job.readTable(f, tmcIdentificationSpec, { nullStrings: NULLS });
    if (!read) continue;
    const t = read.table;
    await job.checkRows(read, [
      {
        code: 'duplicate_tmc',
        severity: 'warning',
        column: 'tmc',
        where: `__row in (select __row from (select __row, row_number() over (partition by tmc order by __row) as k from ${t}) where k > 1)`,
        message: 'this TMC is listed again; the first row is used',
        quarantine: true,
      },
      {
        code: 'missing_tmc_code',
        severity: 'error',
        column: 'tmc',
        where: 'tmc is null',
        message: 'row has no TMC code',
      },
      {
        code: 'nonpositive_length',
        severity: 'warning',
        column: 'miles',
        where: 'miles is null or miles <= 0',
        message: 'TMC length is missing or not positive: its person-miles weight is zero',
        quarantine: false,
      },
    ]);
    if (!read.present.includes('timezone_name')) {
      job.issues.info({
        code: 'no_timezone_column',
        file: f.name,
        message:
          'this TMC file has no timezone_name column (an early 13-column export): stamps with an offset are read as UTC',
      });
    }
    if (!read.present.includes('f_system') || !read.present.includes('nhs')) {
      job.issues.warn({
        code: 'no_hpms_attributes',
        file: f.name,
        message:
          'this TMC file lacks the HPMS attributes (f_system, faciltype, nhs, aadt): the PM3 measures need them, so these TMCs will be listed as excluded',
        fix: 'export the NPMRDS TMC file (39 or 43 columns) rather than an INRIX or early export',
      });
    }
    reads.push(read);
  }
  if (reads.length === 0) return null;
  const union = reads
    .map((r, i) => `select * exclude (__row), ${i} as __file, __row as __line from ${r.table}`)
    .join(' union all by name ');
  // Several exports of the same network: one row per TMC, the first file wins.
  await job.db.run(
    `create or replace table npmrds_tmc as select * exclude (__file, __line) from (${union})
     qualify row_number() over (partition by tmc order by __file, __line) = 1`,
  );
  return 'npmrds_tmc';
}

function classOf(job: IngestJob, fileName: string): string {
  const forced = job.flags['vehicle-class'];
  if (typeof forced === 'string') return forced;
  const b = baseName(fileName).toLowerCase();
  if (/truck|freight/.test(b)) return 'truck';
  if (/passenger/.test(b)) return 'passenger';
  return 'all';
}

/** Adds vehicle_class, travel time in seconds and the parsed stamp (local, or an instant). */
async function normaliseReadings(job: IngestJob, read: CsvRead, fileClass: string) {
  const wallClock = job.flags.timestamps === 'wall-clock';
  const m = 'measurement_tstamp';
  const local = wallClock
    ? `try_cast(regexp_replace(trim(${m}), '\\s*(Z|[+-]\\d\\d(:?\\d\\d)?)$', '') as timestamp)`
    : `case when regexp_matches(trim(${m}), ${OFFSET}) then null else coalesce(try_cast(trim(${m}) as timestamp), try_strptime(trim(${m}), ${LOCAL_FORMATS})) end`;
  const offset = wallClock
    ? 'null::timestamptz'
    : `case when regexp_matches(trim(${m}), ${OFFSET}) then try_cast(trim(${m}) as timestamptz) end`;
  await job.db.run(
    `create or replace table ${read.table} as
     select *,
       case
         when datasource ilike '%truck%' or datasource ilike '%freight%' then 'truck'
         when datasource ilike '%passenger%' then 'passenger'
         when datasource is not null and datasource <> '' then 'all'
         else $cls
       end as vehicle_class,
       coalesce(travel_time_seconds, travel_time_minutes * 60) as tt,
       ${local} as ts_local,
       ${offset} as ts_offset
     from ${read.table}`,
    { cls: fileClass },
  );
  await job.db.run(`alter table ${read.table} drop column travel_time_seconds`);
  await job.db.run(`alter table ${read.table} rename column tt to travel_time_seconds`);
}

async function checkReadings(job: IngestJob, read: CsvRead, tmc: string) {
  await job.checkRows(read, [
    {
      code: 'bad_timestamp',
      severity: 'error',
      column: 'measurement_tstamp',
      where: 'ts_local is null and ts_offset is null',
      message:
        'measurement_tstamp is not a date and time (expected e.g. 2021-03-01 07:15:00, 2021-03-01T07:15:00-05:00 or 03/01/21 07:15:00 AM)',
      fix: 'correct the row or export again',
    },
    {
      code: 'unknown_tmc',
      severity: 'error',
      column: 'tmc_code',
      where: `tmc_code is null or tmc_code not in (select tmc from ${tmc})`,
      message:
        'this TMC is not in TMC_Identification.csv, so its length, time zone and NHS status are unknown',
      fix: 'ingest the TMC file of the same export (it lists every TMC in the readings)',
    },
    {
      code: 'negative_travel_time',
      severity: 'error',
      column: 'travel_time_seconds',
      where: 'travel_time_seconds < 0',
      message: 'travel time is negative',
    },
    {
      code: 'absurd_travel_time',
      severity: 'error',
      column: 'travel_time_seconds',
      where: 'travel_time_seconds > 86400',
      message: 'travel time is longer than a day',
    },
    {
      code: 'implausible_speed',
      severity: 'warning',
      column: 'travel_time_seconds',
      // RITIS drops probe speeds above 100 mph; 150 mph over the whole TMC is a data error.
      where: `travel_time_seconds > 0 and travel_time_seconds < 24 * (select t.miles from ${tmc} as t where t.tmc = tmc_code)`,
      message: 'travel time implies a speed above 150 mph over the TMC; kept, but check the export',
      quarantine: false,
    },
  ]);
  const [missing] = await queryRows<{ n: number }>(
    job.db,
    `select count(*)::bigint as n from ${read.table} where travel_time_seconds is null or travel_time_seconds = 0`,
  );
  if (missing && missing.n > 0) {
    job.issues.info({
      code: 'missing_travel_time',
      file: read.file.name,
      column: 'travel_time_seconds',
      count: missing.n,
      message: `${missing.n} rows have an empty or zero travel time: missing data, not replaced (23 CFR 490.509(b))`,
    });
  }
}

async function reportDuplicates(job: IngestJob) {
  const dups = await queryRows<{ tmc_code: string; vehicle_class: string; ts: string; n: number }>(
    job.db,
    `select tmc_code, vehicle_class, coalesce(ts_local::varchar, ts_offset::varchar) as ts, count(*)::bigint as n
     from npmrds_readings_union group by tmc_code, vehicle_class, ts_local, ts_offset having count(*) > 1
     order by tmc_code, ts limit 5`,
  );
  if (dups.length === 0) return;
  const [total] = await queryRows<{ n: number }>(
    job.db,
    `select coalesce(sum(n - 1), 0)::bigint as n from (select count(*) as n from npmrds_readings_union group by tmc_code, vehicle_class, ts_local, ts_offset having count(*) > 1)`,
  );
  job.issues.warn({
    code: 'duplicate_epoch',
    count: total?.n,
    message: `${total?.n} readings repeat a TMC, vehicle class and epoch already present (e.g. ${dups
      .map((d) => `${d.tmc_code} ${d.vehicle_class} ${d.ts} ×${d.n}`)
      .join('; ')}); repeated readings of one epoch are averaged`,
    fix: 'check the same readings file was not included twice',
  });
}

/** TMCs with few epochs (all vehicles) over the span of the data, and TMCs with none. */
async function reportGaps(job: IngestJob, tmc: string) {
  const rows = await queryRows<{ tmc_code: string; epochs: number; expected: number }>(
    job.db,
    `with span as (
       select (date_diff('day', min(measurement_tstamp)::date, max(measurement_tstamp)::date) + 1) * 96 as expected
       from stg_npmrds__readings where vehicle_class = 'all'
     )
     select tmc_code, count(*)::bigint as epochs, any_value(span.expected)::bigint as expected
     from stg_npmrds__readings, span where vehicle_class = 'all'
     group by tmc_code having count(*) < 0.5 * any_value(span.expected)
     order by epochs`,
  );
  if (rows.length > 0) {
    job.issues.warn({
      code: 'sparse_tmc',
      count: rows.length,
      message: `${rows.length} TMCs have all-vehicle travel times in fewer than half of the 15-minute epochs of the period (e.g. ${rows
        .slice(0, 5)
        .map((r) => `${r.tmc_code}: ${r.epochs} of ${r.expected}`)
        .join('; ')}); their percentiles rest on fewer observations (no minimum applies in 23 CFR 490)`,
    });
  }
  const [none] = await queryRows<{ n: number }>(
    job.db,
    `select count(*)::bigint as n from ${tmc} where tmc not in (select tmc_code from stg_npmrds__readings)`,
  );
  if (none && none.n > 0) {
    job.issues.info({
      code: 'tmc_without_readings',
      count: none.n,
      message: `${none.n} TMCs of the TMC file have no travel times in the readings`,
    });
  }
}
