// The measure and target table as an Excel workbook: one sheet in the layout of the target
// report, one with each measure's yearly history, one with the lineage of every run used.
import ExcelJS from 'exceljs';
import type { Lineage } from '../catalog/results';
import { CSV_COLUMNS, type MeasureRow } from './measure-table';

export async function measureWorkbook(
  rows: MeasureRow[],
  lineages: Lineage[],
  meta: { region: string; generatedAt: string },
) {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Corridor';
  wb.created = new Date(meta.generatedAt);
  const s = wb.addWorksheet('Measures and targets');
  s.addRow([
    `${meta.region}: federal performance measures and targets (generated ${meta.generatedAt})`,
  ]).font = { bold: true };
  s.addRow([]);
  const header = s.addRow(CSV_COLUMNS);
  header.font = { bold: true };
  for (const r of rows) s.addRow(CSV_COLUMNS.map((c) => r[c] as string | number | null));
  s.columns.forEach((col, i) => {
    col.width = i === 1 ? 60 : 18;
  });
  s.views = [{ state: 'frozen', ySplit: 3 }];
  const h = wb.addWorksheet('Yearly values');
  h.addRow(['measure_id', 'year', 'value']).font = { bold: true };
  for (const r of rows) for (const p of r.history) h.addRow([r.measure_id, p.year, p.value]);
  const l = wb.addWorksheet('Lineage');
  l.addRow([
    'run_id',
    'family',
    'key',
    'created_at',
    'code_version',
    'input dataset',
    'input version',
    'query',
    'query sha256',
    'rule',
  ]).font = { bold: true };
  for (const lin of lineages) {
    const n = Math.max(lin.inputs.length, lin.queries.length, 1);
    for (let i = 0; i < n; i++) {
      const inp = lin.inputs[i];
      const q = lin.queries[i];
      l.addRow([
        lin.run_id,
        lin.family,
        lin.key,
        lin.created_at,
        lin.code_version,
        inp?.dataset_id ?? '',
        inp?.version ?? '',
        q?.name ?? '',
        q?.sha256 ?? '',
        q?.reference ?? '',
      ]);
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
