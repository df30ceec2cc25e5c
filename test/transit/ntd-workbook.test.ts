// The NTD monthly workbook reader against both known layouts (synthetic fixtures from
// ntd-fixtures.ts): the same numbers come out of the current and the older release, estimated
// totals and notes are left out, and unknown layouts are refused with what was found.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getVersion } from '../../lib/catalog/catalog';
import { queryRows } from '../../lib/engine/duckdb';
import { registerInput } from '../../lib/engine/runner';
import { ingest } from '../../lib/ingest/ingest';
import { tempCtx } from '../helpers';
import { ntdFixtureRows, ntdSheetCsv, writeNtdWorkbook } from './ntd-fixtures';

const ctx = tempCtx();
afterAll(() => ctx.cleanup());

const shape = { startYear: 2022, months: 18 };
const rows = ntdFixtureRows({ ...shape, seed: 7 });

async function published(name: string) {
  const v = await getVersion(ctx.storage, `ntd_monthly.${name}`);
  const files = await Promise.all(v!.tables[0]!.files.map((k) => ctx.storage.localPath(k)));
  const db = await ctx.db();
  await registerInput(db, 'published', { kind: 'parquet', files });
  return queryRows<Record<string, unknown>>(
    db,
    `select ntd_id, mode, tos, strftime(month, '%Y-%m') as month, uace_cd, upt, vrm, vrh, voms
     from published order by ntd_id, mode, tos, month`,
  );
}

