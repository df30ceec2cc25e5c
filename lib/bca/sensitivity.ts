// Deterministic sensitivity: alternate discount rates, ± ranges on benefits and costs, the
// operations-library defaults at the ends of their published ranges, and switching values (the
// benefit or cost multiplier at which NPV reaches zero).
import { bcr, discountFactor, npv, type PvComponents } from './discount';
import { impactParts, impactRatio } from './impact-ranges';
import type { LedgerRow, RunSettings } from './ledger';

export function pvAt(rows: LedgerRow[], rate: number, baseYear: number): PvComponents | null {
  const pv: PvComponents = { benefits: 0, capital: 0, om: 0, rehab: 0, residual: 0 };
  for (const r of rows) {
    if (r.amount_real === null) return null;
    const v = r.amount_real * discountFactor(rate, r.year, baseYear);
    if (r.flow_class === 'benefit') pv.benefits += v;
    else pv[r.flow_class] += v;
  }
  return pv;
}

export function scale(pv: PvComponents, mBenefits: number, mCosts: number): PvComponents {
  return {
    benefits: pv.benefits * mBenefits,
    capital: pv.capital * mCosts,
    om: pv.om * mCosts,
    rehab: pv.rehab * mCosts,
    residual: pv.residual,
  };
}

export interface SensitivityRow {
  scope: string;
  case: string;
  discount_rate: number;
  npv_usd: number | null;
  bcr: number | null;
}

export function sensitivity(
  scope: string,
  rows: LedgerRow[],
  s: RunSettings,
  opts: { discountRates?: number[]; benefitRange?: number; costRange?: number; byType?: boolean } = {},
): {
  rows: SensitivityRow[];
  switching: { benefit_multiplier: number | null; cost_multiplier: number | null };
} {
  const out: SensitivityRow[] = [];
  const base = pvAt(rows, s.discountRate, s.baseYear);
  const push = (name: string, rate: number, pv: PvComponents | null) =>
    out.push({
      scope,
      case: name,
      discount_rate: rate,
      npv_usd: pv ? npv(pv) : null,
      bcr: pv ? bcr(pv, s.costConvention) : null,
    });
  push('base', s.discountRate, base);
  const rates = [
    ...new Set([
      ...(s.edition.altDiscountRate !== null ? [s.edition.altDiscountRate] : []),
      ...(opts.discountRates ?? []),
    ]),
  ];
  for (const r of rates.filter((r) => r !== s.discountRate))
    push(`discount rate ${(r * 100).toFixed(1)}%`, r, pvAt(rows, r, s.baseYear));
  const b = opts.benefitRange ?? 0.2;
  const c = opts.costRange ?? 0.2;
  if (base) {
    push(`benefits −${b * 100}%`, s.discountRate, scale(base, 1 - b, 1));
    push(`benefits +${b * 100}%`, s.discountRate, scale(base, 1 + b, 1));
    push(`costs −${c * 100}%`, s.discountRate, scale(base, 1, 1 - c));
    push(`costs +${c * 100}%`, s.discountRate, scale(base, 1, 1 + c));
    // every default with a published range at its low end, then at its high end, together: the
    // same ledger as re-running with each factor overridden, since each stream is proportional
    // to its factor's share (impactShare)
    const parts = impactParts(rows, (r) =>
      r.amount_real === null ? null : r.amount_real * discountFactor(s.discountRate, r.year, s.baseYear),
    );
    if (parts.length) {
      for (const end of ['low', 'high'] as const) {
        const shift = parts.reduce((a, p) => a + p.pv * (impactRatio(p.range, p.range[end]) - 1), 0);
        push(`operations defaults at their ${end}`, s.discountRate, {
          ...base,
          benefits: base.benefits + shift,
        });
      }
    }
    // one benefit type at a time (which stream carries the result: safety values, time values…)
    const byType = new Map<string, number>();
    for (const r of rows) {
      if (r.flow_class === 'benefit')
        byType.set(
          r.flow,
          (byType.get(r.flow) ?? 0) +
            (r.amount_real ?? 0) * discountFactor(s.discountRate, r.year, s.baseYear),
        );
    }
    if (byType.size > 1 && opts.byType !== false) {
      for (const [flow, pv] of [...byType].sort((x, y) => Math.abs(y[1]) - Math.abs(x[1]))) {
        const name = flow.slice('benefit_'.length).replaceAll('_', ' ');
        push(`${name} benefits −${b * 100}%`, s.discountRate, { ...base, benefits: base.benefits - b * pv });
        push(`${name} benefits +${b * 100}%`, s.discountRate, { ...base, benefits: base.benefits + b * pv });
      }
    }
  }
  const costs = base ? base.capital + base.om + base.rehab : 0;
  return {
    rows: out,
    switching: {
      // NPV(m·B) = 0 ⇔ m = (costs − residual) / B ; NPV(m·C) = 0 ⇔ m = (B + residual) / C
      benefit_multiplier: base && base.benefits > 0 ? (costs - base.residual) / base.benefits : null,
      cost_multiplier: base && costs > 0 ? (base.benefits + base.residual) / costs : null,
    },
  };
}
