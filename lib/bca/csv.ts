// A small RFC 4180 reader/writer for the BCA parameter tables and user CSVs (quoted fields,
// embedded commas/newlines, CRLF, BOM). The files are tiny; DuckDB would be overkill here.

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

// Excel saves emptied rows as ",,,,": those are blank too, not rows with every cell missing
const blank = (r: string[]) => r.every((c) => c.trim() === '');

/** Rows as objects keyed by the (trimmed, lower-cased) header; `line` is the 1-based file line. */
export function csvRecords(
  text: string,
  name: (header: string) => string = (h) => h.trim().toLowerCase(),
): { line: number; values: Record<string, string> }[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  const names = header.map(name);
  // line numbers count physical lines; a quoted field spanning lines would shift them (rare here)
  return rows.flatMap((r, i) =>
    blank(r)
      ? []
      : [{ line: i + 2, values: Object.fromEntries(names.map((n, j) => [n, (r[j] ?? '').trim()])) }],
  );
}

/**
 * A text file's characters: Excel's "Unicode Text" and some exports are UTF-16 with a byte-order
 * mark; Excel's "CSV (Comma delimited)" is Windows-1252; everything else is UTF-8 (its BOM,
 * if any, is dropped by parseCsv).
 */
export function decodeText(b: Uint8Array): string {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
  if (buf[0] === 0xfe && buf[1] === 0xff) return Buffer.from(buf.subarray(2)).swap16().toString('utf16le');
  const utf8 = buf.toString('utf8');
  // not valid UTF-8: Excel's plain "CSV (Comma delimited)" on Windows writes Windows-1252
  return utf8.includes('\ufffd') ? new TextDecoder('windows-1252').decode(buf) : utf8;
}

/** A header as people type it ("Project ID", "amount-usd") in the snake_case the readers use. */
export const columnName = (h: string) =>
  h
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function toCsv(columns: string[], rows: Record<string, unknown>[]): string {
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}
