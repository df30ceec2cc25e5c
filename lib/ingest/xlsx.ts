// Excel workbooks: the chosen sheet (default: the first) is written out as UTF-8 CSV and then read
// like any other CSV, so the same column matching and validation apply.
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { IssueCollector } from './issues';
import type { SourceFile } from './sources';

/** The workbook, or null with an issue when the file is not a readable .xlsx. */
export async function openWorkbook(
  file: SourceFile,
  issues: IssueCollector,
): Promise<ExcelJS.Workbook | null> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.readFile(file.localPath);
    return wb;
  } catch (e) {
    issues.error({
      code: 'unreadable_xlsx',
      file: file.name,
      message: `not a readable Excel workbook: ${(e as Error).message}`,
      fix: 'save it again as .xlsx, or export CSV',
    });
    return null;
  }
}

export async function xlsxToCsv(file: SourceFile, scratch: string, issues: IssueCollector, sheet?: string) {
  const wb = await openWorkbook(file, issues);
  if (!wb) return null;
  const ws = sheet ? wb.getWorksheet(sheet) : wb.worksheets[0];
  if (!ws) {
    issues.error({
      code: 'missing_sheet',
      file: file.name,
      message: `no sheet ${sheet ?? ''} in the workbook (sheets: ${wb.worksheets.map((w) => w.name).join(', ')})`,
    });
    return null;
  }
  const out = join(scratch, `xlsx-${Math.random().toString(36).slice(2)}.csv`);
  const stream = createWriteStream(out);
  const esc = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  const width = ws.columnCount;
  ws.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let i = 1; i <= width; i++) cells.push(esc(cellText(row.getCell(i).value)));
    stream.write(`${cells.join(',')}\n`);
  });
  await new Promise<void>((resolve, reject) => stream.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return out;
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date)
    return v
      .toISOString()
      .replace('T', ' ')
      .replace(/\.000Z$|Z$/, '');
  if (typeof v === 'object') {
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('text' in v) return String(v.text);
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('error' in v) return '';
  }
  return String(v);
}
