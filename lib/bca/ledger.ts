// The ledger: one row per (project, alternative, flow, year) with No-Build and Build quantities,
// unit value, price factor, discount factor and present value (research/bca.md §0.3). NPV, BCR,
// IRR and payback are aggregates of it. A missing amount stays null and makes the project's
// totals null: missing is never zero.
import type { IssueCollector } from '../ingest/issues';
import {
  bcr,
  bcrTerms,
  discountedPaybackYear,
  discountFactor,
  irr,
  npv,
  type PvComponents,
  priceFactor,
  type YearAmount,
} from './discount';
import type { ImpactRange } from './impact-ranges';
import type { CostConvention, Edition, PriceIndexRow } from './params';
import { issueAt, type Place } from './source-location';

export const COST_FLOWS = ['capital', 'om', 'rehab'] as const;
export type FlowClass = 'capital' | 'om' | 'rehab' | 'residual' | 'benefit';

export interface Flow {
  project_id: string;
  alternative_id: string;
  /** capital | om | rehab | residual | benefit_<type> (travel_time, voc, safety, emissions, other…). */
  flow: string;
  year: number;
  /** Physical quantities (hours, vehicle-miles, crashes, tons) without and with the project. */
  quantity_nb?: number | null;
  quantity_b?: number | null;
  /** The change valued: positive is good for benefits (hours saved), a cost for cost flows. */
  quantity?: number | null;
  unit?: string;
  unit_value?: number | null;
  /** Amount in `dollar_year` dollars; null when it could not be valued. */
  amount: number | null;
  dollar_year: number;
  fund?: string;
  source?: string;
  /**
   * Set when the amount is proportional to an operations-library default with a published range:
   * the risk analysis draws that factor (lib/bca/impact-ranges.ts). Not a ledger CSV column.
   */
  impact?: ImpactRange;
}

export interface LedgerRow extends Flow {
  flow_class: FlowClass;
  price_factor: number | null;
  amount_real: number | null;
  discount_factor: number;
  pv: number | null;
}

export interface RunSettings {
  edition: Edition;
  /** Constant-dollar year of the results (price year). */
  dollarYear: number;
  /** Discount reference year: end-of-year flows of this year are not discounted. */
  baseYear: number;
  discountRate: number;
  costConvention: CostConvention;
}

export function flowClass(flow: string): FlowClass | null {
  if (flow === 'capital' || flow === 'om' || flow === 'rehab' || flow === 'residual') return flow;
  if (/^benefit_[a-z0-9_]+$/.test(flow)) return 'benefit';
  return null;
}

export function buildLedger(
  flows: Flow[],
  s: RunSettings,
  index: PriceIndexRow[],
  issues: IssueCollector,
  /** Where a scenario flow was written (its line); a ledger CSV's `source` already says file:line. */
  placeOf?: (f: Flow) => Place | undefined,
): LedgerRow[] {
  const rows: LedgerRow[] = [];
  const unverified = new Set<number>();
  // one error per dollar year the index lacks (a recurring cost would otherwise give one per year)
  const noIndex = new Map<number, { count: number; first: Flow }>();
  for (const f of flows) {
    const cls = flowClass(f.flow);
    if (!cls) {
      issues.error({
        code: 'bca.flow.unknown',
        message: `project ${f.project_id}: unknown flow "${f.flow}"`,
        fix: 'use capital, om, rehab, residual or benefit_<name>',
      });
      continue;
    }
    const pf = priceFactor(f.dollar_year, s.dollarYear, index);
    if (pf === null) {
      const m = noIndex.get(f.dollar_year);
      if (m) m.count++;
      else noIndex.set(f.dollar_year, { count: 1, first: f });
    } else if (pf !== 1) {
      for (const y of [f.dollar_year, s.dollarYear]) {
        const r = index.find((i) => i.year === y);
        if (r && !r.verification.startsWith('primary')) unverified.add(y);
      }
    }
    const real = f.amount === null || pf === null ? null : f.amount * pf;
    const df = discountFactor(s.discountRate, f.year, s.baseYear);
    rows.push({
      ...f,
      flow_class: cls,
      price_factor: pf,
      amount_real: real,
      discount_factor: df,
      pv: real === null ? null : real * df,
    });
  }
  for (const [year, { count, first }] of noIndex) {
    const message = `no price index to restate ${year} dollars to ${s.dollarYear} (first: ${first.project_id} ${first.flow} ${first.year}); those amounts and their projects' totals are left empty`;
    const place = placeOf?.(first);
    issues.error({
      code: 'bca.price_index.missing',
      ...(place ? issueAt(place, message) : { file: first.source, message }),
      value: String(year),
      count,
      fix:
        year > s.dollarYear
          ? 'state the amounts in an earlier dollar year, or give a price_forecast in the scenario'
          : 'add the year to data/bca/price_index.csv or state the amounts in the run dollar year',
    });
  }
  // USDOT discounts to the base year; an earlier flow is compounded forward (factor > 1), which
  // is rarely what was meant (a sunk cost, or a base year set too late)
  const early = rows.filter((r) => r.year < s.baseYear);
  if (early.length) {
    issues.warn({
      code: 'bca.base_year.after_flows',
      message: `${early.length} ledger row(s) fall before the base year ${s.baseYear} (first: ${early[0]!.project_id} ${early[0]!.flow} ${early[0]!.year}) and are compounded forward, not discounted`,
      fix: 'set the base year to the first year of the analysis, or mark costs already spent as sunk',
    });
  }
  if (unverified.size > 0) {
    issues.warn({
      code: 'bca.price_index.unverified',
      message: `dollars were restated with price-index values marked unverified (${[...unverified].sort().join(', ')})`,
      fix: 'replace data/bca/price_index.csv with a BEA NIPA Table 1.1.9 download before submitting',
    });
  }
  return rows;
}

