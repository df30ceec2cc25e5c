// Vehicle operating cost savings: (VMT No-Build − VMT Build) × cost per vehicle-mile by class
// (USDOT Table A-4; fuel included in the 2025/2026 editions — taxes are transfers, not costs).
import { type CalcCtx, type CalcOut, eachYear, emptyOut, type Recurring, requireValue } from './common';

export interface VocEffect extends Recurring {
  kind: 'voc';
  vehicle?: 'light_duty' | 'truck';
  vmt_nb: number;
  vmt_b: number;
  value_per_vehicle_mile?: number;
  value_source?: string;
}

export function vocBenefits(e: VocEffect, c: CalcCtx): CalcOut {
  const out = emptyOut();
  const vehicle = e.vehicle ?? 'light_duty';
  const listed = e.value_per_vehicle_mile === undefined ? requireValue(c, 'voc', vehicle) : null;
  const value = e.value_per_vehicle_mile ?? listed?.value ?? null;
  const dollarYear = listed?.dollarYear ?? c.edition.dollarYear;
  const source = listed
    ? `${listed.editionId} voc ${vehicle} (${listed.locator})`
    : (e.value_source ?? 'scenario');
  for (const { year, scale } of eachYear(e)) {
    const nb = e.vmt_nb * scale;
    const b = e.vmt_b * scale;
    out.flows.push({
      project_id: c.project_id,
      alternative_id: c.alternative_id,
      flow: 'benefit_voc',
      year,
      quantity_nb: nb,
      quantity_b: b,
      quantity: nb - b,
      unit: `${vehicle} vehicle-miles`,
      unit_value: value,
      amount: value === null ? null : (nb - b) * value,
      dollar_year: dollarYear,
      source,
    });
    out.outcomes.push({
      project_id: c.project_id,
      alternative_id: c.alternative_id,
      measure: `vmt_${vehicle}`,
      year,
      nb,
      b,
      change: nb - b,
      unit: 'vehicle-miles',
    });
  }
  return out;
}
