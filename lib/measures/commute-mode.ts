// Non-SOV commute share from ACS B08301 — the PM3 non-SOV travel measure's ACS option.
import type { ComputeFamily } from '../compute/families';
import { publishRun, useDataset } from '../compute/run-support';
import { queryRows } from '../engine/duckdb';
import { runQueries } from '../engine/runner';

export const family: ComputeFamily = {
  name: 'commute_mode',
  title: 'Commute mode and non-SOV share (ACS)',
  summary: 'Share of workers not driving alone, per geography and year, with margins of error',
  reference: '23 CFR 490.707 (non-SOV travel); ACS table B08301',
  async run(ctx, opts) {
    const db = await ctx.db();
    const input = await useDataset(ctx, db, 'acs_b08301', 'acs_commute_mode');
    const { ran } = await runQueries(db, { targets: ['acs_non_sov_share'] });
    if (opts.year !== undefined)
      await db.run(`delete from acs_non_sov_share where year <> $y`, { y: opts.year });
    const [years] = await queryRows<{ first: number; last: number; n: number }>(
      db,
      'select min(year) as first, max(year) as last, count(*)::bigint as n from acs_non_sov_share',
    );
    const latest = await queryRows<{
      geo_id: string;
      name: string;
      year: number;
      non_sov_share: number;
      non_sov_share_moe: number;
    }>(
      db,
      `select geo_id, name, year, non_sov_share, non_sov_share_moe from acs_non_sov_share
       where year = (select max(year) from acs_non_sov_share) order by workers desc limit 10`,
    );
    const summary = {
      rows: years?.n ?? 0,
      first_year: years?.first ?? null,
      last_year: years?.last ?? null,
      largest_geographies_latest_year: latest.map((r) => ({
        ...r,
        non_sov_pct: Math.round(r.non_sov_share * 1000) / 10,
      })),
    };
    const { files, runId } = await publishRun(ctx, db, {
      family: 'commute_mode',
      key: opts.year ? `year=${opts.year}` : 'all',
      out: opts.out ?? 'out/commute_mode',
      outputs: [{ table: 'acs_non_sov_share', format: 'csv', orderBy: ['year', 'geo_id'] }],
      summary,
      ran,
      params: { year: opts.year ?? null },
      inputs: [input],
    });
    return { files, summary, runId };
  },
};
