// The HPMS travel-time metric file comes from the PM3 engineer's exporter (corridor export
// hpms-pm3, lib/measures/pm3/hpms-export.ts); the compliance package calls it and serves the file.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { getResultIndex } from '../catalog/results';
import type { Ctx } from '../context';
import { exportHpmsPm3 } from '../measures/pm3/hpms-export';

/** Years with a PM3 run (keys year=YYYY), newest first. */
export async function pm3Years(ctx: Ctx) {
  const idx = await getResultIndex(ctx.storage, 'pm3');
  return Object.keys(idx?.latest ?? {})
    .map((k) => /^year=(\d{4})$/.exec(k)?.[1])
    .filter((y): y is string => Boolean(y))
    .map(Number)
    .sort((a, b) => b - a);
}

export async function hpmsFile(ctx: Ctx, opts: { year: number; stateCode: number; fillMissing?: boolean }) {
  const dir = await mkdtemp(join(ctx.config.scratchDir, 'hpms-'));
  try {
    const out = join(dir, `hpms-pm3-${opts.year}.txt`);
    const r = await exportHpmsPm3(ctx, {
      year: opts.year,
      stateCode: opts.stateCode,
      out,
      fillMissing: opts.fillMissing ?? false,
    });
    return { body: await readFile(out), rows: r.rows, runId: r.runId };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
