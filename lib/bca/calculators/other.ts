// Benefits valued outside the calculators (a travel model's consumer surplus, a resilience study):
// an annual amount with its dollar year and source, kept as its own benefit type.
import { type CalcCtx, type CalcOut, eachYear, emptyOut, type Recurring } from './common';

export interface OtherEffect extends Recurring {
  kind: 'other';
  name: string;
  amount_usd: number;
  dollar_year?: number;
  source?: string;
}

export function otherBenefits(e: OtherEffect, c: CalcCtx): CalcOut {
  const out = emptyOut();
  const name = e.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
  for (const { year, scale } of eachYear(e)) {
    out.flows.push({
      project_id: c.project_id,
      alternative_id: c.alternative_id,
      flow: `benefit_${name || 'other'}`,
      year,
      amount: e.amount_usd * scale,
      dollar_year: e.dollar_year ?? c.edition.dollarYear,
      source: e.source ?? 'scenario',
    });
  }
  return out;
}
