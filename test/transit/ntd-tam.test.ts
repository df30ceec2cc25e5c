// FTA default useful life benchmarks (data/transit/tam_default_ulb.csv): the table itself, and
// through ingest + `compute transit --tam` that a vehicle row without ulb_years gets its type's
// default while a row's own ULB wins; service vehicles and unknown types still need their own.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getFamily } from '../../lib/compute/families';
import { TAM_DEFAULT_ULB_FILE } from '../../lib/datasets/ntd-tam';
import { ingest } from '../../lib/ingest/ingest';
import { tempCtx } from '../helpers';

const ctx = tempCtx();
afterAll(() => ctx.cleanup());

const HEADER = 'agency,report_year,asset_category,asset_class,quantity,model_year,ulb_years';

function csvRows(path: string) {
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const cols = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

describe('FTA default useful life benchmarks', () => {
  it('lists the 26 vehicle types of the cheat sheet once each, with the checked values', () => {
    const rows = csvRows(TAM_DEFAULT_ULB_FILE);
    expect(rows).toHaveLength(26);
    const ulb: Record<string, number> = Object.fromEntries(
      rows.map((r) => [r.vehicle_type_code, Number(r.default_ulb_years)]),
    );
    expect(Object.keys(ulb)).toHaveLength(26);
    // the three rows seen in the cheat sheet's own text, and research/transit.md's commonly cited ones
    expect(ulb).toMatchObject({ AB: 14, AG: 31, AO: 8, BU: 14, CU: 10, VN: 8, MV: 8, LR: 31, HR: 31 });
    expect(ulb).toMatchObject({ SR: 31, RL: 39, RP: 39, RS: 39, FB: 42 });
    for (const v of Object.values(ulb)) expect(Number.isInteger(v) && v > 0).toBe(true);
  });

  it("applies the default when a revenue-vehicle row has no ULB, and keeps a row's own", async () => {
    const file = join(ctx.root, 'tam-defaults.csv');
    writeFileSync(
      file,
      [
        HEADER,
        'metro,2024,rolling_stock,BU,10,2010,', // age 14 ≥ default 14: past
        'metro,2024,rolling_stock,bu,30,2015,', // lower-case code, age 9: not past
        'metro,2024,rolling_stock,CU,4,2013,12', // own 12 wins (age 11); default 10 would say past
      ].join('\n'),
    );
    const out = await ingest(ctx, [file], { dataset: 'ntd_tam' });
    expect(out.status).toBe('published');
    expect(out.rowsPublished).toBe(3);
    expect(out.issues.filter((i) => i.code === 'fta_default_ulb').map((i) => i.line)).toEqual([2, 3]);

    const dir = join(ctx.root, 'tam-out');
    await (await getFamily('transit')).run(ctx, { out: dir, flags: { tam: true } });
    const rows = csvRows(join(dir, 'transit_tam_measures.csv'));
    // total and not_in_sgr come out as DOUBLE (the same column carries track miles)
    const num = (v: string | undefined) => (v ? Number(v) : null);
    const got = Object.fromEntries(
      rows.map((r) => [
        r.asset_class,
        [num(r.total), num(r.not_in_sgr), num(r.pct), num(r.units_fta_default_ulb)],
      ]),
    );
    expect(got).toEqual({ BU: [10, 10, 100, 10], bu: [30, null, 0, 30], CU: [4, null, 0, 0] });
    const lineage = JSON.parse(readFileSync(join(dir, 'lineage.json'), 'utf8'));
    expect(JSON.stringify(lineage)).toContain('Default Useful Life Benchmark (ULB) Cheat Sheet, 2016-10-26');
    expect(JSON.stringify(lineage)).toContain('int_tam__inventory_ulb');
  });

  it('still refuses service vehicles and unknown vehicle types without a ULB', async () => {
    const file = join(ctx.root, 'tam-missing.csv');
    writeFileSync(
      file,
      [HEADER, 'metro,2024,equipment,AO,2,2015,', 'metro,2024,rolling_stock,XX,1,2015,'].join('\n'),
    );
    const out = await ingest(ctx, [file], { dataset: 'ntd_tam' });
    expect(out.status).toBe('rejected');
    expect(out.issues.filter((i) => i.code === 'missing_ulb').map((i) => i.line)).toEqual([2, 3]);
  });
});
