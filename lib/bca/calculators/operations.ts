// A TOPS-BC-style operations strategy library (data/bca/operations_strategies.csv): each
// strategy has default impact factors with their sources; the planner describes the affected
// facility (vehicle-hours, crashes) and the factor turns it into travel-time and safety effects.
// Where the library has no verified default, the scenario must give the factor and its source.
// The defaults come from published evaluations (TOPS-BC style); the TOPS-BC workbook's own
// default cells were never read (data/bca/README.md, "Operations strategies").
import { readFileSync } from 'node:fs';
import { csvRecords } from '../csv';
import { DATA_DIR } from '../params';
import { type CalcCtx, type CalcOut, emptyOut, type Recurring } from './common';
import { type SafetyEffect, safetyBenefits } from './safety';
import { type Purpose, travelTimeBenefits, type VehicleClass } from './travel-time';

export interface StrategyImpact {
  strategy_id: string;
  title: string;
  measure: string;
  value: number | null;
  /** Range seen across sources (informational: the sensitivity and Monte Carlo do not use it). */
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
  impact_crash?: number;
  impact_source?: string;
  crashes_nb?: SafetyEffect['counts_nb'];
  crash_basis?: 'crash' | 'person';
  crash_values?: SafetyEffect['crash_values'];
}

export function operationsBenefits(e: OperationsEffect, c: CalcCtx): CalcOut {
  const lib = strategyLibrary().filter((s) => s.strategy_id === e.strategy);
  if (lib.length === 0) {
    c.issues.error({
      code: 'bca.operations.strategy',
      file: c.where,
      message: `project ${c.project_id}: unknown operations strategy "${e.strategy}"`,
      fix: `one of ${[...new Set(strategyLibrary().map((s) => s.strategy_id))].join(', ')}`,
    });
    return emptyOut();
  }
  const tt = lib.find((s) => s.measure.endsWith('delay_reduction') || s.measure === 'travel_time_reduction');
  const cr = lib.find((s) => s.measure === 'crash_reduction');
  const out = emptyOut();
  const ttFactor = e.impact_travel_time ?? tt?.value ?? null;
  if (ttFactor === null) {
    c.issues.error({
      code: 'bca.operations.no_default',
      file: c.where,
      message: `project ${c.project_id}: ${e.strategy} has no verified default travel-time impact (${tt?.verification ?? 'not in library'})`,
      fix: 'give impact_travel_time (fraction) and impact_source in the effect (0 for a safety-only claim)',
    });
  } else {
    const source =
      e.impact_travel_time !== undefined
        ? (e.impact_source ?? 'scenario')
        : `${tt!.source} [${tt!.verification}]`;
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
    for (const f of r.flows)
      f.source = `${e.strategy} travel-time factor ${ttFactor} (${source}); ${f.source ?? ''}`;
    out.flows.push(...r.flows);
    out.outcomes.push(...r.outcomes);
  }
  if (e.crashes_nb) {
    const crFactor = e.impact_crash ?? cr?.value ?? null;
    if (crFactor === null) {
      c.issues.error({
        code: 'bca.operations.no_default',
        file: c.where,
        message: `project ${c.project_id}: ${e.strategy} has no verified default crash impact`,
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
      out.flows.push(...r.flows);
      out.outcomes.push(...r.outcomes);
    }
  }
  return out;
}
