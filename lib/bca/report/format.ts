// Number formatting shared by the report formats.
import type { McSpec, McStats } from '../montecarlo';
export const usd = (v: number | null | undefined) =>
  v === null || v === undefined || !Number.isFinite(v)
    ? '—'
    : `${v < 0 ? '−' : ''}$${Math.abs(Math.round(v)).toLocaleString('en-US')}`;
export const usdM = (v: number | null | undefined) =>
  v === null || v === undefined || !Number.isFinite(v)
    ? '—'
    : `${v < 0 ? '−' : ''}$${(Math.abs(v) / 1e6).toFixed(2)}M`;
export const ratio = (v: number | null | undefined) =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(2);
export const pct = (v: number | null | undefined, d = 1) =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(d)}%`;
export const num = (v: number | null | undefined, d = 0) =>
  v === null || v === undefined || !Number.isFinite(v)
    ? '—'
    : v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
export const esc = (s: unknown) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

export function selectionLabel(m: { method: string; optimal: boolean; status: string }) {
  switch (m.method) {
    case 'milp_highs':
      return m.optimal
        ? 'Optimal portfolio (integer program solved to proven optimality with HiGHS)'
        : `Best portfolio found; optimality NOT proven (solver status: ${m.status})`;
    case 'greedy_bcr':
      return 'Ranked by BCR (a heuristic, not an optimum)';
    case 'unconstrained':
      return 'No budgets given: every project with a positive NPV (best alternative)';
    default:
      return 'Program as listed (no optimisation)';
  }
}

/**
 * How to read an incremental table, and why its preferred alternative can differ from the
 * portfolio's: the incremental test ignores budgets, the selection does not (research/bca.md §5).
 */
export function incrementalNote(
  inc: { project_id: string; preferred: string },
  selected: string | null,
): string {
  const how =
    'Alternatives in order of PV cost, each against the best accepted so far (do-nothing first); the costlier one is accepted when ΔB/ΔC > 1.';
  if (selected === inc.preferred) return how;
  return `${how} This test ignores budgets: the selected portfolio takes ${selected ?? 'no alternative'} of ${inc.project_id}.`;
}

/** The Monte Carlo percentile table as the HTML and PDF reports print it. */
export const MC_TABLE_HEADERS = [
  'Scope',
  'NPV P10',
  'NPV P50',
  'NPV P90',
  'BCR P10',
  'BCR P50',
  'BCR P90',
  'P(NPV<0)',
];

export function mcTableRows(mc: { projects: McStats[]; portfolio: McStats }): string[][] {
  return [...mc.projects, mc.portfolio].map((m) => [
    m.scope,
    usd(m.npv_p10),
    usd(m.npv_p50),
    usd(m.npv_p90),
    ratio(m.bcr_p10),
    ratio(m.bcr_p50),
    ratio(m.bcr_p90),
    pct(m.prob_npv_negative),
  ]);
}

/** What the Monte Carlo draws for the operations defaults with a published range ('' if none). */
export function mcFactorNote(spec: McSpec): string {
  const fs = Object.values(spec.factors ?? {});
  if (fs.length === 0) return '';
  const each = fs.map(
    (f) =>
      `${f.strategy} ${f.measure.replaceAll('_', ' ')} triangular(${f.low}, ${f.value}, ${f.high})${f.measure === 'incident_duration_reduction' ? ' turned into a delay cut 1 − (1 − r)²' : ''}`,
  );
  return ` Operations-library defaults drawn from their published ranges, one draw per iteration shared by every project that uses the default (it replaces the general benefit multiplier for the streams valued with it; a factor the scenario sets itself is not drawn): ${each.join('; ')}.`;
}

/** How the Monte Carlo was drawn, in words: the same sentence in the HTML, PDF and Excel reports. */
export function mcDescription(mc: { spec: McSpec; source: string }): string {
  const { spec } = mc;
  const byType = Object.entries(spec.byType ?? {})
    .map(([t, r]) => `, ${t.replaceAll('_', ' ')} benefits × triangular(${r.join(', ')})`)
    .join('');
  return `Monte Carlo risk scenario (${num(spec.iterations)} draws, seed ${spec.seed}): PV benefits × triangular(${spec.benefits.join(', ')}), PV costs × triangular(${spec.costs.join(', ')})${byType}, independent across projects.${mcFactorNote(spec)} Source of ranges: ${mc.source}. Percentiles are nearest-rank.`;
}
