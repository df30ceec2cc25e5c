// A State's HPMS Travel Time Metric file (the PM3 submittal), pipe-delimited per the HPMS
// supplemental guidance, or as States actually send it (comma-delimited, HPMS 9 field names, a
// leading tmc column, .gz). Every departure from the specification is listed; the values are kept
// so the measures can still be computed from the file (`corridor compute pm3 --source hpms`).

import { ident } from '../engine/duckdb';
import { readFirstLine } from '../ingest/text';
import { columnOf, HPMS_FIELDS } from '../measures/pm3/hpms-fields';
import {
  delimiterOf,
  describeViolation,
  fieldViolations,
  headerViolations,
  hpmsTextSpec,
  localText,
} from '../measures/pm3/hpms-validate';
import type { ColumnSpec, TableSpec } from './spec';
import type { DatasetType } from './types';

export const travelTimeMetricsSpec: TableSpec = {
  name: 'travel_time_metrics',
  description:
    'HPMS travel time metrics per reporting segment (fields of the HPMS specification, snake_case)',
  key: ['travel_time_code'],
  columns: HPMS_FIELDS.map(
    (f): ColumnSpec => ({
      name: columnOf(f),
      type: f.kind === 'text' ? 'VARCHAR' : 'DOUBLE',
      description: `HPMS ${f.name}`,
    }),
  ),
};

export const dataset: DatasetType = {
  type: 'hpms_travel_time_metrics',
  title: 'HPMS travel time metrics (PM3 submittal)',
  description:
    "A State's HPMS Travel Time Metric Specifications dataset: LOTTR, TTTR, PHED and their percentiles per reporting segment. MPOs that receive it instead of raw NPMRDS compute the PM3 measures from it.",
  source: 'State DOT HPMS submittal (FHWA HPMS Field Manual supplemental guidance, Travel Time Metric Data)',
  license: 'As published by the State DOT',
  keywords: ['HPMS', 'PM3', 'LOTTR', 'TTTR', 'PHED'],
  tables: [travelTimeMetricsSpec],
  detect: () => false,
  async ingest(job) {
    const files = job.files.filter((f) => /\.(csv|txt|gz)$/i.test(f.name));
    const parts: string[] = [];
    for (const f of files) {
      const text = await localText(f, job.scratch, job.issues);
      if (!text) continue;
      const headerLine = (await readFirstLine(text.localPath)).replace(/^\uFEFF/, '');
      const delimiter = delimiterOf(headerLine);
      const read = await job.readTable(text, hpmsTextSpec, { delimiter, nullStrings: [''] });
      if (!read) continue;
      const violations = [
        ...headerViolations(headerLine, delimiter),
        ...(await fieldViolations(job.db, read)),
      ];
      for (const v of violations) {
        job.issues.warn({
          code: `hpms_${v.code}`,
          file: f.name,
          line: v.examples[0]?.line,
          column: v.field,
          count: v.count,
          value: v.examples[0]?.value ?? undefined,
          message: describeViolation(v),
          fix: 'the State should correct this before submitting; the value is kept for the measures',
        });
      }
      if (violations.length === 0)
        job.issues.info({
          code: 'hpms_valid',
          file: f.name,
          message: 'the file meets the HPMS travel time metric specification',
        });
      const cols = HPMS_FIELDS.map((fd) => {
        const c = `trim(${ident(columnOf(fd))})`;
        if (fd.name === 'Year_Record') {
          // HPMS 9 files give BeginDate (12/31/2021) instead of the year
          return `coalesce(try_cast(${c} as double), year(try_strptime(${c}, ['%m/%d/%Y', '%Y-%m-%d'])))::double as year_record`;
        }
        return fd.kind === 'text'
          ? `${c} as ${ident(columnOf(fd))}`
          : `try_cast(${c} as double) as ${ident(columnOf(fd))}`;
      });
      parts.push(
        `select ${cols.join(', ')} from ${read.table} where ${ident('travel_time_code')} is not null`,
      );
    }
    if (parts.length === 0) return;
    await job.db.run(`create or replace table hpms_ttm as ${parts.join(' union all ')}`);
    job.publish({ name: 'travel_time_metrics', table: 'hpms_ttm', orderBy: ['travel_time_code'] });
  },
};
