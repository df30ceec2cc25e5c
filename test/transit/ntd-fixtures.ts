// Synthetic NTD monthly workbooks in both known layouts (lib/transit/ntd-workbook.ts), with the
// same numbers whatever the layout so a test can compare them. No FTA data is copied: agencies,
// IDs and values are made up; only the shape (sheets, header spellings, month headers, an
// estimated-totals row without NTD ID, an inactive mode) follows the public loaders' view of the file.
import ExcelJS from 'exceljs';
import type { NtdLayout } from '../../lib/transit/ntd-workbook';
import { rng } from '../../lib/util/rng';

export type NtdFixtureRow = {
  ntdId: string;
  agency: string;
  mode: string;
  tos: string;
  status: 'Active' | 'Inactive';
  uace: string;
  uzaName: string;
  /** UPT, VRM, VRH, VOMS for each month (null = not reported). */
  values: Record<'UPT' | 'VRM' | 'VRH' | 'VOMS', (number | null)[]>;
};

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** Agencies × modes with seasonal ridership; one mode stops reporting half way (inactive). */
export function ntdFixtureRows(opts: { startYear: number; months: number; seed?: number }): NtdFixtureRow[] {
  const rand = rng(opts.seed ?? 1);
  const services = [
    { ntdId: '10001', agency: 'Metro Transit Authority', mode: 'MB', tos: 'DO', base: 900_000, voms: 310 },
    { ntdId: '10001', agency: 'Metro Transit Authority', mode: 'LR', tos: 'DO', base: 400_000, voms: 40 },
    { ntdId: '10001', agency: 'Metro Transit Authority', mode: 'DR', tos: 'PT', base: 20_000, voms: 90 },
    { ntdId: '10002', agency: 'Valley Regional Transit', mode: 'MB', tos: 'PT', base: 150_000, voms: 60 },
    { ntdId: '10002', agency: 'Valley Regional Transit', mode: 'VP', tos: 'PT', base: 8_000, voms: 45 },
  ];
  return services.map((s, i) => {
    const inactive = i === services.length - 1;
    const values: NtdFixtureRow['values'] = { UPT: [], VRM: [], VRH: [], VOMS: [] };
    for (let k = 0; k < opts.months; k++) {
      if (inactive && k >= opts.months / 2) {
        for (const m of ['UPT', 'VRM', 'VRH', 'VOMS'] as const) values[m].push(null);
        continue;
      }
      const season = 1 + 0.15 * Math.sin(((k % 12) / 12) * 2 * Math.PI);
      const upt = Math.round(s.base * season * (0.95 + 0.1 * rand()));
      const vrh = Math.round((s.voms * 250 * (0.97 + 0.06 * rand())) / (s.mode === 'DR' ? 2 : 1));
      values.UPT.push(upt);
      values.VRH.push(vrh);
      values.VRM.push(Math.round(vrh * (s.mode === 'LR' ? 15 : 12)));
      values.VOMS.push(s.voms);
    }
    return {
      ntdId: s.ntdId,
      agency: s.agency,
      mode: s.mode,
      tos: s.tos,
      status: inactive ? 'Inactive' : 'Active',
      uace: '12345',
      uzaName: 'Metro City, ST',
      values,
    };
  });
}

function monthHeader(layout: NtdLayout, startYear: number, k: number): string {
  const y = startYear + Math.floor(k / 12);
  const m = k % 12;
  return layout === 'current' ? `${m + 1}/${y}` : `${MONTHS[m]}${String(y % 100).padStart(2, '0')}`;
}

type SheetOpts = { startYear: number; months: number; omitColumn?: string };

/** The cells of one measure's sheet: header row, one row per service, a blank and the totals row. */
export function ntdSheetCells(
  layout: NtdLayout,
  rows: NtdFixtureRow[],
  measure: 'UPT' | 'VRM' | 'VRH' | 'VOMS',
  opts: SheetOpts,
): (string | number | null)[][] {
  const ids =
    layout === 'current'
      ? [
          'NTD ID',
          'Legacy NTD ID',
          'Agency',
          'Mode/Type of Service Status',
          'Reporter Type',
          'UACE CD',
          'UZA Name',
          'Mode',
          'TOS',
          '3 Mode',
        ]
      : [
          '5 digit NTD ID',
          '4 digit NTD ID',
          'Agency',
          'Active',
          'Reporter Type',
          'UZA',
          'UZA Name',
          'Modes',
          'TOS',
        ];
  const months = Array.from({ length: opts.months }, (_, k) => monthHeader(layout, opts.startYear, k));
  const keep = ids.map((h) => h !== opts.omitColumn);
  const out: (string | number | null)[][] = [[...ids.filter((_, i) => keep[i]), ...months]];
  for (const r of rows) {
    const legacy = String(Number(r.ntdId.slice(1)));
    const idCells =
      layout === 'current'
        ? [
            r.ntdId,
            legacy,
            r.agency,
            r.status,
            'Full Reporter',
            r.uace,
            r.uzaName,
            r.mode,
            r.tos,
            r.mode === 'LR' ? 'Rail' : 'Bus',
          ]
        : // the older release stores the IDs as numbers
          [
            Number(r.ntdId),
            Number(legacy),
            r.agency,
            r.status,
            'Full Reporter',
            99,
            r.uzaName,
            r.mode,
            r.tos,
          ];
    out.push([...idCells.filter((_, i) => keep[i]), ...r.values[measure]]);
  }
  // FTA adds estimated totals for reduced reporters below the agencies, without an NTD ID
  const totals = months.map((_, k) => rows.reduce((a, r) => a + (r.values[measure][k] ?? 0), 0));
  out.push([]);
  out.push([
    null,
    null,
    'Estimated Totals for Reduced Reporters',
    ...Array(keep.filter(Boolean).length - 3).fill(null),
    ...totals,
  ]);
  return out;
}

/** Writes the workbook of one layout to `path`. */
export async function writeNtdWorkbook(
  path: string,
  layout: NtdLayout,
  rows: NtdFixtureRow[],
  opts: SheetOpts,
) {
  const wb = new ExcelJS.Workbook();
  if (layout === 'current') wb.addWorksheet('Read Me').addRow(['Synthetic test workbook, not FTA data']);
  else {
    wb.addWorksheet('Note').addRow(['Synthetic test workbook, not FTA data']);
    wb.addWorksheet('MASTER').addRow(['5 digit NTD ID', 'Agency', 'Mode', 'TOS']);
  }
  for (const measure of ['UPT', 'VRM', 'VRH', 'VOMS'] as const) {
    const ws = wb.addWorksheet(measure);
    for (const cells of ntdSheetCells(layout, rows, measure, opts)) ws.addRow(cells);
  }
  await wb.xlsx.writeFile(path);
}

/** Writes one measure's sheet as CSV, as a spreadsheet program would save it. */
export function ntdSheetCsv(
  layout: NtdLayout,
  rows: NtdFixtureRow[],
  measure: 'UPT' | 'VRM' | 'VRH' | 'VOMS',
  opts: SheetOpts,
) {
  const esc = (v: string | number | null | undefined) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return `${ntdSheetCells(layout, rows, measure, opts)
    .map((r) => r.map(esc).join(','))
    .join('\n')}\n`;
}
