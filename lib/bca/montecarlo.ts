// Seeded Monte Carlo over the present-value components: each draw multiplies each project's PV
// benefits and PV costs by triangular factors (independent across projects — a stated
// simplification; common-mode risks are better tested with the deterministic cases). Benefit
// streams valued with an operations-library default that has a published range are the
// exception: that factor is drawn once per iteration and shared (see `factors`). Reports
// nearest-rank P10/P50/P90 of NPV and BCR. An explicitly labelled risk scenario, not a forecast.

import { rng } from '../util/rng';
import { bcr, npv, type PvComponents } from './discount';
import { type ImpactRange, impactRatio } from './impact-ranges';
import type { CostConvention } from './params';
import { scale } from './sensitivity';

export { rng };

export function triangular(u: number, [lo, mode, hi]: [number, number, number]): number {
  if (hi === lo) return lo;
  const f = (mode - lo) / (hi - lo);
  return u < f
    ? lo + Math.sqrt(u * (hi - lo) * (mode - lo))
    : hi - Math.sqrt((1 - u) * (hi - lo) * (hi - mode));
}

export function nearestRank(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

export interface McSpec {
  iterations: number;
  seed: number;
  benefits: [number, number, number];
  costs: [number, number, number];
  /** Separate ranges for named benefit types (e.g. safety, travel_time); others use `benefits`. */
  byType?: Record<string, [number, number, number]>;
  /**
   * Operations-library impact factors with a published range, by `impactKey`: each is drawn from
   * triangular(low, value, high) and the benefit parts tagged with it are scaled by
   * f(draw)/f(value) instead of by the general or by-type draw.
   */
  factors?: Record<string, ImpactRange>;
}

export interface McProject {
  id: string;
  pv: PvComponents;
  byType?: Record<string, number | null>;
  /** PV of the benefits proportional to a drawn factor (`impactParts` of the project's rows). */
  factorParts?: { key: string; type: string; pv: number }[];
}

/** The columns of the Monte Carlo table in ledger-style outputs (CSV and Excel). */
export const MC_COLUMNS = [
  'scope',
  'iterations',
  'npv_p10',
  'npv_p50',
  'npv_p90',
  'bcr_p10',
  'bcr_p50',
  'bcr_p90',
  'prob_npv_negative',
] as const;

export interface McStats {
  scope: string;
  iterations: number;
  npv_p10: number | null;
  npv_p50: number | null;
  npv_p90: number | null;
  bcr_p10: number | null;
  bcr_p50: number | null;
  bcr_p90: number | null;
  prob_npv_negative: number | null;
}

function stats(scope: string, npvs: number[], bcrs: number[]): McStats {
  npvs.sort((a, b) => a - b);
  bcrs.sort((a, b) => a - b);
  return {
    scope,
    iterations: npvs.length,
    npv_p10: nearestRank(npvs, 0.1),
    npv_p50: nearestRank(npvs, 0.5),
    npv_p90: nearestRank(npvs, 0.9),
    bcr_p10: nearestRank(bcrs, 0.1),
    bcr_p50: nearestRank(bcrs, 0.5),
    bcr_p90: nearestRank(bcrs, 0.9),
    prob_npv_negative: npvs.length ? npvs.filter((v) => v < 0).length / npvs.length : null,
  };
}

export function monteCarlo(
  projects: McProject[],
  spec: McSpec,
  convention: CostConvention,
  /** Sees every project's drawn PV components (for tests and diagnostics). */
  onDraw?: (iteration: number, project: number, pv: PvComponents) => void,
): { projects: McStats[]; portfolio: McStats; portfolioNpv: number[] } {
  const next = rng(spec.seed);
  const n = spec.iterations;
  const factors = Object.entries(spec.factors ?? {});
  const ratio: Record<string, number> = {};
  // the part of each by_type stream already drawn through a factor
  const typed = projects.map((p) => {
    const t: Record<string, number> = {};
    for (const f of p.factorParts ?? []) if (spec.factors?.[f.key]) t[f.type] = (t[f.type] ?? 0) + f.pv;
    return t;
  });
  const per = projects.map(() => ({ npv: new Array<number>(n), bcr: [] as number[] }));
  const totalNpv = new Array<number>(n);
  const totalBcr: number[] = [];
  for (let i = 0; i < n; i++) {
    const sum: PvComponents = { benefits: 0, capital: 0, om: 0, rehab: 0, residual: 0 };
    // One draw per published factor per iteration, shared by every project that uses it: the
    // uncertainty is in the published figure (one evaluation's ramp-metering saving), not in
    // each project, so two projects valued with it are wrong together. Drawn before the projects
    // so a run without such factors keeps the random sequence (and results) it had before.
    for (const [key, r] of factors) ratio[key] = impactRatio(r, triangular(next(), [r.low, r.value, r.high]));
    projects.forEach((p, j) => {
      const mB = triangular(next(), spec.benefits);
      const pv = scale(p.pv, mB, triangular(next(), spec.costs));
      // benefit types with their own range: swap the general draw for a draw of their own
      for (const [t, range] of Object.entries(spec.byType ?? {})) {
        const part = p.byType?.[t];
        if (part) pv.benefits += (part - (typed[j]![t] ?? 0)) * (triangular(next(), range) - mB);
      }
      // factor-driven parts: swap the general draw for the shared factor's ratio
      for (const f of p.factorParts ?? []) {
        const q = ratio[f.key];
        if (q !== undefined) pv.benefits += f.pv * (q - mB);
      }
      onDraw?.(i, j, pv);
      per[j]!.npv[i] = npv(pv);
      const r = bcr(pv, convention);
      if (r !== null) per[j]!.bcr.push(r);
      sum.benefits += pv.benefits;
      sum.capital += pv.capital;
      sum.om += pv.om;
      sum.rehab += pv.rehab;
      sum.residual += pv.residual;
    });
    totalNpv[i] = npv(sum);
    const r = bcr(sum, convention);
    if (r !== null) totalBcr.push(r);
  }
  return {
    projects: projects.map((p, j) => stats(p.id, per[j]!.npv, per[j]!.bcr)),
    portfolio: stats('portfolio', [...totalNpv], totalBcr),
    portfolioNpv: totalNpv,
  };
}
