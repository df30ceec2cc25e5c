// Emission damage benefits from VMT and speed: tons = VMT × rate(speed) (g/mi, from MOVES or
// EMFAC run for the region, interpolated linearly between tabulated speeds) / 1e6, valued per
// metric ton by emission year where the edition monetises the pollutant. CO2 is reported in tons
// and valued only if the edition lists a value (the 2026 edition does not: research/bca.md §1.4.7).

import { unitValue } from '../params';
import { issueAt } from '../source-location';
import { type CalcCtx, type CalcOut, eachYear, emptyOut, type Recurring } from './common';

export type Pollutant = 'nox' | 'sox' | 'pm25' | 'co2' | 'voc_gas';

export interface EmissionsEffect extends Recurring {
  kind: 'emissions';
  vmt_nb: number;
  vmt_b: number;
  speed_nb_mph: number;
  speed_b_mph: number;
  /** Grams per vehicle-mile by pollutant as [speed_mph, g_per_mile] points. */
  rates: Partial<Record<Pollutant, [number, number][]>>;
  rates_source?: string;
}

export function rateAt(points: [number, number][], speed: number): number {
  const pts = [...points].sort((a, b) => a[0] - b[0]);
  if (pts.length === 0) return Number.NaN;
  if (speed <= pts[0]![0]) return pts[0]![1];
  for (let i = 1; i < pts.length; i++) {
    const [s1, r1] = pts[i]!;
    const [s0, r0] = pts[i - 1]!;
    if (speed <= s1) return r0 + ((r1 - r0) * (speed - s0)) / (s1 - s0);
  }
  return pts.at(-1)![1];
}

export function emissionsBenefits(e: EmissionsEffect, c: CalcCtx): CalcOut {
  const out = emptyOut();
  for (const [pollutant, points] of Object.entries(e.rates) as [Pollutant, [number, number][]][]) {
    const gNb = rateAt(points, e.speed_nb_mph);
    const gB = rateAt(points, e.speed_b_mph);
    for (const { year, scale } of eachYear(e)) {
      const nb = (e.vmt_nb * scale * gNb) / 1e6;
      const b = (e.vmt_b * scale * gB) / 1e6;
      out.outcomes.push({
        project_id: c.project_id,
        alternative_id: c.alternative_id,
        measure: `${pollutant}_tons`,
        year,
        nb,
        b,
        change: nb - b,
        unit: 'metric tons',
      });
      const v = unitValue(c.edition, 'emissions', pollutant, year, c.params);
      if (!v) {
        if (pollutant !== 'co2' || c.edition.co2Policy !== 'not_monetized') {
          c.issues.warn({
            code: 'bca.emissions.unvalued',
            ...issueAt(
              c.at,
              `project ${c.project_id}: ${c.edition.id} lists no ${pollutant} damage value for ${year}; tons are reported but not valued`,
            ),
          });
        }
        continue;
      }
      out.flows.push({
        project_id: c.project_id,
        alternative_id: c.alternative_id,
        flow: 'benefit_emissions',
        year,
        quantity_nb: nb,
        quantity_b: b,
        quantity: nb - b,
        unit: `${pollutant} metric tons`,
        unit_value: v.value,
        amount: (nb - b) * v.value,
        dollar_year: v.dollarYear ?? c.edition.dollarYear,
        source: `${e.rates_source ?? 'scenario rates'}; ${v.editionId} ${pollutant} ${year} (${v.locator})`,
      });
    }
  }
  return out;
}
