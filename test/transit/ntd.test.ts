// NTD monthly ingest (header aliases, month formats, a bad month quarantined) and the agency
// measures run through `compute transit --ntd --tam --ptasp`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { getFamily } from '../../lib/compute/families';
import { ingest } from '../../lib/ingest/ingest';
import { tempCtx } from '../helpers';

const ctx = tempCtx();
afterAll(() => ctx.cleanup());

describe('NTD, TAM and PTASP inputs', () => {
  it('reads the long NTD export with its own column names and month spellings, quarantining a bad month', async () => {
    const file = join(ctx.root, 'ntd.csv');
    const rows = ['NTD ID,Agency,Mode,TOS,Month,UZA Name,Mode/Type of Service Status,UPT,VRM,VRH,VOMS'];
    for (let m = 1; m <= 12; m++)
      rows.push(`10001,Metro Transit,MB,DO,${m}/1/2023,"Metro, ST",Active,${100000 + m},50000,4000,60`);
    for (let m = 1; m <= 12; m++)
      rows.push(
        `10001,Metro Transit,MB,DO,${['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'][m - 1]} 2024,"Metro, ST",Active,${110000 + m},50000,4000,60`,
      );
    rows.push('10001,Metro Transit,MB,DO,Smarch 2024,"Metro, ST",Active,1,1,1,1');
    writeFileSync(file, `${rows.join('\n')}\n`);
    const out = await ingest(ctx, [file], { dataset: 'ntd_monthly', maxBadRowFraction: 0.1 });
    expect(out.status).toBe('published');
    expect(out.rowsPublished).toBe(24);
    expect(out.issues.find((i) => i.code === 'bad_month')).toMatchObject({ line: 26, column: 'date' });

    writeFileSync(
      join(ctx.root, 'tam.csv'),
      'agency,report_year,asset_category,asset_class,quantity,model_year,ulb_years,term_rating,track_miles,restricted_miles,target_pct\nmetro,2024,rolling_stock,BU,10,2010,14,,,,20\nmetro,2024,rolling_stock,BU,30,2015,14,,,,20\n',
    );
    expect((await ingest(ctx, [join(ctx.root, 'tam.csv')], { dataset: 'ntd_tam' })).status).toBe('published');
    writeFileSync(
      join(ctx.root, 'safety.csv'),
      'agency,mode,year,fatalities,injuries,safety_events,major_mechanical_failures,vrm\nmetro,bus,2024,1,50,40,250,5000000\n',
    );
    expect((await ingest(ctx, [join(ctx.root, 'safety.csv')], { dataset: 'ntd_ptasp' })).status).toBe(
      'published',
    );

    const res = await (await getFamily('transit')).run(ctx, {
      out: join(ctx.root, 'agency'),
      flags: { ntd: true, tam: true, ptasp: true },
    });
    expect(res.summary).toEqual({
      // PTASP: fatalities, injuries and major events (count and rate each) and MDBF
      rows: {
        transit_ntd_productivity: 24,
        transit_tam_measures: 1,
        transit_ptasp_measures: 7,
        transit_ptasp_region: 7,
      },
    });
  });

  it('refuses a TAM service-vehicle row without a useful life benchmark (no verified default)', async () => {
    writeFileSync(
      join(ctx.root, 'tam2.csv'),
      'agency,report_year,asset_category,asset_class,quantity,model_year\nmetro,2024,equipment,AO,10,2010\n',
    );
    const out = await ingest(ctx, [join(ctx.root, 'tam2.csv')], { dataset: 'ntd_tam', name: undefined });
    expect(out.status).toBe('rejected');
    expect(out.issues.find((i) => i.code === 'missing_ulb')).toMatchObject({ line: 2, column: 'ulb_years' });
  });

  it('pivots the wide Monthly Module workbook (one sheet per measure, month columns as text or dates)', async () => {
    const wb = new ExcelJS.Workbook();
    for (const [i, measure] of ['UPT', 'VRM', 'VRH', 'VOMS'].entries()) {
      const ws = wb.addWorksheet(measure);
      ws.addRow(['Monthly Module Adjusted Data Release']);
      // month headers: text "1/2024" on two sheets, real Excel dates on the others
      const months =
        i % 2 ? [new Date(Date.UTC(2024, 0, 1)), new Date(Date.UTC(2024, 1, 1))] : ['1/2024', '2/2024'];
      ws.addRow([
        'NTD ID',
        'Legacy NTD ID',
        'Agency',
        'Mode/Type of Service Status',
        'Reporter Type',
        'UZA Name',
        'Mode',
        'TOS',
        '3 Mode',
        ...months,
      ]);
      ws.addRow([
        '10001',
        '1',
        'Metro Transit',
        'Active',
        'Full Reporter',
        'Metro, ST',
        'MB',
        'DO',
        'Bus',
        (i + 1) * 100,
        (i + 1) * 110,
      ]);
      ws.addRow([
        '10001',
        '1',
        'Metro Transit',
        'Active',
        'Full Reporter',
        'Metro, ST',
        'DR',
        'PT',
        'Bus',
        (i + 1) * 10,
        null,
      ]);
    }
    const path = join(ctx.root, 'monthly.xlsx');
    await wb.xlsx.writeFile(path);
    const out = await ingest(ctx, [path], { dataset: 'ntd_monthly' });
    expect(out.status).toBe('published');
    expect(out.rowsPublished).toBe(3);
    const db = await ctx.db();
    const { getVersion } = await import('../../lib/catalog/catalog');
    const v = await getVersion(ctx.storage, 'ntd_monthly');
    const files = await Promise.all(v!.tables[0]!.files.map((k) => ctx.storage.localPath(k)));
    const { queryRows } = await import('../../lib/engine/duckdb');
    const rows = await queryRows(
      db,
      `select mode, strftime(month, '%Y-%m') as m, upt, vrm, vrh, voms from read_parquet($f) order by all`,
      { f: files[0] },
    );
    expect(rows).toEqual([
      { mode: 'DR', m: '2024-01', upt: 10, vrm: 20, vrh: 30, voms: 40 },
      { mode: 'MB', m: '2024-01', upt: 100, vrm: 200, vrh: 300, voms: 400 },
      { mode: 'MB', m: '2024-02', upt: 110, vrm: 220, vrh: 330, voms: 440 },
    ]);
  });
});
