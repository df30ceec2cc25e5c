// Real data.census.gov exports (../shared/data/acs): every year ingests, and the non-SOV share
// reproduces DVRPC's published Philadelphia County series (research/datasets.md §6.1).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../lib/engine/duckdb';
import { ingest } from '../../lib/ingest/ingest';
import { family } from '../../lib/measures/commute-mode';
import { tempCtx } from '../helpers';
import { sharedData } from '../shared-data';

const dir = sharedData('acs/MATH189-FinalProject');

describe.skipIf(!dir)('ACS B08301 from real exports', () => {
  const ctx = tempCtx();
  afterAll(() => ctx.cleanup());

  it('ingests all nine years, keeping suppressed estimates as missing with a warning each', async () => {
    const files = readdirSync(dir!)
      .filter((f) => f.endsWith('.csv'))
      .map((f) => join(dir!, f));
    expect(files).toHaveLength(9);
    const out = await ingest(ctx, files, { dataset: 'acs_b08301' });
    expect(out.status).toBe('published');
    expect(out.rowsQuarantined).toBe(0);
    expect(out.rowsPublished).toBe(out.rowsRead);
    expect(out.rowsRead).toBe(7598 - 9 * 2);
    expect(out.issues.some((i) => i.code === 'suppressed_estimate' && i.severity === 'warning')).toBe(true);
  });

  it('computes the non-SOV share that DVRPC publishes for Philadelphia County', async () => {
    const out = join(ctx.root, 'out');
    await family.run(ctx, { out, flags: {} });
    const db = await ctx.db();
    const phl = await queryRows<{ year: number; share: number }>(
      db,
      `select year, non_sov_share as share from read_csv($p, header = true) where geo_id = '0500000US42101'`,
      { p: join(out, 'acs_non_sov_share.csv') },
    );
    // DVRPC Tracking Progress, ResNonSOV.csv, column philnonsov (three decimals).
    const published: Record<number, number> = {
      2015: 0.49,
      2016: 0.493,
      2019: 0.512,
      2021: 0.554,
      2022: 0.533,
    };
    for (const [year, share] of Object.entries(published)) {
      const got = phl.find((r) => r.year === Number(year));
      expect(got, `Philadelphia ${year}`).toBeDefined();
      expect(Math.round(got!.share * 1000) / 1000).toBe(share);
    }
  });
});
