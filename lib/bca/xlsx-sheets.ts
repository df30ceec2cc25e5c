// The sheets of an Excel scenario as rows of cells, with every cell's address kept so that a
// problem names the sheet, the cell and the column. Sheet and column names are matched without
// regard to case or surrounding spaces; a name that only resembles an expected one is an error
// (its rows would otherwise be ignored), any other extra sheet or column a warning.
import type ExcelJS from 'exceljs';
import type { IssueCollector } from '../ingest/issues';
import { didYouMean, meant, parseUsd } from './cells';

export interface Cell {
  value: unknown;
  /** A1-style address, e.g. F2. */
  address: string;
}

export interface SheetRow {
  sheet: string;
  line: number;
  cells: Record<string, Cell>;
}

export interface SheetSpec {
  required: boolean;
  columns: readonly string[];
  requiredColumns: readonly string[];
}

const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, '_');

/** Plain value of an ExcelJS cell: formula results, rich text and hyperlinks as their text. */
function plain(v: ExcelJS.CellValue): unknown {
  if (v === null || v === undefined) return undefined;
  if (typeof v !== 'object' || v instanceof Date) return v;
  if ('result' in v) return plain(v.result as ExcelJS.CellValue);
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('text' in v) return v.text;
  if ('error' in v) return v.error;
  return String(v);
}

export function readSheets(
  wb: ExcelJS.Workbook,
  specs: Record<string, SheetSpec>,
  file: string,
  issues: IssueCollector,
): Record<string, SheetRow[]> {
  const expected = Object.keys(specs);
  const found = new Map<string, ExcelJS.Worksheet>();
  for (const ws of wb.worksheets) {
    const n = norm(ws.name);
    if (specs[n]) {
      found.set(n, ws);
      continue;
    }
    const m = didYouMean(n, expected);
    if (m && !wb.worksheets.some((w) => norm(w.name) === m)) {
      issues.error({
        code: 'bca.xlsx.sheet',
        file,
        column: ws.name,
        message: `sheet "${ws.name}" is not read${meant(n, expected)} (its rows would be ignored)`,
        fix: `rename the sheet; sheets read: ${expected.join(', ')}`,
      });
    } else {
      issues.warn({
        code: 'bca.xlsx.sheet.ignored',
        file,
        column: ws.name,
        message: `sheet "${ws.name}" is not read`,
        fix: `sheets read: ${expected.join(', ')}`,
      });
    }
  }
  const out: Record<string, SheetRow[]> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const ws = found.get(name);
    out[name] = [];
    if (!ws) {
      if (spec.required)
        issues.error({
          code: 'bca.xlsx.sheet',
          file,
          column: name,
          message: `the workbook has no "${name}" sheet`,
          fix: 'start from corridor bca template --out scenario.xlsx',
        });
      continue;
    }
    const header: (string | undefined)[] = [];
    ws.getRow(1).eachCell((c, i) => {
      const h = norm(String(plain(c.value) ?? ''));
      if (!h) return;
      if (spec.columns.includes(h)) {
        header[i] = h;
        return;
      }
      const m = didYouMean(h, spec.columns);
      const near = m !== null && !headerHas(ws, m);
      (near ? issues.error : issues.warn).call(issues, {
        code: near ? 'bca.xlsx.column' : 'bca.xlsx.column.ignored',
        file,
        line: 1,
        column: h,
        message: `sheet ${ws.name}, cell ${c.address}: column "${h}" is not read${near ? `${meant(h, spec.columns)} (its values would be ignored)` : ''}`,
        fix: `columns of ${name}: ${spec.columns.join(', ')}`,
      });
    });
    for (const col of spec.requiredColumns) {
      if (!header.includes(col))
        issues.error({
          code: 'bca.xlsx.column',
          file,
          line: 1,
          column: col,
          message: `sheet ${ws.name} has no column ${col}`,
          fix: `columns of ${name}: ${spec.columns.join(', ')}`,
        });
    }
    ws.eachRow((row, n) => {
      if (n === 1) return;
      const cells: Record<string, Cell> = {};
      row.eachCell((c, i) => {
        const h = header[i];
        const v = plain(c.value);
        if (h && v !== undefined && !(typeof v === 'string' && v.trim() === ''))
          cells[h] = { value: typeof v === 'string' ? v.trim() : v, address: c.address };
      });
      if (Object.keys(cells).length) out[name]!.push({ sheet: ws.name, line: n, cells });
    });
  }
  return out;
}

function headerHas(ws: ExcelJS.Worksheet, col: string) {
  let has = false;
  ws.getRow(1).eachCell((c) => {
    if (norm(String(plain(c.value) ?? '')) === col) has = true;
  });
  return has;
}

/** Typed cell readers that report a bad cell (sheet, cell, column, value) and return undefined. */
export function cellReader(file: string, issues: IssueCollector) {
  const bad = (r: SheetRow, col: string, what: string, fix: string) => {
    const c = r.cells[col]!;
    issues.error({
      code: 'bca.xlsx.cell',
      file,
      line: r.line,
      column: col,
      value: String(c.value),
      message: `sheet ${r.sheet}, cell ${c.address}: ${what}`,
      fix,
    });
    return undefined;
  };
  return {
    text: (r: SheetRow, col: string) => {
      const v = r.cells[col]?.value;
      return v === undefined ? undefined : v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
    },
    amount: (r: SheetRow, col: string): number | undefined => {
      const v = r.cells[col]?.value;
      if (v === undefined) return undefined;
      if (typeof v === 'number') return v;
      const p = parseUsd(String(v));
      return 'error' in p ? bad(r, col, p.error, 'enter the amount in US dollars as a number') : p.value;
    },
    year: (r: SheetRow, col: string): number | undefined => {
      const v = r.cells[col]?.value;
      if (v === undefined) return undefined;
      const n = typeof v === 'number' ? v : /^\s*\d{4}(\.0+)?\s*$/.test(String(v)) ? Number(v) : Number.NaN;
      return Number.isInteger(n) && n >= 1900 && n <= 2200
        ? n
        : bad(r, col, `"${String(v)}" is not a calendar year`, 'enter a four-digit year, e.g. 2027');
    },
    number: (r: SheetRow, col: string): number | undefined => {
      const v = r.cells[col]?.value;
      if (v === undefined) return undefined;
      const n = typeof v === 'number' ? v : Number(String(v).trim());
      return Number.isFinite(n) && String(v).trim() !== ''
        ? n
        : bad(r, col, `"${String(v)}" is not a number`, 'enter a number');
    },
    bool: (r: SheetRow, col: string): boolean | undefined => {
      const v = r.cells[col]?.value;
      if (v === undefined) return undefined;
      const s = String(v).trim().toLowerCase();
      if (v === true || v === 1 || ['true', 'yes', 'y', '1'].includes(s)) return true;
      if (v === false || v === 0 || ['false', 'no', 'n', '0'].includes(s)) return false;
      return bad(r, col, `"${String(v)}" is not TRUE or FALSE`, 'enter TRUE or FALSE (or leave it blank)');
    },
  };
}
