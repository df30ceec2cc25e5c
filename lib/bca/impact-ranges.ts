// The published ranges of the operations library's impact factors (data/bca/operations_strategies.csv
// `low`/`high`), as used by the risk analysis: a benefit stream valued with a library default that
// has a range carries the range, so the Monte Carlo and the deterministic low/high cases can move
// that stream with the factor instead of with the general ±% multipliers.
import { incidentDelayReduction } from './calculators/operations';
import type { LedgerRow } from './ledger';

export interface ImpactRange {
  strategy: string;
  /** The library measure: travel_time_reduction, crash_reduction, incident_duration_reduction… */
  measure: string;
  /** The default the ledger was valued with, and the published range (a missing end = value). */
  value: number;
  low: number;
  high: number;
}

/** One key per published figure: every project using it shares its uncertainty. */
export const impactKey = (r: { strategy: string; measure: string }) => `${r.strategy}/${r.measure}`;

/**
 * The share of the affected quantity removed by the factor x. The benefit is linear in it: hours
 * saved = hours_nb × share (travel-time calculator), crashes avoided = crashes_nb × share (CMF
 * 1 − share). An incident-duration cut first becomes a delay cut, as in the calculator.
 */
export function impactShare(measure: string, x: number): number {
  return measure === 'incident_duration_reduction' ? incidentDelayReduction(x) : x;
}

/** What a stream valued at the default is multiplied by when the factor is x instead. */
export function impactRatio(r: ImpactRange, x: number): number {
  return impactShare(r.measure, x) / impactShare(r.measure, r.value);
}

/** The range of a library default, or undefined when none is published or scaling is undefined. */
export function impactRange(lib: {
  strategy_id: string;
  measure: string;
  value: number | null;
  low: number | null;
  high: number | null;
}): ImpactRange | undefined {
  if (lib.value === null || (lib.low === null && lib.high === null)) return undefined;
  // a zero default (no demonstrated effect) cannot be scaled to its range
  if (impactShare(lib.measure, lib.value) === 0) return undefined;
  return {
    strategy: lib.strategy_id,
    measure: lib.measure,
    value: lib.value,
    low: lib.low ?? lib.value,
    high: lib.high ?? lib.value,
  };
}

export interface ImpactPart {
  key: string;
  range: ImpactRange;
  /** Benefit type (the flow without `benefit_`), so a `risk.by_type` range can leave it out. */
  type: string;
  pv: number;
}

/** Present value of each (factor, benefit type) part of the rows (rows without a range ignored). */
export function impactParts(
  rows: LedgerRow[],
  pvOf: (r: LedgerRow) => number | null = (r) => r.pv,
): ImpactPart[] {
  const parts = new Map<string, ImpactPart>();
  for (const r of rows) {
    if (!r.impact || r.flow_class !== 'benefit') continue;
    const v = pvOf(r);
    if (v === null) continue;
    const key = impactKey(r.impact);
    const type = r.flow.slice('benefit_'.length);
    const k = `${key}\u0000${type}`;
    const p = parts.get(k);
    if (p) p.pv += v;
    else parts.set(k, { key, range: r.impact, type, pv: v });
  }
  return [...parts.values()];
}
