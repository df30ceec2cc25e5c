// The NTD "Monthly Module" Excel workbook is wide: one sheet per measure (UPT, VRM, VRH, VOMS),
// agency/mode/TOS columns, then one column per month (research/transit.md §4: headers like 1/2002;
// older releases JAN02; Excel may store them as dates). This pivots it to the long CSV the
// ntd_monthly dataset reads. Layout taken from public loaders, not yet checked on a downloaded
// workbook: unknown layouts are reported, not guessed.
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
  tos: 'tos',
  'uza name': 'uza_name',
  'mode/type of service status': 'status',
};

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

export async function ntdWorkbookToLongCsv(
  file: SourceFile,
  scratch: string,
  issues: IssueCollector,
): Promise<string | null> {
  const wb = await openWorkbook(file, issues);
  if (!wb) return null;
  const values = new Map<string, { ids: Record<string, string>; m: Record<string, string> }>();
  let found = 0;
  for (const measure of MEASURES) {
    const ws = wb.getWorksheet(measure);
    if (!ws) continue;
    let header: { col: number; id?: string; month?: string }[] | null = null;
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      if (!header) {
        const cells: { col: number; id?: string; month?: string }[] = [];
        row.eachCell({ includeEmpty: false }, (cell, col) => {
          const id = ID_COLUMNS[text(cell.value).toLowerCase()];
          const month = monthOf(cell.value);
          if (id || month) cells.push({ col, id, month: month ?? undefined });
        });
        if (cells.some((c) => c.id === 'ntd_id') && cells.some((c) => c.month)) header = cells;
        else if (rowNumber > 20) header = [];
        return;
      }
      const ids: Record<string, string> = {};
      for (const c of header) if (c.id) ids[c.id] = text(row.getCell(c.col).value);
      if (!ids.ntd_id) return;
      for (const c of header) {
        if (!c.month) continue;
        const v = text(row.getCell(c.col).value);
        if (v === '') continue;
        const key = `${ids.ntd_id}\u0001${ids.mode}\u0001${ids.tos}\u0001${c.month}`;
        let e = values.get(key);
        if (!e) {
          e = { ids, m: {} };
          values.set(key, e);
        }
        e.m[measure] = v;
        e.m.month = c.month;
      }
    });
    if (header && (header as unknown[]).length) found++;
    else
      issues.warn({
        code: 'ntd_sheet_layout',
        file: `${file.name}#${measure}`,
        message: `sheet ${measure} has no header row with "NTD ID" and month columns in its first 20 rows; skipped`,
      });
  }
  if (!found) {
    issues.error({
      code: 'ntd_workbook_layout',
      file: file.name,
      message: `no sheet named ${MEASURES.join('/')} with an "NTD ID" column and month columns (sheets: ${wb.worksheets.map((w) => w.name).join(', ')})`,
      fix: 'give the Monthly Module workbook, or its long CSV export',
    });
    return null;
  }
  const out = join(scratch, `ntd-long-${Math.random().toString(36).slice(2)}.csv`);
  const ws = createWriteStream(out);
  const esc = (s: string | undefined) =>
    s === undefined ? '' : /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  ws.write('NTD ID,Agency,Mode,TOS,Month,UZA Name,Mode/Type of Service Status,UPT,VRM,VRH,VOMS\n');
  for (const { ids, m } of values.values()) {
    ws.write(
      `${[ids.ntd_id, ids.agency, ids.mode, ids.tos, m.month, ids.uza_name, ids.status, m.UPT, m.VRM, m.VRH, m.VOMS].map(esc).join(',')}\n`,
    );
  }
  await new Promise<void>((resolve, reject) => ws.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return out;
}