export interface ProjectResult {
  project_id: string;
  alternative_id: string;
  /** BCR numerator and denominator under the edition's cost convention; NPV = numerator − denominator. */
  benefits_pv_usd: number | null;
  costs_pv_usd: number | null;
  npv_usd: number | null;
  bcr: number | null;
  irr: number | null;
  payback_year: number | null;
  pv: PvComponents | null;
  benefits_by_type: Record<string, number | null>;
  /** Undiscounted constant-dollar totals, for fiscal tables. */
  capital_real_usd: number | null;
  missing_rows: number;
}

export function netStream(rows: LedgerRow[]): YearAmount[] | null {
  const out: YearAmount[] = [];
  for (const r of rows) {
    if (r.amount_real === null) return null;
    const sign = r.flow_class === 'benefit' || r.flow_class === 'residual' ? 1 : -1;
    out.push({ year: r.year, amount: sign * r.amount_real });
  }
  return out;
}

/** A result whose totals cannot be computed: `missing` rows have no value (never counted as zero). */
export function emptyResult(
  id: { project_id: string; alternative_id: string },
  missing: number,
  byType: Record<string, number | null> = {},
): ProjectResult {
  return {
    ...id,
    benefits_pv_usd: null,
    costs_pv_usd: null,
    npv_usd: null,
    bcr: null,
    irr: null,
    payback_year: null,
    pv: null,
    benefits_by_type: byType,
    capital_real_usd: null,
    missing_rows: missing,
  };
}

export function summarise(
  rows: LedgerRow[],
  s: RunSettings,
  id: { project_id: string; alternative_id: string },
): ProjectResult {
  const missing = rows.filter((r) => r.pv === null).length;
  const byType: Record<string, number | null> = {};
  const pv: PvComponents = { benefits: 0, capital: 0, om: 0, rehab: 0, residual: 0 };
  let capitalReal = 0;
  for (const r of rows) {
    if (r.flow_class === 'benefit') {
      const t = r.flow.slice('benefit_'.length);
      byType[t] = r.pv === null || byType[t] === null ? null : (byType[t] ?? 0) + r.pv;
    }
    if (r.pv === null) continue;
    if (r.flow_class === 'benefit') pv.benefits += r.pv;
    else pv[r.flow_class] += r.pv;
    if (r.flow_class === 'capital') capitalReal += r.amount_real ?? 0;
  }
  const stream = missing ? null : netStream(rows);
  if (missing) return emptyResult(id, missing, byType);
  const terms = bcrTerms(pv, s.costConvention);
  return {
    ...id,
    benefits_pv_usd: terms.numerator,
    costs_pv_usd: terms.denominator,
    npv_usd: npv(pv),
    bcr: bcr(pv, s.costConvention),
    irr: stream ? irr(stream) : null,
    payback_year: stream ? discountedPaybackYear(stream, s.discountRate, s.baseYear) : null,
    pv,
    benefits_by_type: byType,
    capital_real_usd: capitalReal,
    missing_rows: 0,
  };
}

/** Group ledger rows by project/alternative and summarise each. */
export function summariseAll(rows: LedgerRow[], s: RunSettings): ProjectResult[] {
  const groups = new Map<string, LedgerRow[]>();
  for (const r of rows) {
    const k = `${r.project_id}\u0000${r.alternative_id}`;
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  return [...groups.values()].map((g) =>
    summarise(g, s, { project_id: g[0]!.project_id, alternative_id: g[0]!.alternative_id }),
  );
}

export const LEDGER_COLUMNS = [
  'project_id',
  'alternative_id',
  'flow',
  'year',
  'quantity_nb',
  'quantity_b',
  'quantity',
  'unit',
  'unit_value',
  'amount',
  'dollar_year',
  'price_factor',
  'amount_real',
  'discount_factor',
  'pv',
  'fund',
  'source',
];
