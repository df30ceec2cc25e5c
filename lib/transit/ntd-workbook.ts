// The NTD "Monthly Module" Excel workbook is wide: one sheet per measure (UPT, VRM, VRH, VOMS),
// agency/mode/TOS columns, then one column per month. This pivots it to the long CSV the
// ntd_monthly dataset reads. Two layouts are known, both seen in public loaders of FTA's file
// (not in a workbook downloaded here; see lib/transit/README.md):
// - current ("Complete Monthly Ridership (with adjustments and estimates)", e.g. the July 2024
//   release): NTD ID, Legacy NTD ID, Agency, Mode/Type of Service Status, Reporter Type, UACE CD,
//   UZA Name, Mode, TOS, 3 Mode, then months headed 1/2002 … (Excel may store them as dates);
// - older ("Monthly Module Adjusted Data Release", e.g. August 2020): 5 digit NTD ID,
//   4 digit NTD ID, Agency, Active, Reporter Type, UZA, UZA Name, Modes, TOS, then JAN02 ….
// Unknown layouts are reported with what was found, never guessed.
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type ExcelJS from 'exceljs';
import type { IssueCollector } from '../ingest/issues';
import type { SourceFile } from '../ingest/sources';
import { openWorkbook } from '../ingest/xlsx';

const MEASURES = ['UPT', 'VRM', 'VRH', 'VOMS'] as const;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const ID_COLUMNS: Record<string, string> = {
  'ntd id': 'ntd_id',
  '5 digit ntd id': 'ntd_id',
  agency: 'agency',
  mode: 'mode',
  modes: 'mode',
  tos: 'tos',
  'uza name': 'uza_name',
  'uace cd': 'uace_cd',
  'reporter type': 'reporter_type',
  'mode/type of service status': 'status',
  active: 'status',
};

/** Which release a header row belongs to, from the spelling of its NTD ID column. */
export type NtdLayout = 'current' | 'older';

function text(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    if ('result' in v) return text(v.result as ExcelJS.CellValue);
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('text' in v) return String(v.text);
    return '';
  }
  return String(v).trim();
}

/** "2024-01-01" for a month header cell, or null. */
export function monthOf(v: ExcelJS.CellValue): string | null {
  if (v instanceof Date) return `${v.getUTCFullYear()}-${String(v.getUTCMonth() + 1).padStart(2, '0')}-01`;
  const s = text(v).toUpperCase();
  let m = /^(\d{1,2})\/(\d{4})$/.exec(s);
  if (m && Number(m[1]) >= 1 && Number(m[1]) <= 12) return `${m[2]}-${m[1]!.padStart(2, '0')}-01`;
  m = /^([A-Z]{3})(\d{2})$/.exec(s);
  if (m && MONTHS.includes(m[1]!)) {
    const yy = Number(m[2]);
    return `${yy < 70 ? 2000 + yy : 1900 + yy}-${String(MONTHS.indexOf(m[1]!) + 1).padStart(2, '0')}-01`;
  }
  return null;
}

/** The NTD ID as text: Excel may hold it as a number, which drops leading zeros of a 5-digit ID. */
function ntdId(v: ExcelJS.CellValue): string {
  if (typeof v === 'number') return String(v).padStart(5, '0');
  return text(v);
}

type HeaderCell = { col: number; id?: string; month?: string };

/** One measure's sheet as rows of cells (row 0 = the sheet's first row, cell 0 = column A). */
export type NtdGrid = { name: string; measure: (typeof MEASURES)[number]; rows: ExcelJS.CellValue[][] };

/** Finds the header row (NTD ID column and month columns) in the first 20 rows of a sheet. */
function findHeader(
  rows: ExcelJS.CellValue[][],
): { row: number; cells: HeaderCell[]; layout: NtdLayout } | null {
  for (let r = 0; r < Math.min(20, rows.length); r++) {
    const cells: HeaderCell[] = [];
    let layout: NtdLayout | null = null;
    (rows[r] ?? []).forEach((v, col) => {
      const label = text(v).toLowerCase();
      const id = ID_COLUMNS[label];
      if (label === 'ntd id') layout = 'current';
      if (label === '5 digit ntd id') layout = 'older';
      const month = monthOf(v);
      if (id || month) cells.push({ col, id, month: month ?? undefined });
    });
    if (layout && cells.some((c) => c.month)) return { row: r, cells, layout };
  }
  return null;
}

/** True when a CSV header is one wide sheet (an NTD ID column and month columns), not the long export. */
export function isWideNtdHeader(header: string[]): boolean {
  const labels = header.map((h) => h.trim().toLowerCase());
  return (
    (labels.includes('ntd id') || labels.includes('5 digit ntd id')) &&
    header.some((h) => monthOf(h.trim()) !== null)
  );
}

/** The measure a one-sheet CSV holds, from its file name (…UPT….csv), or null. */
export function measureFromName(name: string): NtdGrid['measure'] | null {
  const found = MEASURES.filter((m) => new RegExp(`(^|[^A-Za-z])${m}([^A-Za-z]|$)`, 'i').test(name));
  return found.length === 1 ? found[0]! : null;
}

function sheetRows(ws: ExcelJS.Worksheet): ExcelJS.CellValue[][] {
  const rows: ExcelJS.CellValue[][] = [];
  ws.eachRow({ includeEmpty: true }, (row, n) => {
    const cells: ExcelJS.CellValue[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cell.value;
    });
    rows[n - 1] = cells;
  });
  return Array.from(rows, (r) => r ?? []);
}

