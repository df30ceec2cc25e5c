// A TOPS-BC-style operations strategy library (data/bca/operations_strategies.csv): each
// strategy has default impact factors with their sources; the planner describes the affected
// facility (vehicle-hours, crashes) and the factor turns it into travel-time and safety effects.
// Where the library has no verified default, the scenario must give the factor and its source.
// The defaults come from published evaluations (TOPS-BC style); the TOPS-BC workbook's own
// default cells were never read (data/bca/README.md, "Operations strategies").
import { readFileSync } from 'node:fs';
import { csvRecords } from '../csv';
import { type ImpactRange, impactRange } from '../impact-ranges';
import { DATA_DIR } from '../params';
import { issueAt } from '../source-location';
import { type CalcCtx, type CalcOut, emptyOut, type Recurring } from './common';
import { type SafetyEffect, safetyBenefits } from './safety';
import { type Purpose, travelTimeBenefits, type VehicleClass } from './travel-time';

export interface StrategyImpact {
  strategy_id: string;
  title: string;
  measure: string;
  value: number | null;
  /**
   * Range seen across sources: a stream valued with this default carries it, and the Monte Carlo
   * and the deterministic low/high cases draw or set the factor within it (../impact-ranges.ts).
   */
  low: number | null;
  high: number | null;
  unit: string;
  applies_to: string;
  verification: string;
  source: string;
}

let cached: StrategyImpact[] | undefined;
export function strategyLibrary(): StrategyImpact[] {
  cached ??= csvRecords(readFileSync(`${DATA_DIR}operations_strategies.csv`, 'utf8')).map(
    ({ values: v }) => ({
      strategy_id: v.strategy_id!,
      title: v.title!,
      measure: v.measure!,
      value: v.value ? Number(v.value) : null,
      low: v.low ? Number(v.low) : null,
      high: v.high ? Number(v.high) : null,
      unit: v.unit ?? '',
      applies_to: v.applies_to ?? '',
      verification: v.verification ?? '',
      source: v.source ?? '',
    }),
  );
  return cached;
}

export interface OperationsEffect extends Recurring {
  kind: 'operations';
  strategy: string;
  /** Annual hours of the affected travel without the strategy. */
  affected_hours_nb: number;
  hours?: 'person' | 'vehicle';
  vehicle?: VehicleClass;
  purpose?: Purpose;
  occupancy?: number;
  occupancy_source?: string;
  /** Overrides of the library's default impact factors (fractions), with their source. */
  impact_travel_time?: number;
  /**
   * Incident management only: the fractional cut in average incident duration, turned into a
   * cut in incident delay by `incidentDelayReduction`. `impact_travel_time` (a delay fraction)
   * wins when both are given.
   */
  impact_incident_duration?: number;
  impact_crash?: number;
  impact_source?: string;
  crashes_nb?: SafetyEffect['counts_nb'];
  crash_basis?: 'crash' | 'person';
  crash_values?: SafetyEffect['crash_values'];
}

/**
 * Share of an incident's delay removed by cutting its duration by the fraction r: 1 − (1 − r)².
 * Deterministic queuing (FHWA, Benefits Analysis for the Georgia DOT NaviGAtor Program, appendix
 * A): with arrivals q, capacity c_r while the incident lasts d and full capacity c afterwards
 * (c_r < q < c), the queue's total delay is ½·d²·(c − c_r)(q − c_r)/(c − q), so it scales with d²
 * and the other terms cancel in the ratio. Assumes demand does not divert and the queue does not
 * spill back past a junction (with spillback delay grows faster than d², so this understates
 * the saving). Always ≥ r for r in [0, 1].
 */
export function incidentDelayReduction(r: number): number {
  // r·(2 − r) is 1 − (1 − r)² rearranged; it keeps a tiny r from rounding to no saving at all.
  return r * (2 - r);
}

