// Travel-time savings: (hours No-Build − hours Build) × occupancy × value of travel time by trip
// purpose and vehicle class (research/bca.md §1.5; USDOT Table A-2 values per person-hour; truck
// and bus drivers valued per driver, occupancy 1.0).
import { type CalcCtx, type CalcOut, eachYear, emptyOut, type Recurring, requireValue } from './common';

export type Purpose = 'all_purposes' | 'personal' | 'business' | 'walk_wait_transfer';
export type VehicleClass = 'light_duty' | 'truck' | 'bus';

export interface TravelTimeEffect extends Recurring {
  kind: 'travel_time';
  /** `person` hours are valued directly; `vehicle` hours are multiplied by occupancy. */
  hours: 'person' | 'vehicle';
  hours_nb: number;
  hours_b: number;
  purpose?: Purpose;
  vehicle?: VehicleClass;
  /** Persons per vehicle for light-duty vehicle-hours; defaults to the edition's value when listed. */
  occupancy?: number;
  occupancy_source?: string;
  /** A unit value per person-hour that replaces the edition's (state its source). */
  value_per_person_hour?: number;
  value_source?: string;
}

export function travelTimeBenefits(e: TravelTimeEffect, c: CalcCtx): CalcOut {
  const out = emptyOut();
  const vehicle = e.vehicle ?? 'light_duty';
  const driver = vehicle === 'truck' ? 'truck_driver' : vehicle === 'bus' ? 'bus_driver' : null;
  const item = e.hours === 'vehicle' && driver ? driver : (e.purpose ?? 'all_purposes');
  let vtts: number | null = e.value_per_person_hour ?? null;
  let dollarYear = c.edition.dollarYear;
  let source = e.value_source ?? '';
  if (vtts === null) {
    const v = requireValue(c, 'vtts', item);
    if (v) {
      vtts = v.value;
      dollarYear = v.dollarYear ?? dollarYear;
      source = `${v.editionId} vtts ${item} (${v.locator})`;
    }
  }
  let occ: number | null = 1;
  if (e.hours === 'vehicle' && !driver) {
    const listed = e.occupancy === undefined ? requireValue(c, 'occupancy', 'light_duty') : null;
    occ = e.occupancy ?? listed?.value ?? null;
    source += `; occupancy ${occ ?? 'missing'} (${e.occupancy_source ?? (listed ? `${listed.editionId} occupancy light_duty (${listed.locator})` : 'scenario')})`;
  }
  const unit = e.hours === 'vehicle' ? `${vehicle} vehicle-hours` : 'person-hours';
  for (const { year, scale } of eachYear(e)) {
    const nb = e.hours_nb * scale;
    const b = e.hours_b * scale;
    const perUnit = vtts === null || occ === null ? null : vtts * occ;
    out.flows.push({
      project_id: c.project_id,
      alternative_id: c.alternative_id,
      flow: 'benefit_travel_time',
      year,
      quantity_nb: nb,
      quantity_b: b,
      quantity: nb - b,
      unit,
      unit_value: perUnit,
      amount: perUnit === null ? null : (nb - b) * perUnit,
      dollar_year: dollarYear,
      source,
    });
    out.outcomes.push({
      project_id: c.project_id,
      alternative_id: c.alternative_id,
      measure: 'person_hours_saved',
      year,
      nb: nb * (occ ?? Number.NaN),
      b: b * (occ ?? Number.NaN),
      change: (nb - b) * (occ ?? Number.NaN),
      unit: 'person-hours',
    });
  }
  return out;
}
