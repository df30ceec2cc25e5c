// Validates a Travel Time Metric file (ours or a State's) against the HPMS specification: the
// header (names, order, pipe delimiter), then every field's data type, digits, decimals, valid
// codes and minimums, required values (freight fields on the Interstate only), and one row per
// segment. Each violation is a rule with a count and the first offending lines.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { TableSpec } from '../../datasets/spec';
import { type Db, ident, queryRows } from '../../engine/duckdb';
import { IssueCollector } from '../../ingest/issues';
import { Quarantine } from '../../ingest/quarantine';
import { type CsvRead, readCsv } from '../../ingest/read-csv';
import type { SourceFile } from '../../ingest/sources';
import { asUtf8, readFirstLine } from '../../ingest/text';
import { columnOf, HPMS_FIELDS, type HpmsField } from './hpms-fields';

export interface Violation {
  code: string;
  severity: 'error' | 'warning';
  field?: string;
  message: string;
  count: number;
  examples: { line: number; value: string | null }[];
}

/** Every field as text, so the validator sees the digits exactly as written. */
export const hpmsTextSpec: TableSpec = {
  name: 'hpms_travel_time_metrics_file',
  description: 'HPMS Travel Time Metric Specifications dataset',
  columns: HPMS_FIELDS.map((f) => ({
    name: columnOf(f),
    type: 'VARCHAR' as const,
    description: f.name,
    aliases: [f.name, ...(f.aliases ?? [])],
    required: f.name === 'Travel_Time_Code',
  })),
};

/** Plain text for DuckDB: .gz inflated and any encoding transcoded into scratch. */
export async function localText(
  file: SourceFile,
  scratch: string,
  issues: IssueCollector,
): Promise<SourceFile | null> {
  let source = file;
  if (/\.gz$/i.test(file.localPath)) {
    const out = join(scratch, basename(file.localPath).replace(/\.gz$/i, ''));
    await pipeline(createReadStream(file.localPath), createGunzip(), createWriteStream(out));
    source = { ...file, localPath: out };
  }
  const utf8 = await asUtf8(source, scratch, issues);
  return utf8 ? { ...source, localPath: utf8 } : null;
}

export function delimiterOf(headerLine: string) {
  const pipes = headerLine.split('|').length;
  const commas = headerLine.split(',').length;
  return pipes >= commas ? '|' : ',';
}

/** Reads the file (text columns) and checks its header; returns the table and header problems. */
export async function readHpmsFile(
  db: Db,
  file: SourceFile,
  scratch: string,
  issues = new IssueCollector('hpms_travel_time_metrics'),
) {
  const text = await localText(file, scratch, issues);
  if (!text) return { read: null, header: [] as Violation[], issues };
  const headerLine = (await readFirstLine(text.localPath)).replace(/^\uFEFF/, '');
  const delimiter = delimiterOf(headerLine);
  const read = await readCsv(db, file, text.localPath, hpmsTextSpec, issues, new Quarantine(), {
    delimiter,
    nullStrings: [''],
  });
  return { read, header: headerViolations(headerLine, delimiter), issues };
}

export function headerViolations(headerLine: string, delimiter: string): Violation[] {
  const out: Violation[] = [];
  const v = (code: string, message: string, severity: 'error' | 'warning' = 'error') =>
    out.push({ code, severity, message, count: 1, examples: [{ line: 1, value: null }] });
  if (delimiter !== '|')
    v('not_pipe_delimited', 'the file is not pipe-delimited (HPMS requires "|" between fields)');
  const names = headerLine.split(delimiter).map((h) => h.trim());
  const expected = HPMS_FIELDS.map((f) => f.name);
  const byAlias = new Map<string, HpmsField>();
  for (const f of HPMS_FIELDS)
    for (const n of [f.name, ...(f.aliases ?? [])]) byAlias.set(n.toLowerCase(), f);
  const known = names.map((n) => byAlias.get(n.toLowerCase()));
  names.forEach((n, i) => {
    const f = known[i];
    if (!f) v('unexpected_field', `field "${n}" (position ${i + 1}) is not in the specification`);
    else if (f.name !== n)
      v(
        'nonstandard_field_name',
        `field "${n}" should be named "${f.name}"`,
        f.name.toLowerCase() === n.toLowerCase() ? 'warning' : 'error',
      );
  });
  for (const f of HPMS_FIELDS) if (!known.includes(f)) v('missing_field', `field ${f.name} is missing`);
  const order = known.filter((f): f is HpmsField => Boolean(f)).map((f) => f.name);
  const inSpecOrder = expected.filter((n) => order.includes(n));
  if (order.join('|') !== inSpecOrder.join('|')) {
    const i = order.findIndex((n, k) => n !== inSpecOrder[k]);
    v(
      'field_order',
      `fields are not in the specified order: position ${i + 1} is ${order[i]}, expected ${inSpecOrder[i]}`,
    );
  }
  return out;
}