describe('NTD monthly workbook, both layouts', () => {
  it('reads the current layout (NTD ID, Mode, 1/2022 months) and leaves out the estimated totals', async () => {
    const path = join(ctx.root, 'current.xlsx');
    await writeNtdWorkbook(path, 'current', rows, shape);
    const out = await ingest(ctx, [path], { dataset: 'ntd_monthly', name: 'current' });
    expect(out.status).toBe('published');
    // 4 services × 18 months + the vanpool's 9 months before it went inactive
    expect(out.rowsPublished).toBe(4 * 18 + 9);
    const read = out.issues.find((i) => i.code === 'ntd_workbook_read');
    expect(read?.message).toMatch(
      /^current layout; 4 measure sheet\(s\), 81 .* 2022-01-01 to 2023-06-01; 4 row\(s\) without a numeric NTD ID/,
    );
    const got = await published('current');
    const first = rows[0]!;
    expect(got[0]).toEqual({
      ntd_id: '10001',
      mode: 'DR',
      tos: 'PT',
      month: '2022-01',
      uace_cd: '12345',
      upt: rows[2]!.values.UPT[0],
      vrm: rows[2]!.values.VRM[0],
      vrh: rows[2]!.values.VRH[0],
      voms: rows[2]!.values.VOMS[0],
    });
    const bus = got.filter((r) => r.ntd_id === '10001' && r.mode === 'MB');
    expect(bus.map((r) => r.upt)).toEqual(first.values.UPT);
  });

  it('reads the older layout (5 digit NTD ID as numbers, Modes, JAN22 months) to the same numbers', async () => {
    const path = join(ctx.root, 'older.xlsx');
    await writeNtdWorkbook(path, 'older', rows, shape);
    const out = await ingest(ctx, [path], { dataset: 'ntd_monthly', name: 'older' });
    expect(out.status).toBe('published');
    expect(out.issues.find((i) => i.code === 'ntd_workbook_read')?.message).toMatch(/^older layout/);
    const strip = (r: Record<string, unknown>) => ({ ...r, uace_cd: null });
    // the older release has no UACE code; everything else is identical
    expect((await published('older')).map(strip)).toEqual((await published('current')).map(strip));
  });

  it('refuses a workbook whose sheets lack the Mode column, saying which column is missing', async () => {
    const path = join(ctx.root, 'nomode.xlsx');
    await writeNtdWorkbook(path, 'current', rows, { ...shape, omitColumn: 'Mode' });
    const out = await ingest(ctx, [path], { dataset: 'ntd_monthly', name: 'nomode' });
    expect(out.status).toBe('rejected');
    expect(out.issues.find((i) => i.code === 'ntd_sheet_layout')?.message).toMatch(
      /no "Mode" \(or "Modes"\) column/,
    );
    expect(out.issues.find((i) => i.code === 'ntd_workbook_layout')?.message).toMatch(
      /sheets: Read Me, UPT, VRM, VRH, VOMS/,
    );
  });

  it('refuses a workbook with no NTD ID header, listing its sheets', async () => {
    const path = join(ctx.root, 'other.xlsx');
    await writeNtdWorkbook(path, 'current', rows, { ...shape, omitColumn: 'NTD ID' });
    const out = await ingest(ctx, [path], { dataset: 'ntd_monthly', name: 'other' });
    expect(out.status).toBe('rejected');
    expect(out.issues.filter((i) => i.code === 'ntd_sheet_layout')).toHaveLength(4);
  });

  it('reads the long export with the portal column list (Date, Active, UACE CD, State, FTA Region)', async () => {
    // column list as a public loader of the data.transportation.gov file names it; the date
    // spelling of that export was not seen, so two plausible ones are given here
    const head =
      'NTD ID,Legacy NTD ID,Agency,Mode/Type of Service Status,Active,Reporter Type,UACE CD,UZA Name,Mode,TOS,3 Mode,Date,UPT,VOMS,VRH,VRM,Agency Mode TOS Date,State,FTA Region';
    const file = join(ctx.root, 'long.csv');
    writeFileSync(
      file,
      [
        head,
        '10001,1,Metro Transit Authority,Active,Active,Full Reporter,12345,"Metro City, ST",MB,DO,Bus,01/01/2024 12:00:00 AM,900000,310,77500,930000,x,ST,1',
        '10001,1,Metro Transit Authority,Active,Active,Full Reporter,12345,"Metro City, ST",MB,DO,Bus,2024-02-01T00:00:00.000,880000,310,77000,924000,x,ST,1',
      ].join('\n'),
    );
    const out = await ingest(ctx, [file], { dataset: 'ntd_monthly', name: 'long' });
    expect(out.status).toBe('published');
    expect(await published('long')).toEqual([
      {
        ntd_id: '10001',
        mode: 'MB',
        tos: 'DO',
        month: '2024-01',
        uace_cd: '12345',
        upt: 900000,
        vrm: 930000,
        vrh: 77500,
        voms: 310,
      },
      {
        ntd_id: '10001',
        mode: 'MB',
        tos: 'DO',
        month: '2024-02',
        uace_cd: '12345',
        upt: 880000,
        vrm: 924000,
        vrh: 77000,
        voms: 310,
      },
    ]);
  });

  it('reads sheets saved one per CSV (measure from the file name) and merges them per month', async () => {
    const upt = join(ctx.root, 'ntd_UPT.csv');
    const vrm = join(ctx.root, 'ntd_VRM.csv');
    writeFileSync(upt, ntdSheetCsv('current', rows, 'UPT', shape));
    writeFileSync(vrm, ntdSheetCsv('current', rows, 'VRM', shape));
    const out = await ingest(ctx, [upt, vrm], { dataset: 'ntd_monthly', name: 'sheets' });
    expect(out.status).toBe('published');
    const pick = (r: Record<string, unknown>) => [r.ntd_id, r.mode, r.tos, r.month, r.upt, r.vrm];
    expect((await published('sheets')).map(pick)).toEqual((await published('current')).map(pick));

    const unnamed = join(ctx.root, 'ridership.csv');
    writeFileSync(unnamed, ntdSheetCsv('current', rows, 'UPT', shape));
    const bad = await ingest(ctx, [unnamed], { dataset: 'ntd_monthly', name: 'unnamed' });
    expect(bad.status).toBe('rejected');
    expect(bad.issues.find((i) => i.code === 'ntd_wide_csv_measure')?.fix).toMatch(/ntd_UPT\.csv/);
  });
});
