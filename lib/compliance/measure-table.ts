// The measure and target table of the federal package: for every federal measure, its baseline,
// 2- and 4-year targets, the latest value and whether the target is met — and, for every number,
// the run, input dataset versions and query hashes it came from.
import { basename } from 'node:path';
import { resultRows, runLineage } from '../api/results-data';
import { getResultIndex, type Lineage } from '../catalog/results';
import type { Ctx } from '../context';
import { FEDERAL_MEASURES } from './federal-measures';
import { getTargets } from './targets';

export interface MeasureRow {
  measure_id: string;
  measure: string;
  rule: string;
  applies_to: string;
  unit: string;
  performance_period: string | null;
  baseline_year: number | null;
  baseline: number | null;
  target_2yr: number | null;
  target_4yr: number | null;
  latest_year: number | null;
  latest: number | null;
  /** Latest value against the 4-year target (the 2-year one when no 4-year target is set). */
  status: 'met' | 'not met' | 'no target' | 'not computed';
  history: { year: number; value: number }[];
  run_id: string | null;
  inputs: string;
  queries: string;
  code_version: string | null;
}

export async function measureTable(
  ctx: Ctx,
): Promise<{ rows: MeasureRow[]; lineages: Lineage[]; targetsUpdated: string }> {
  const targets = await getTargets(ctx.storage);
  const lineages = new Map<string, Lineage>();
  const rows: MeasureRow[] = [];
  for (const m of FEDERAL_MEASURES) {
    const idx = await getResultIndex(ctx.storage, m.family);
    const byYear = new Map<number, { value: number; run: string }>();
    let lastRun: string | null = null;
    for (const [key, runId] of Object.entries(idx?.latest ?? {})) {
      const run = idx!.runs.find((r) => r.run_id === runId);
      const file = run?.files.find((k) => basename(k) === m.file);
      if (!run || !file) continue;
      const keyYear = /year=(\d{4})/.exec(key)?.[1];
      for (const v of m.value(await resultRows(ctx, file))) {
        const year = v.year ?? (keyYear ? Number(keyYear) : null);
        if (year === null || v.value === null) continue;
        const prev = byYear.get(year);
        if (!prev || prev.run < run.run_id) byYear.set(year, { value: v.value, run: run.run_id });
      }
      if (!lineages.has(run.run_id)) {
        const l = await runLineage(ctx, m.family, run);
        if (l) lineages.set(run.run_id, l);
      }
    }
    const history = [...byYear.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([year, v]) => ({ year, value: v.value }));
    const latestYear = history.at(-1)?.year ?? null;
    const latest = latestYear !== null ? byYear.get(latestYear)! : null;
    if (latest) lastRun = latest.run;
    const t = targets.targets
      .filter((x) => x.measure_id === m.id)
      .sort((a, b) => a.performance_period.localeCompare(b.performance_period))
      .at(-1);
    const baseline = t?.baseline ?? (t?.baseline_year ? (byYear.get(t.baseline_year)?.value ?? null) : null);
    const goal = t?.target_4yr ?? t?.target_2yr ?? null;
    const lin = lastRun ? lineages.get(lastRun) : undefined;
    rows.push({
      measure_id: m.id,
      measure: m.name,
      rule: m.rule,
      applies_to: m.appliesTo,
      unit: m.unit,
      performance_period: t?.performance_period ?? null,
      baseline_year: t?.baseline_year ?? null,
      baseline,
      target_2yr: t?.target_2yr ?? null,
      target_4yr: t?.target_4yr ?? null,
      latest_year: latestYear,
      latest: latest?.value ?? null,
      status: !latest
        ? 'not computed'
        : goal === null
          ? 'no target'
          : (m.higherIsBetter ? latest.value >= goal : latest.value <= goal)
            ? 'met'
            : 'not met',
      history,
      run_id: lastRun,
      inputs: lin ? lin.inputs.map((i) => `${i.dataset_id}@${i.version}`).join('; ') : '',
      queries: lin ? lin.queries.map((q) => `${q.name}#${q.sha256.slice(0, 12)}`).join('; ') : '',
      code_version: lin?.code_version ?? null,
    });
  }
  return { rows, lineages: [...lineages.values()], targetsUpdated: targets.updated_at };
}

export const CSV_COLUMNS: (keyof MeasureRow)[] = [
  'measure_id',
  'measure',
  'rule',
  'applies_to',
  'unit',
  'performance_period',
  'baseline_year',
  'baseline',
  'target_2yr',
  'target_4yr',
  'latest_year',
  'latest',
  'status',
  'run_id',
  'inputs',
  'queries',
  'code_version',
];

export function measureTableCsv(rows: MeasureRow[]) {
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return `${[CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => cell(r[c])).join(','))].join('\r\n')}\r\n`;
}
