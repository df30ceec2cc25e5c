// Discounting primitives. Flows are end-of-year amounts in constant dollars; a flow occurring in
// year t is discounted (t − discountYear) periods, so a flow in the discount year itself is not
// discounted (research/bca.md §1.3 "Discounting"; OpenPlan engine contract).
import type { PriceIndexRow } from './params';

export function discountFactor(rate: number, year: number, discountYear: number): number {
  return 1 / (1 + rate) ** (year - discountYear);
}

/** Uniform-series present-worth factor (P/A, r, n): n end-of-year payments of 1. */
export function presentWorthFactor(rate: number, years: number): number {
  return rate === 0 ? years : (1 - (1 + rate) ** -years) / rate;
}

export interface YearAmount {
  year: number;
  amount: number;
}

export function presentValue(flows: YearAmount[], rate: number, discountYear: number): number {
  let pv = 0;
  for (const f of flows) pv += f.amount * discountFactor(rate, f.year, discountYear);
  return pv;
}

/**
 * Price factor restating dollars of `fromYear` into dollars of `toYear` with an index series
 * (GDP implicit price deflator, BEA NIPA Table 1.1.9). Null when either year is not in the index.
 */
export function priceFactor(
  fromYear: number,
  toYear: number,
  index: PriceIndexRow[],
  series = 'gdp_deflator',
) {
  if (fromYear === toYear) return 1;
  const from = index.find((r) => r.series === series && r.year === fromYear);
  const to = index.find((r) => r.series === series && r.year === toYear);
  return from && to ? to.value / from.value : null;
}

/** BCR numerator and denominator per the edition's cost convention (research/bca.md §0.4). */
export interface PvComponents {
  benefits: number;
  capital: number;
  om: number;
  rehab: number;
  residual: number;
}

export function bcrTerms(pv: PvComponents, convention: 'capital_only' | 'all_costs') {
  // USDOT 2026: benefits − net O&M (and rehab) + residual over upfront capital; Cal-B/C: all
  // agency costs in the denominator. NPV is identical under both.
  if (convention === 'capital_only') {
    return { numerator: pv.benefits - pv.om - pv.rehab + pv.residual, denominator: pv.capital };
  }
  return { numerator: pv.benefits + pv.residual, denominator: pv.capital + pv.om + pv.rehab };
}

export function bcr(pv: PvComponents, convention: 'capital_only' | 'all_costs'): number | null {
  const { numerator, denominator } = bcrTerms(pv, convention);
  return denominator > 0 ? numerator / denominator : null;
}

export function npv(pv: PvComponents): number {
  return pv.benefits + pv.residual - pv.capital - pv.om - pv.rehab;
}

/** Net flows summed per calendar year, filled with zeros between the first and last year. */
export function denseStream(flows: YearAmount[]): { start: number; values: number[] } {
  if (flows.length === 0) return { start: 0, values: [] };
  // loops, not Math.min(...spread): a portfolio stream can exceed the engine's argument limit
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const f of flows) {
    if (f.year < start) start = f.year;
    if (f.year > end) end = f.year;
  }
  const values = new Array<number>(end - start + 1).fill(0);
  for (const f of flows) values[f.year - start]! += f.amount;
  return { start, values };
}

/**
 * Internal rate of return of a net stream: the rate where PV = 0. Null when the stream has no
 * sign change (no IRR exists) or more than one (IRR is ambiguous; report NPV instead).
 */
export function irr(flows: YearAmount[]): number | null {
  const { values } = denseStream(flows);
  const nz = values.filter((v) => Math.abs(v) > 1e-9);
  let changes = 0;
  for (let i = 1; i < nz.length; i++) if (Math.sign(nz[i]!) !== Math.sign(nz[i - 1]!)) changes++;
  if (changes !== 1) return null;
  const f = (r: number) => values.reduce((s, v, t) => s + v / (1 + r) ** t, 0);
  let lo = -0.99;
  let hi = 1;
  while (Math.sign(f(hi)) === Math.sign(f(lo)) && hi < 1e6) hi *= 2;
  if (Math.sign(f(hi)) === Math.sign(f(lo))) return null;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (Math.sign(f(mid)) === Math.sign(f(lo))) lo = mid;
    else hi = mid;
    if (hi - lo < 1e-12) break;
  }
  return (lo + hi) / 2;
}

/**
 * Discounted payback: the first year at whose end the cumulative discounted net flow is
 * non-negative, after having been negative. Null when it never turns non-negative; the first
 * year when it never was negative.
 */
export function discountedPaybackYear(
  flows: YearAmount[],
  rate: number,
  discountYear: number,
): number | null {
  const { start, values } = denseStream(flows);
  let cum = 0;
  for (let i = 0; i < values.length; i++) {
    cum += values[i]! * discountFactor(rate, start + i, discountYear);
    if (cum >= -1e-9) {
      // a later negative flow (rehab) can push it back below zero: payback is when it stays paid
      let stays = true;
      let c = cum;
      for (let j = i + 1; j < values.length; j++) {
        c += values[j]! * discountFactor(rate, start + j, discountYear);
        if (c < -1e-9) {
          stays = false;
          break;
        }
      }
      if (stays) return start + i;
    }
  }
  return null;
}
