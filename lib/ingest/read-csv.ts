// Reads one CSV into a DuckDB table with explicit options (never auto-detect: it mis-parses real
// files, ARCHITECTURE.md). Header names are matched to the table spec (aliases, case, spacing);
// DuckDB's reject tables give line and column for every row it could not parse or cast, and
// those rows are quarantined, not dropped.
import { createReadStream } from 'node:fs';
import type { ColumnSpec, TableSpec } from '../datasets/spec';
import { normaliseHeader } from '../datasets/spec';
import type { Db } from '../engine/duckdb';
import { ident, queryRows } from '../engine/duckdb';
import type { IssueCollector } from './issues';
import type { Quarantine } from './quarantine';
import type { SourceFile } from './sources';
import { endsWithoutNewline, readFirstLine } from './text';

export interface CsvOptions {
  delimiter?: string;
  quote?: string;
  /** Strings read as NULL (besides the empty string). */
  nullStrings?: string[];
  timestampFormat?: string;
  dateFormat?: string;
  /** Lines after the header to skip (census exports repeat the header as labels). */
  skipAfterHeader?: number;
}

export interface CsvRead {
  table: string;
  file: SourceFile;
  rows: number;
  rejectedRows: number;
  /** Canonical column names present in the file (spec columns found). */
  present: string[];
  /** The file's header columns that matched nothing in the spec (kept out of the table). */
  extra: string[];
}

let seq = 0;

