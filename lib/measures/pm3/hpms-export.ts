// Writes the HPMS Travel Time Metric file from a published PM3 run: the fields in specification
// order, pipe-delimited with a header row, numbers at the specified precision without trailing
// zeros (as in the specification's example record), then validates what was written.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { getLatestRun } from '../../catalog/results';
import type { Ctx } from '../../context';
import { queryRows } from '../../engine/duckdb';
import { registerInput, runQueries } from '../../engine/runner';
import { HPMS_FIELDS } from './hpms-fields';

export async function exportHpmsPm3(
  ctx: Ctx,
  opts: { year: number; stateCode: number; out: string; fillMissing: boolean },
) {
  const run = await getLatestRun(ctx.storage, 'pm3', `year=${opts.year}`);
  const key = run?.files.find((k) => k.endsWith('/pm3_tmc.csv'));
  if (!run || !key)
    throw new Error(`no PM3 results for ${opts.year}: run corridor compute pm3 --year ${opts.year} first`);
  if (run.summary.source !== 'npmrds')
    throw new Error(
      `the latest PM3 run for ${opts.year} was computed from ${String(run.summary.source)}; the HPMS file is written from NPMRDS results`,
    );
  const db = await ctx.db();
  await registerInput(db, 'pm3_segments', { kind: 'csv', files: [await ctx.storage.localPath(key)] });
  await runQueries(db, {
    targets: ['pm3_hpms_travel_time_metrics'],
    params: { year: opts.year, state_code: opts.stateCode, fill_missing: opts.fillMissing },
  });
  const rows = await queryRows(db, 'select * from pm3_hpms_travel_time_metrics order by "Travel_Time_Code"');
  const lines = [HPMS_FIELDS.map((f) => f.name).join('|')];
  for (const r of rows)
    lines.push(
      HPMS_FIELDS.map((f) => formatValue(r[f.name], f.kind === 'dec' ? (f.scale ?? 0) : 0)).join('|'),
    );
  await mkdir(dirname(opts.out), { recursive: true });
  await writeFile(opts.out, `${lines.join('\n')}\n`);
  return { rows: rows.length, runId: run.run_id };
}

function formatValue(v: unknown, scale: number): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(Number(v.toFixed(scale)));
  return String(v).replaceAll('|', '/');
}
