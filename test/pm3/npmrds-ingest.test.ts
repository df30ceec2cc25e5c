// Every real TMC_Identification variant in the shared data ingests (13/18/39/43 columns, BOM,
// "null" literals), and the fhwa_pm3 package's test readings produce per-TMC metrics that match
// the package's own expectation when read the way it reads them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getFamily } from '../../lib/compute/families';
import { queryRows } from '../../lib/engine/duckdb';
import { ingest } from '../../lib/ingest/ingest';
import { sharedData } from '../shared-data';
import { tempContext } from './helpers';

const npmrds = sharedData('npmrds');

describe.skipIf(!npmrds)('NPMRDS ingest of real files', () => {
  const variants = [
    { dir: 'CSL', tmcs: 1924, columns: 13 },
    { dir: 'FHWA-DANATool', tmcs: 693, columns: 43 },
    { dir: 'Freight_Bottleneck_Analysis', tmcs: 1183, columns: 39 },
    { dir: 'fhwa_pm3-testdata', tmcs: 10, columns: 39 },
    { dir: 'mtsu_traffic_data', tmcs: 15007, columns: 18 },
    { dir: 'pbpp-metrics-materials', tmcs: 4723, columns: 43 },
  ];
  for (const v of variants) {
    it(`TMC_Identification.csv from ${v.dir} (${v.columns} columns) is published`, async () => {
      const { ctx } = await tempContext();
      const file = join(npmrds!, v.dir, 'TMC_Identification.csv');
      const header = readFileSync(file, 'utf8').split(/\r?\n/, 1)[0]!;
      expect(header.split(',').length).toBe(v.columns);
      const out = await ingest(ctx, [file], { dataset: 'npmrds' });
      expect(out.status, JSON.stringify(out.issues.filter((i) => i.severity === 'error').slice(0, 3))).toBe(
        'published',
      );
      expect(out.rowsPublished).toBe(v.tmcs);
      expect(out.issues.some((i) => i.code === 'no_readings')).toBe(true);
      if (v.columns < 39) expect(out.issues.some((i) => i.code === 'no_hpms_attributes')).toBe(true);
    });
  }

  it('the fhwa_pm3 test readings give its expected mean max TTTR (1.638) when stamps are read as wall-clock', async () => {
    const { ctx, dir } = await tempContext();
    const out = await ingest(ctx, [join(npmrds!, 'fhwa_pm3-testdata')], {
      dataset: 'npmrds',
      flags: { timestamps: 'wall-clock' },
    });
    expect(out.status).toBe('published');
    // 10 TMCs + 31,928 readings, none dropped; all are 15-minute epochs
    expect(out.rowsPublished).toBe(10 + 31928);
    expect(out.rowsQuarantined).toBe(0);
    const pm3 = await getFamily('pm3');
    const res = await pm3.run(ctx, { year: 2020, out: join(dir, 'out'), flags: {} });
    const db = await ctx.db();
    const [mean] = await queryRows<{ m: number }>(
      db,
      `select round(avg(m), 3) as m from (select tmc_code, max(tttr) as m from read_csv($f) group by 1)`,
      { f: join(dir, 'out', 'pm3_tmc_periods.csv') },
    );
    // markegge/fhwa_pm3 tests/testthat: mean of max TTTR over the 10 TMCs = 1.638 (nearest rank, unrounded percentiles)
    expect(mean!.m).toBe(1.638);
    const rows = await queryRows<{ tmc_code: string; lottr_we: number; is_reliable: boolean }>(
      db,
      `select tmc_code, lottr_we, is_reliable from read_csv($f) order by tmc_code`,
      { f: join(dir, 'out', 'pm3_tmc.csv') },
    );
    expect(rows).toHaveLength(10);
    // research/tpm-measures.md §2.4: 000P10010 weekend (n = 10) is 1.62 by nearest rank (1.38 by interpolation)
    expect(rows.find((r) => r.tmc_code === '000P10010')).toMatchObject({
      lottr_we: 1.62,
      is_reliable: false,
    });
    expect(res.summary.tttr_index).toBe(1.08);
  });

  it('stamps with an offset are moved to the TMC time zone by default', async () => {
    const { ctx } = await tempContext();
    await ingest(ctx, [join(npmrds!, 'fhwa_pm3-testdata')], { dataset: 'npmrds' });
    const db = await ctx.db();
    const { useDataset } = await import('../../lib/compute/run-support');
    await useDataset(ctx, db, 'npmrds', 'readings', 'r');
    // 2020-02-01T12:45:00Z is 05:45 in America/Denver (MST, UTC-7)
    const rows = await queryRows<{ tt: number }>(
      db,
      `select travel_time_seconds as tt from r where tmc_code = '000+10001' and measurement_tstamp = '2020-02-01 05:45:00'`,
    );
    expect(rows.map((r) => r.tt)).toEqual([417.92]);
  });
});