/** The travel-time (delay) factor of an effect, where it came from, or why there is none. */
function travelTimeFactor(
  e: OperationsEffect,
  tt: StrategyImpact | undefined,
): { factor: number; source: string; impact?: ImpactRange } | { code: string; error: string; fix: string } {
  const byDuration = tt?.measure === 'incident_duration_reduction';
  if (e.impact_travel_time !== undefined)
    return { factor: e.impact_travel_time, source: e.impact_source ?? 'scenario' };
  if (e.impact_incident_duration !== undefined && !byDuration)
    return {
      code: 'bca.operations.incident_duration',
      error: `impact_incident_duration applies only to a strategy whose library measure is an incident-duration cut (incident_management), not to ${e.strategy}`,
      fix: 'give impact_travel_time (fraction of the affected hours) instead',
    };
  if (byDuration) {
    const r = e.impact_incident_duration ?? tt!.value;
    if (r === null)
      return {
        code: 'bca.operations.no_default',
        error: `${e.strategy} has no verified default incident-duration cut`,
        fix: 'give impact_incident_duration (fraction) and impact_source',
      };
    const from =
      e.impact_incident_duration !== undefined
        ? (e.impact_source ?? 'scenario')
        : `${tt!.source} [${tt!.verification}]`;
    const factor = incidentDelayReduction(r);
    return {
      factor,
      // a scenario's own duration cut is the scenario's to defend, so only the default is drawn
      impact: e.impact_incident_duration === undefined ? impactRange(tt!) : undefined,
      source: `incident duration cut ${r} → incident delay cut 1 − (1 − ${r})² = ${Number(factor.toFixed(6))}, deterministic queuing (FHWA NaviGAtor benefits analysis appendix A); duration cut from ${from}`,
    };
  }
  if (tt?.value == null)
    return {
      code: 'bca.operations.no_default',
      error: `${e.strategy} has no verified default travel-time impact (${tt?.verification ?? 'not in library'})`,
      fix: 'give impact_travel_time (fraction) and impact_source in the effect (0 for a safety-only claim)',
    };
  return { factor: tt.value, source: `${tt.source} [${tt.verification}]`, impact: impactRange(tt) };
}

export function operationsBenefits(e: OperationsEffect, c: CalcCtx): CalcOut {
  const lib = strategyLibrary().filter((s) => s.strategy_id === e.strategy);
  if (lib.length === 0) {
    c.issues.error({
      code: 'bca.operations.strategy',
      ...issueAt(c.at, `project ${c.project_id}: unknown operations strategy "${e.strategy}"`),
      fix: `one of ${[...new Set(strategyLibrary().map((s) => s.strategy_id))].join(', ')}`,
    });
    return emptyOut();
  }
  const tt = lib.find(
    (s) =>
      s.measure.endsWith('delay_reduction') ||
      s.measure === 'travel_time_reduction' ||
      s.measure === 'incident_duration_reduction',
  );
  const cr = lib.find((s) => s.measure === 'crash_reduction');
  const out = emptyOut();
  const t = travelTimeFactor(e, tt);
  if ('error' in t) {
    c.issues.error({
      code: t.code,
      ...issueAt(c.at, `project ${c.project_id}: ${t.error}`),
      fix: t.fix,
    });
  } else {
    const { factor: ttFactor, source, impact } = t;
    const r = travelTimeBenefits(
      {
        kind: 'travel_time',
        years: e.years,
        growth: e.growth,
        hours: e.hours ?? 'vehicle',
        hours_nb: e.affected_hours_nb,
        hours_b: e.affected_hours_nb * (1 - ttFactor),
        vehicle: e.vehicle,
        purpose: e.purpose,
        occupancy: e.occupancy,
        occupancy_source: e.occupancy_source,
      },
      c,
    );
    for (const f of r.flows) {
      f.source = `${e.strategy} travel-time factor ${Number(ttFactor.toFixed(6))} (${source}); ${f.source ?? ''}`;
      if (impact) f.impact = impact;
    }
    out.flows.push(...r.flows);
    out.outcomes.push(...r.outcomes);
  }
  if (e.crashes_nb) {
    const crFactor = e.impact_crash ?? cr?.value ?? null;
    if (crFactor === null) {
      c.issues.error({
        code: 'bca.operations.no_default',
        ...issueAt(c.at, `project ${c.project_id}: ${e.strategy} has no verified default crash impact`),
        fix: 'give impact_crash (fraction) and impact_source, e.g. from a CMF Clearinghouse CMF id',
      });
    } else {
      const r = safetyBenefits(
        {
          kind: 'safety',
          years: e.years,
          growth: e.growth,
          basis: e.crash_basis ?? 'crash',
          counts_nb: e.crashes_nb,
          cmf: 1 - crFactor,
          crash_values: e.crash_values,
          cmf_source: e.impact_crash !== undefined ? e.impact_source : cr?.source,
        },
        c,
      );
      // an impact_crash override is the scenario's figure: only the library default is drawn
      const impact = e.impact_crash === undefined && cr ? impactRange(cr) : undefined;
      if (impact) for (const f of r.flows) f.impact = impact;
      out.flows.push(...r.flows);
      out.outcomes.push(...r.outcomes);
    }
  }
  return out;
}