/** Field and row rules over the text table. */
export async function fieldViolations(db: Db, read: CsvRead): Promise<Violation[]> {
  const out: Violation[] = [];
  const t = read.table;
  const fsys = `trim(${ident('f_system')})`;
  const check = async (
    f: HpmsField | undefined,
    code: string,
    where: string,
    message: string,
    severity: 'error' | 'warning' = 'error',
  ) => {
    const col = f ? ident(columnOf(f)) : 'null';
    const rows = await queryRows<{ line: number; value: string | null; n: number }>(
      db,
      `select __row + 1 as line, ${col}::varchar as value, count(*) over () as n from ${t} where ${where} order by __row limit 5`,
    );
    if (rows.length)
      out.push({
        code,
        severity,
        field: f?.name,
        message,
        count: Number(rows[0]!.n),
        examples: rows.map((r) => ({ line: Number(r.line), value: r.value })),
      });
  };
  for (const f of HPMS_FIELDS) {
    if (!read.present.includes(columnOf(f))) continue;
    const c = `trim(${ident(columnOf(f))})`;
    const present = `(${c} is not null and ${c} <> '')`;
    if (f.required === true) await check(f, 'missing_value', `not ${present}`, `${f.name} is required`);
    if (f.required === 'interstate')
      await check(
        f,
        'missing_value',
        `${fsys} = '1' and not ${present}`,
        `${f.name} is required on Interstate segments (F_System 1)`,
      );
    if (f.kind === 'int') {
      await check(
        f,
        'not_integer',
        `${present} and not regexp_full_match(${c}, '-?[0-9]+')`,
        `${f.name} must be a whole number (Numeric(${f.digits}))`,
      );
      await check(
        f,
        'too_many_digits',
        `${present} and regexp_full_match(${c}, '-?[0-9]+') and length(ltrim(${c}, '-')) > ${f.digits}`,
        `${f.name} has more than ${f.digits} digits`,
      );
    }
    if (f.kind === 'dec') {
      await check(
        f,
        'not_number',
        `${present} and not regexp_full_match(${c}, '-?[0-9]*\\.?[0-9]+')`,
        `${f.name} must be a number`,
      );
      await check(
        f,
        'too_many_decimals',
        `${present} and regexp_full_match(${c}, '-?[0-9]*\\.[0-9]+') and length(split_part(${c}, '.', 2)) > ${f.scale}`,
        `${f.name} must be rounded to ${f.scale} decimal place(s) (Decimal(${f.digits},${f.scale}))`,
      );
      await check(
        f,
        'too_many_digits',
        `${present} and length(split_part(ltrim(${c}, '-'), '.', 1)) > ${(f.digits ?? 0) - (f.scale ?? 0)}`,
        `${f.name} has more than ${(f.digits ?? 0) - (f.scale ?? 0)} digits before the decimal point`,
      );
    }
    if (f.kind === 'text' && f.digits)
      await check(
        f,
        'too_long',
        `length(${c}) > ${f.digits}`,
        `${f.name} is longer than ${f.digits} characters`,
      );
    if (f.min !== undefined)
      await check(
        f,
        'below_minimum',
        `try_cast(${c} as double) < ${f.min}`,
        `${f.name} must be at least ${f.min}`,
      );
    if (f.codes)
      await check(
        f,
        'invalid_code',
        `${present} and try_cast(${c} as double) not in (${f.codes.join(', ')})`,
        `${f.name} must be one of ${f.codes.join(', ')}`,
      );
  }
  const code = HPMS_FIELDS.find((f) => f.name === 'Travel_Time_Code')!;
  await check(
    code,
    'duplicate_segment',
    `${ident('travel_time_code')} in (select ${ident('travel_time_code')} from ${t} group by 1 having count(*) > 1)`,
    'Travel_Time_Code appears on more than one row (one row per reporting segment and direction)',
  );
  if (read.present.includes('tttr_amp')) {
    await check(
      HPMS_FIELDS.find((f) => f.name === 'TTTR_AMP'),
      'freight_metric_off_interstate',
      `${fsys} <> '1' and trim(tttr_amp) not in ('', '0')`,
      'TTTR fields are reported for the Interstate only (F_System 1)',
      'warning',
    );
  }
  return out;
}

export function formatViolation(v: Violation) {
  return `${v.severity.toUpperCase()} ${v.code}${v.field ? ` [${v.field}]` : ''}: ${describeViolation(v)}`;
}

export function describeViolation(v: Violation) {
  const ex = v.examples
    .map(
      (e) =>
        `line ${e.line}${e.value !== null && e.value !== undefined ? ` (${JSON.stringify(e.value)})` : ''}`,
    )
    .join(', ');
  return `${v.message} — ${v.count} row(s)${ex ? `, e.g. ${ex}` : ''}`;
}

export async function scratchDir() {
  return mkdtemp(join(tmpdir(), 'corridor-hpms-'));
}
