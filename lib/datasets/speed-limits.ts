// Posted speed limit per TMC, the input PHED's threshold speed needs (23 CFR 490.711(c)); NPMRDS
// does not carry it. Accepts the fhwa_pm3 layout (tmc,speed_limit) and conflated tables such as
// the Boston MPO's (tmc, …, final_speed_limit).
import type { TableSpec } from './spec';
import type { DatasetType } from './types';

export const speedLimitFileSpec: TableSpec = {
  name: 'speed_limits_file',
  description: 'TMC posted speed limits (tmc, speed_limit)',
  columns: [
    { name: 'tmc', type: 'VARCHAR', description: 'TMC code', required: true, aliases: ['tmc_code'] },
    {
      name: 'speed_limit',
      type: 'DOUBLE',
      description: 'Posted speed limit',
      unit: 'mph',
      required: true,
      aliases: ['final_speed_limit', 'posted_speed_limit', 'speed_limit_mph'],
    },
  ],
};

export const speedLimitsSpec: TableSpec = {
  name: 'speed_limits',
  description: 'Posted speed limit per TMC',
  key: ['tmc_code'],
  columns: [
    { name: 'tmc_code', type: 'VARCHAR', description: 'TMC code' },
    { name: 'speed_limit', type: 'DOUBLE', description: 'Posted speed limit', unit: 'mph' },
  ],
};

export const dataset: DatasetType = {
  type: 'speed_limits',
  title: 'TMC posted speed limits',
  description:
    'Posted speed limit for each NPMRDS TMC, used for the PHED threshold speed (max of 20 mph and 60% of the limit).',
  source: 'State or MPO road inventory conflated to NPMRDS TMCs',
  license: 'As published by the agency',
  keywords: ['speed limit', 'PHED', 'PM3'],
  tables: [speedLimitsSpec],
  detect: (files) => files.some((f) => /speed_?limits?.*\.csv$/i.test(f.name)),
  async ingest(job) {
    const parts: string[] = [];
    for (const f of job.find(/\.csv$/i)) {
      const read = await job.readTable(f, speedLimitFileSpec, { nullStrings: ['', 'null', 'NULL', 'NA'] });
      if (!read) continue;
      await job.checkRows(read, [
        {
          code: 'missing_tmc_code',
          severity: 'error',
          column: 'tmc',
          where: 'tmc is null',
          message: 'row has no TMC code',
        },
        {
          code: 'missing_speed_limit',
          severity: 'warning',
          column: 'speed_limit',
          where: 'speed_limit is null',
          message: 'no speed limit: this TMC gets no PHED (the rule needs the posted limit)',
          quarantine: true,
        },
        {
          code: 'implausible_speed_limit',
          severity: 'error',
          column: 'speed_limit',
          where: 'speed_limit < 5 or speed_limit > 90',
          message: 'speed limit outside 5-90 mph',
          fix: 'give the posted limit in miles per hour',
        },
        {
          code: 'duplicate_tmc',
          severity: 'warning',
          column: 'tmc',
          where: `__row in (select __row from (select __row, row_number() over (partition by tmc order by __row) as k from ${read.table}) where k > 1)`,
          message: 'this TMC is listed again; the first row is used',
          quarantine: true,
        },
      ]);
      parts.push(`select tmc as tmc_code, speed_limit from ${read.table}`);
    }
    if (parts.length === 0) return;
    await job.db.run(
      `create or replace table speed_limits as select * from (${parts.join(' union all ')}) qualify row_number() over (partition by tmc_code) = 1`,
    );
    job.publish({ name: 'speed_limits', table: 'speed_limits', orderBy: ['tmc_code'] });
  },
};