export async function ntdWorkbookToLongCsv(
  file: SourceFile,
  scratch: string,
  issues: IssueCollector,
): Promise<string | null> {
  const wb = await openWorkbook(file, issues);
  if (!wb) return null;
  const grids: NtdGrid[] = [];
  for (const measure of MEASURES) {
    // sheet names are matched without case or surrounding spaces; releases differ in neither so far
    const ws = wb.worksheets.find((w) => w.name.trim().toUpperCase() === measure);
    if (ws) grids.push({ name: ws.name, measure, rows: sheetRows(ws) });
    else
      issues.warn({
        code: 'ntd_sheet_missing',
        file: file.name,
        message: `the workbook has no sheet ${measure}; its months will have no ${measure}`,
      });
  }
  return ntdGridsToLongCsv(
    file,
    grids,
    scratch,
    issues,
    `sheets: ${wb.worksheets.map((w) => w.name).join(', ')}`,
  );
}

/** Pivots measure sheets (from a workbook, or one exported sheet) to the long CSV. */
export async function ntdGridsToLongCsv(
  file: SourceFile,
  grids: NtdGrid[],
  scratch: string,
  issues: IssueCollector,
  found: string,
): Promise<string | null> {
  const values = new Map<string, { ids: Record<string, string>; m: Record<string, string> }>();
  const layouts = new Set<NtdLayout>();
  const months = new Set<string>();
  let read = 0;
  let skippedRows = 0;
  for (const { name, measure, rows } of grids) {
    const header = findHeader(rows);
    if (!header) {
      issues.warn({
        code: 'ntd_sheet_layout',
        file: `${file.name}#${name}`,
        message: `sheet ${name} has no header row with an "NTD ID" (or "5 digit NTD ID") column and month columns (1/2024 or JAN24) in its first 20 rows; skipped`,
      });
      continue;
    }
    const missing = ['mode', 'tos'].filter((id) => !header.cells.some((c) => c.id === id));
    if (missing.length) {
      issues.warn({
        code: 'ntd_sheet_layout',
        file: `${file.name}#${name}`,
        line: header.row + 1,
        message: `sheet ${name} has no ${missing.map((m) => (m === 'mode' ? '"Mode" (or "Modes")' : '"TOS"')).join(' or ')} column; skipped`,
      });
      continue;
    }
    layouts.add(header.layout);
    read++;
    for (let r = header.row + 1; r < rows.length; r++) {
      const row = rows[r] ?? [];
      const ids: Record<string, string> = {};
      for (const c of header.cells)
        if (c.id) ids[c.id] = c.id === 'ntd_id' ? ntdId(row[c.col]) : text(row[c.col]);
      // rows without an NTD ID are FTA's estimated totals for reduced reporters, notes or blanks
      if (!/^\d+$/.test(ids.ntd_id ?? '')) {
        if (ids.ntd_id || ids.agency) skippedRows++;
        continue;
      }
      for (const c of header.cells) {
        if (!c.month) continue;
        const v = text(row[c.col]);
        if (v === '') continue;
        months.add(c.month);
        const key = `${ids.ntd_id}\u0001${ids.mode}\u0001${ids.tos}\u0001${c.month}`;
        let e = values.get(key);
        if (!e) {
          e = { ids, m: {} };
          values.set(key, e);
        }
        e.m[measure] = v;
        e.m.month = c.month;
      }
    }
  }
  if (!read) {
    issues.error({
      code: 'ntd_workbook_layout',
      file: file.name,
      message: `no sheet named ${MEASURES.join('/')} with an "NTD ID" column, Mode and TOS columns and month columns (${found})`,
      fix: 'give the NTD "Complete Monthly Ridership (with adjustments and estimates)" workbook, or its long CSV export',
    });
    return null;
  }
  if (layouts.size > 1)
    issues.warn({
      code: 'ntd_mixed_layouts',
      file: file.name,
      message:
        'some sheets use the current NTD ID headers and others the older 5 digit NTD ID ones; both were read',
    });
  const sorted = [...months].sort();
  issues.info({
    code: 'ntd_workbook_read',
    file: file.name,
    message: `${[...layouts].join(' and ')} layout; ${read} measure sheet(s), ${values.size} agency-mode-service-month rows, ${sorted[0]} to ${sorted.at(-1)}${skippedRows ? `; ${skippedRows} row(s) without a numeric NTD ID (estimated totals, notes) left out` : ''}`,
  });
  const out = join(scratch, `ntd-long-${Math.random().toString(36).slice(2)}.csv`);
  const ws = createWriteStream(out);
  const esc = (s: string | undefined) =>
    s === undefined ? '' : /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  ws.write(
    'NTD ID,Agency,Mode,TOS,Month,UZA Name,UACE CD,Reporter Type,Mode/Type of Service Status,UPT,VRM,VRH,VOMS\n',
  );
  for (const { ids, m } of values.values()) {
    ws.write(
      `${[ids.ntd_id, ids.agency, ids.mode, ids.tos, m.month, ids.uza_name, ids.uace_cd, ids.reporter_type, ids.status, m.UPT, m.VRM, m.VRH, m.VOMS].map(esc).join(',')}\n`,
    );
  }
  await new Promise<void>((resolve, reject) => ws.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return out;
}
