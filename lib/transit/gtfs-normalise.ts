// Line-level repair of one GTFS text file before DuckDB reads it (explicit options, no sniffing):
// header checks (duplicated, empty, missing required, unknown columns), short rows padded when
// only optional trailing fields are missing (Google's sample feed has 13 such rows), unquoted
// fields trimmed, CRLF/LF mixes normalised. GTFS values never contain line breaks (reference
// "File Requirements"), so one line is one record and line numbers stay exact.

import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { IssueCollector } from '../ingest/issues';
import { splitHeader } from '../ingest/read-csv';
import type { GtfsFile } from './gtfs-spec';
import { notice } from './notices';

export interface Normalised {
  path: string;
  header: string[];
  rows: number;
}

export async function normaliseGtfsFile(
  src: string,
  out: string,
  spec: GtfsFile,
  fileName: string,
  issues: IssueCollector,
): Promise<Normalised | null> {
  const rl = createInterface({
    input: createReadStream(src, { encoding: 'utf8' }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  const ws = createWriteStream(out);
  let header: string[] | null = null;
  let width = 0;
  let padUntil = 0;
  let line = 0;
  let rows = 0;
  const padded: number[] = [];
  const trimmed: number[] = [];
  let failed = false;
  for await (const raw of rl) {
    line++;
    if (!header) {
      header = splitHeader(raw.replace(/^\uFEFF/, ''), ',').map((h) => h.trim());
      width = header.length;
      if (!checkHeader(header, spec, fileName, issues)) {
        failed = true;
        break;
      }
      // Rows may be padded only while the missing fields are all optional.
      padUntil = header.length;
      for (let i = header.length - 1; i >= 0; i--) {
        if (spec.columns.find((c) => c.name === header![i])?.required) break;
        padUntil = i;
      }
      await write(ws, header.join(','));
      continue;
    }
    if (raw === '') continue;
    rows++;
    const fields = splitFields(raw);
    if (!fields) {
      await write(ws, raw); // unbalanced quotes: DuckDB reports the row
      continue;
    }
    let changed = false;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      if (!f.quoted && f.value !== f.value.trim()) {
        f.value = f.value.trim();
        changed = true;
        if (trimmed.length < 1000) trimmed.push(line);
      }
    }
    if (fields.length < width && fields.length >= padUntil) {
      while (fields.length < width) fields.push({ value: '', quoted: false });
      changed = true;
      padded.push(line);
    }
    await write(
      ws,
      changed
        ? fields.map((f) => (f.quoted ? `"${f.value.replaceAll('"', '""')}"` : f.value)).join(',')
        : raw,
    );
  }
  rl.close();
  ws.end();
  await once(ws, 'close');
  if (failed) return null;
  if (!header) {
    notice(issues, 'empty_file', 'error', {
      file: fileName,
      line: 1,
      message: 'the file is empty (no header line)',
      fix: 'export the file again, or leave it out if it is optional',
    });
    return null;
  }
  if (padded.length) {
    notice(issues, 'invalid_row_length', 'warning', {
      file: fileName,
      line: padded[0],
      message: `${padded.length} row(s) have fewer fields than the header; the missing trailing fields are optional and were read as empty`,
      fix: 'write every field on every row (empty fields as ",,")',
      count: padded.length,
    });
  }
  if (trimmed.length) {
    notice(issues, 'leading_or_trailing_whitespaces', 'warning', {
      file: fileName,
      line: trimmed[0],
      message: `${trimmed.length >= 1000 ? '1000+' : trimmed.length} row(s) have spaces around values; they were trimmed`,
      count: trimmed.length,
    });
  }
  return { path: out, header, rows };
}

function checkHeader(header: string[], spec: GtfsFile, file: string, issues: IssueCollector) {
  let ok = true;
  const seen = new Set<string>();
  header.forEach((h, i) => {
    if (h === '') {
      notice(issues, 'empty_column_name', 'error', {
        file,
        line: 1,
        message: `column ${i + 1} of the header has no name`,
        fix: 'name the column or remove it',
      });
      ok = false;
    } else if (seen.has(h)) {
      notice(issues, 'duplicated_column', 'error', {
        file,
        line: 1,
        column: h,
        message: `column "${h}" appears more than once in the header, so which value counts is undefined`,
        fix: `keep one "${h}" column`,
      });
      ok = false;
    }
    seen.add(h);
  });
  for (const c of spec.columns) {
    if (c.required && !seen.has(c.name)) {
      notice(issues, 'missing_required_column', 'error', {
        file,
        line: 1,
        column: c.name,
        message: `required column "${c.name}" is missing`,
        fix: `add the ${c.name} column`,
      });
      ok = false;
    }
  }
  const unknown = header.filter((h) => h && !spec.columns.some((c) => c.name === h));
  if (unknown.length) {
    notice(issues, 'unknown_column', 'info', {
      file,
      line: 1,
      message: `columns not used by Corridor (not in our subset of the spec, or misspelled): ${unknown.join(', ')}`,
    });
  }
  return ok;
}

interface Field {
  value: string;
  quoted: boolean;
}

/** RFC 4180 fields of one line, or null if a quote is left open. */
function splitFields(line: string): Field[] | null {
  if (!line.includes('"')) return line.split(',').map((value) => ({ value, quoted: false }));
  const out: Field[] = [];
  let cur = '';
  let quoted = false;
  let inQ = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (inQ) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') inQ = false;
      else cur += ch;
    } else if (ch === '"' && cur.trim() === '') {
      inQ = true;
      quoted = true;
      cur = '';
    } else if (ch === ',') {
      out.push({ value: cur, quoted });
      cur = '';
      quoted = false;
    } else cur += ch;
  }
  if (inQ) return null;
  out.push({ value: cur, quoted });
  return out;
}

async function write(ws: NodeJS.WritableStream, s: string) {
  if (!ws.write(`${s}\n`)) await once(ws, 'drain');
}