export function splitHeader(line: string, delimiter: string, quote = '"'): string[] {
  const out: string[] = [];
  let cur = '';
  let inQ = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (inQ) {
      if (ch === quote && line[i + 1] === quote) {
        cur += quote;
        i++;
      } else if (ch === quote) inQ = false;
      else cur += ch;
    } else if (ch === quote) inQ = true;
    else if (line.startsWith(delimiter, i)) {
      out.push(cur);
      cur = '';
      i += delimiter.length - 1;
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

export function matchColumns(header: string[], spec: TableSpec) {
  const byNorm = new Map<string, ColumnSpec>();
  for (const c of spec.columns)
    for (const n of [c.name, ...(c.aliases ?? [])]) byNorm.set(normaliseHeader(n), c);
  const assigned = new Map<number, ColumnSpec>();
  const seen = new Set<string>();
  const duplicates: string[] = [];
  header.forEach((h, i) => {
    const c = byNorm.get(normaliseHeader(h));
    if (!c) return;
    if (seen.has(c.name)) duplicates.push(h);
    else {
      seen.add(c.name);
      assigned.set(i, c);
    }
  });
  const missing = spec.columns.filter((c) => c.required && !seen.has(c.name));
  return { assigned, missing, duplicates };
}

export async function readCsv(
  db: Db,
  file: SourceFile,
  utf8Path: string,
  spec: TableSpec,
  issues: IssueCollector,
  quarantine: Quarantine,
  opts: CsvOptions = {},
): Promise<CsvRead | null> {
  const delimiter = opts.delimiter ?? ',';
  const quote = opts.quote ?? '"';
  const headerLine = await readFirstLine(utf8Path);
  if (!headerLine.trim()) {
    issues.error({
      code: 'empty_file',
      file: file.name,
      line: 1,
      message: 'the file is empty or has no header line',
      fix: 'check the export',
    });
    return null;
  }
  const header = splitHeader(headerLine, delimiter, quote);
  const { assigned, missing, duplicates } = matchColumns(header, spec);
  if (missing.length) {
    issues.error({
      code: 'missing_columns',
      file: file.name,
      line: 1,
      message:
        `this does not look like a ${spec.description} file: it lacks the column(s) ${missing.map((c) => `"${c.name}"`).join(', ')}. ` +
        `Its header has: ${header
          .slice(0, 15)
          .map((h) => `"${h}"`)
          .join(', ')}${header.length > 15 ? ', …' : ''}`,
      fix: `export the table with the columns ${spec.columns
        .filter((c) => c.required)
        .map((c) => c.name)
        .join(', ')}, or choose the right --dataset`,
    });
    return null;
  }
  for (const d of duplicates) {
    issues.warn({
      code: 'duplicate_column',
      file: file.name,
      line: 1,
      column: d,
      message: `column "${d}" appears twice; the first one is used`,
    });
  }
  const extra = header.filter((_, i) => !assigned.has(i));
  if (extra.length) {
    issues.info({
      code: 'extra_columns',
      file: file.name,
      line: 1,
      message: `columns not used: ${extra.slice(0, 20).join(', ')}`,
    });
  }
  // Columns get generated names (c0, c1, …) in DuckDB, so nothing from the file's header is
  // ever part of SQL text; the spec's names are applied in the select list.
  const types = header.map((_, i) => assigned.get(i)?.type ?? 'VARCHAR');
  const columnsStruct = `{${types.map((t, i) => `'c${i}': '${t}'`).join(', ')}}`;
  const n = ++seq;
  const table = `csv_${n}`;
  const rej = { errors: `rej_errors_${n}`, scans: `rej_scans_${n}` };
  const select = [...assigned.entries()].map(([i, c]) => `c${i} as ${ident(c.name)}`);
  // Spec columns the file lacks (optional ones) exist as typed NULLs so queries can rely on them.
  for (const c of spec.columns)
    if (![...assigned.values()].includes(c)) select.push(`null::${c.type} as ${ident(c.name)}`);
  const formats =
    (opts.timestampFormat ? ', timestampformat = $tsfmt' : '') +
    (opts.dateFormat ? ', dateformat = $datefmt' : '');
  const params: Record<string, unknown> = {
    path: utf8Path,
    delim: delimiter,
    quote,
    nulls: opts.nullStrings ?? [''],
    skip: 1 + (opts.skipAfterHeader ?? 0),
  };
  if (opts.timestampFormat) params.tsfmt = opts.timestampFormat;
  if (opts.dateFormat) params.datefmt = opts.dateFormat;
  const { listValue } = await import('@duckdb/node-api');
  params.nulls = listValue(opts.nullStrings ?? ['']);
  try {
    await db.run(
      `create or replace table ${table} as
       select row_number() over () as __row, ${select.join(', ')}
       from read_csv($path, header = false, skip = $skip, auto_detect = false, delim = $delim, quote = $quote, escape = $quote,
                     nullstr = $nulls, columns = ${columnsStruct}, strict_mode = true, null_padding = false,
                     store_rejects = true, rejects_table = '${rej.errors}', rejects_scan = '${rej.scans}',
                     max_line_size = 10000000${formats})`,
      params as never,
    );
  } catch (e) {
    issues.error({
      code: 'unreadable_csv',
      file: file.name,
      message: `could not read the file as CSV: ${(e as Error).message.split('\n')[0]}`,
      fix: 'check the delimiter and quoting',
    });
    return null;
  }
  const rows = Number((await queryRows<{ n: number }>(db, `select count(*)::bigint n from ${table}`))[0]!.n);
  const rejects = await queryRows<{
    line: number;
    column_name: string | null;
    error_type: string;
    csv_line: string;
    error_message: string;
  }>(
    db,
    `select line::bigint as line, column_name, error_type::varchar as error_type, csv_line, error_message from ${rej.errors} order by line, column_idx`,
  );
  const colName = (c: string | null) =>
    c && /^c\d+$/.test(c) ? (header[Number(c.slice(1))] ?? c) : (c ?? undefined);
  const rejectedLines = [...new Set(rejects.map((r) => r.line))];
  // A cut-off download ends without a newline, in a short row or an open quote.
  const truncated =
    rejects.length > 0 &&
    ['MISSING COLUMNS', 'UNQUOTED VALUE'].includes(rejects.at(-1)!.error_type) &&
    (await endsWithoutNewline(utf8Path));
  if (truncated) {
    issues.error({
      code: 'truncated_file',
      file: file.name,
      line: rejects.at(-1)!.line,
      message: 'the file ends in the middle of a row: it looks cut off (an interrupted download or copy)',
      fix: 'download or export the file again',
      value: rejects.at(-1)!.csv_line,
    });
  }
  const perKind = new Map<string, number>();
  for (const r of rejects) {
    const kind = `${r.error_type}:${r.column_name}`;
    const k = (perKind.get(kind) ?? 0) + 1;
    perKind.set(kind, k);
    const code = r.error_type === 'CAST' ? 'bad_value' : r.error_type.toLowerCase().replaceAll(' ', '_');
    const column = colName(r.column_name);
    const expected =
      r.column_name && /^c\d+$/.test(r.column_name) ? types[Number(r.column_name.slice(1))] : undefined;
    const message =
      r.error_type === 'CAST'
        ? `"${extractValue(r.error_message)}" is not a valid ${describeType(expected)}`
        : r.error_type === 'MISSING COLUMNS' || r.error_type === 'TOO MANY COLUMNS'
          ? `${r.error_message.replace('Expected Number of Columns', 'expected').replace('Found', 'found')} fields`
          : r.error_message.split('\n')[0]!;
    quarantine.add({ file: file.name, line: r.line, code, column, message, raw: r.csv_line });
    // One issue per row for the first few of each kind; the rest are summarised below.
    if (k <= 20) {
      issues.error({
        code,
        file: file.name,
        line: r.line,
        column,
        message,
        value: r.csv_line,
        fix: 'correct or remove this row; it was quarantined',
      });
    }
  }
  for (const [kind, k] of perKind) {
    if (k > 20) {
      const [type, col] = kind.split(':');
      issues.error({
        code: 'more_rejected_rows',
        file: file.name,
        column: colName(col === 'null' ? null : (col ?? null)),
        message: `${k - 20} more rows with ${type?.toLowerCase()} errors (all are listed in the quarantine file)`,
        count: k - 20,
      });
    }
  }
  await db.run(`drop table if exists ${rej.errors}; drop table if exists ${rej.scans}`);
  lineMaps.set(table, { header: 1 + (opts.skipAfterHeader ?? 0), rejected: rejectedLines, path: utf8Path });
  return {
    table,
    file,
    rows,
    rejectedRows: rejectedLines.length,
    present: [...assigned.values()].map((c) => c.name),
    extra,
  };
}

/**
 * Physical line of the k-th good row: k + header + the rejected lines before it. Exact when each
 * record is one line; when the file has multi-line quoted fields the caller says "record k".
 */
const lineMaps = new Map<string, { header: number; rejected: number[]; path: string }>();

export function lineOfRow(table: string, row: number): number {
  const m = lineMaps.get(table);
  if (!m) return row + 1;
  let line = row + m.header;
  for (const r of m.rejected) {
    if (r <= line) line++;
    else break;
  }
  return line;
}

/** Whether every record of the file is one physical line (so line numbers are exact). */
export async function recordsAreLines(table: string, goodRows: number): Promise<boolean> {
  const m = lineMaps.get(table);
  if (!m) return false;
  let lines = 0;
  let last = 0x0a;
  for await (const chunk of createReadStream(m.path, { highWaterMark: 1 << 20 })) {
    const b = chunk as Buffer;
    let i = b.indexOf(0x0a);
    while (i >= 0) {
      lines++;
      i = b.indexOf(0x0a, i + 1);
    }
    if (b.length) last = b[b.length - 1]!;
  }
  if (last !== 0x0a) lines++;
  return lines === m.header + goodRows + m.rejected.length;
}

function extractValue(msg: string) {
  return /Could not convert string "([^"]*)"/.exec(msg)?.[1] ?? /string "([^"]*)"/.exec(msg)?.[1] ?? '?';
}

function describeType(t?: string) {
  switch (t) {
    case 'INTEGER':
    case 'BIGINT':
      return 'whole number';
    case 'DOUBLE':
      return 'number';
    case 'DATE':
      return 'date (YYYY-MM-DD)';
    case 'TIMESTAMP':
      return 'date and time (YYYY-MM-DD HH:MM:SS)';
    case 'BOOLEAN':
      return 'true/false value';
    default:
      return 'value';
  }
}
