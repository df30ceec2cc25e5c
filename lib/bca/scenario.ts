// A scenario: a set of projects (some with mutually exclusive alternatives), their costs by year
// and fund source, their effects, and budgets by year and fund source. Read from YAML or JSON
// (an Excel workbook is converted to the same shape by scenario-xlsx.ts).
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { lineFinder, pathLabel, unknownKeys } from './scenario-keys';
import type { Locate } from './source-location';

// a two-digit or mistyped year would discount over centuries: years are four-digit calendar years
const calendarYear = z
  .number()
  .int()
  .min(1900, 'a four-digit calendar year (1900–2200)')
  .max(2200, 'a four-digit calendar year (1900–2200)');
// an inverted range would recur over no year at all: the cost or benefit would vanish in silence
const years = z
  .tuple([calendarYear, calendarYear])
  .refine(([a, b]) => a <= b, { message: 'the first year is after the last year: write [first, last]' });
// growth is a fraction per year: `growth: 1` (meant as 1%) would double the quantity every year
const recurring = {
  years,
  growth: z
    .number()
    .min(-0.5, 'a fraction per year, e.g. -0.01')
    .max(0.5, 'a fraction per year: 1% is 0.01')
    .optional(),
};
// hours, vehicle-miles and crash counts are physical quantities: never negative
const quantity = z.number().min(0, 'a quantity cannot be negative');
const bySeverity = z
  .object({ K: quantity, A: quantity, B: quantity, C: quantity, O: quantity, U: quantity })
  .partial();
const points = z.array(z.tuple([z.number(), z.number()]));
// A CMF multiplies crashes: CMF = 1 − CRF/100 (CMF Clearinghouse, "About CMFs"), so 0.78 is 22%
// fewer and 1.23 is 23% more. Above 3 (three times the crashes) it is almost surely a percentage
// typed for the factor (78 or 22): refused, since it would turn into a large negative benefit.
const cmfValue = z
  .number()
  .min(0)
  .max(
    3,
    'a CMF is a factor, not a percentage: 22% fewer crashes is 0.78 (CMF = 1 − CRF/100); a value above 3 would triple the crashes',
  );
const cmfBySeverity = z
  .object({ K: cmfValue, A: cmfValue, B: cmfValue, C: cmfValue, O: cmfValue, U: cmfValue })
  .partial();

export const EffectSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('travel_time'),
    ...recurring,
    hours: z.enum(['person', 'vehicle']),
    hours_nb: quantity,
    hours_b: quantity,
    purpose: z.enum(['all_purposes', 'personal', 'business', 'walk_wait_transfer']).optional(),
    vehicle: z.enum(['light_duty', 'truck', 'bus']).optional(),
    occupancy: z.number().positive().optional(),
    occupancy_source: z.string().optional(),
    value_per_person_hour: z.number().optional(),
    value_source: z.string().optional(),
  }),
  z.object({
    kind: z.literal('voc'),
    ...recurring,
    vehicle: z.enum(['light_duty', 'truck']).optional(),
    vmt_nb: quantity,
    vmt_b: quantity,
    value_per_vehicle_mile: z.number().optional(),
    value_source: z.string().optional(),
  }),
  z.object({
    kind: z.literal('safety'),
    ...recurring,
    basis: z.enum(['crash', 'person']),
    counts_nb: bySeverity,
    cmf: z.union([cmfValue, cmfBySeverity, z.array(cmfValue)]),
    combine: z.enum(['multiply', 'most_effective']).optional(),
    crash_values: z.enum(['edition', 'fhwa-sa-25-021']).optional(),
    cmf_source: z.string().optional(),
  }),
  z.object({
    kind: z.literal('emissions'),
    ...recurring,
    vmt_nb: quantity,
    vmt_b: quantity,
    speed_nb_mph: z.number().positive(),
    speed_b_mph: z.number().positive(),
    rates: z.object({ nox: points, sox: points, pm25: points, co2: points, voc_gas: points }).partial(),
    rates_source: z.string().optional(),
  }),
  z.object({
    kind: z.literal('operations'),
    ...recurring,
    strategy: z.string(),
    affected_hours_nb: quantity,
    hours: z.enum(['person', 'vehicle']).optional(),
    vehicle: z.enum(['light_duty', 'truck', 'bus']).optional(),
    purpose: z.enum(['all_purposes', 'personal', 'business', 'walk_wait_transfer']).optional(),
    occupancy: z.number().positive().optional(),
    occupancy_source: z.string().optional(),
    impact_travel_time: z.number().min(0).max(1).optional(),
    impact_incident_duration: z.number().min(0).max(1).optional(),
    // 1 − CMF: negative when a strategy adds crashes (e.g. adaptive control at some sites, CMF
    // 1.047); the CMF bound above (3) makes −2 the floor.
    impact_crash: z
      .number()
      .min(-2, 'a crash reduction is 1 − CMF: −0.05 is 5% more crashes; below −2 would triple them')
      .max(1)
      .optional(),
    impact_source: z.string().optional(),
    crashes_nb: bySeverity.optional(),
    crash_basis: z.enum(['crash', 'person']).optional(),
    crash_values: z.enum(['edition', 'fhwa-sa-25-021']).optional(),
  }),
  z.object({
    kind: z.literal('other'),
    ...recurring,
    name: z.string(),
    amount_usd: z.number(),
    dollar_year: calendarYear.optional(),
    source: z.string().optional(),
  }),
]);

// a triangular distribution's (low, mode, high) multipliers, in that order and not negative
const triangle = z
  .tuple([z.number().min(0), z.number().min(0), z.number().min(0)])
  .refine(([a, m, b]) => a <= m && m <= b, {
    message: 'write [low, most likely, high] with low ≤ most likely ≤ high',
  });

export const CostSchema = z
  .object({
    type: z.enum(['capital', 'om', 'rehab']),
    /** One year, or an inclusive range in which the amount recurs annually. */
    year: calendarYear.optional(),
    years: years.optional(),
    amount_usd: z.number().nullable(),
    dollar_year: calendarYear.optional(),
    /** Fund source charged against the budgets; rows without one are not fiscally constrained. */
    fund: z.string().optional(),
    sunk: z.boolean().optional(),
    /** Year-of-expenditure dollars: each year's amount is in that year's dollars (restated by the deflator). */
    yoe: z.boolean().optional(),
  })
  .refine((c) => (c.year === undefined) !== (c.years === undefined), {
    message: 'give exactly one of year or years',
  })
  .refine((c) => !(c.yoe && c.dollar_year !== undefined), {
    message: 'give either yoe or dollar_year, not both',
  })
  // spreadsheets often write costs as negative cash flows; here that would raise the NPV
  .refine((c) => !(c.type === 'capital' && c.amount_usd !== null && c.amount_usd < 0), {
    message: 'capital costs are positive amounts (a saving belongs in an effect or a negative om)',
    path: ['amount_usd'],
  });

export const ResidualSchema = z.union([
  z.object({
    year: calendarYear,
    // residual value is what the asset is still worth at the end of the analysis: never below zero
    amount_usd: z
      .number()
      .min(
        0,
        'a residual is the positive value left at the end of the analysis; a negative one is a sign error (a removal or disposal cost belongs in costs)',
      ),
    dollar_year: calendarYear.optional(),
  }),
  z
    .object({
      /** Straight-line remaining share of capital at the end of the analysis period. */
      service_life_years: z.number().positive(),
      in_service_year: calendarYear,
      end_year: calendarYear,
    })
    // in service after the end of the analysis would leave more than the whole asset as residual
    .refine((r) => r.in_service_year <= r.end_year, {
      message: 'in_service_year is after end_year',
      path: ['in_service_year'],
    }),
]);

export const AlternativeSchema = z.object({
  id: z.string().min(1),
  title: z.string().optional(),
  costs: z.array(CostSchema).default([]),
  residual: ResidualSchema.optional(),
  effects: z.array(EffectSchema).default([]),
  notes: z.string().optional(),
});

export const ProjectSchema = z
  .object({
    id: z.string().min(1),
    title: z.string().optional(),
    sponsor: z.string().optional(),
    category: z.string().optional(),
    committed: z.boolean().optional(),
    /** Projects that must also be selected for this one to be (phases, prerequisites). */
    requires: z.array(z.string()).optional(),
    /** Mutually exclusive alternatives; a project with costs/effects directly has one ("build"). */
    alternatives: z.array(AlternativeSchema).optional(),
    costs: z.array(CostSchema).optional(),
    residual: ResidualSchema.optional(),
    effects: z.array(EffectSchema).optional(),
    unquantified: z.array(z.string()).optional(),
  })
  .superRefine((p, ctx) => {
    // with alternatives, a project's own costs/effects would be ignored without a word
    if (p.alternatives?.length)
      for (const k of ['costs', 'effects', 'residual'] as const)
        if (p[k] !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [k],
            message: `a project with alternatives takes ${k} inside each alternative, not beside them`,
          });
    // two alternatives with one id would be summed into one
    const ids = (p.alternatives ?? []).map((a) => a.id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i)
        ctx.addIssue({
          code: 'custom',
          path: ['alternatives', i, 'id'],
          message: `alternative id ${id} appears twice`,
        });
    });
  });

const ScenarioObject = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
    title: z.string().optional(),
    description: z.string().optional(),
    agency: z.string().optional(),
    edition: z.string().optional(),
    /** Discount reference year (flows at its end are not discounted). */
    base_year: calendarYear,
    /** Constant-dollar year of results; defaults to the edition's dollar year. */
    dollar_year: calendarYear.optional(),
    discount_rate: z.number().min(0).max(0.5).optional(),
    /** Annual inflation assumed after the last year of the price index (to deflate future YOE costs). */
    price_forecast: z.object({ rate: z.number().min(-0.1).max(0.2), source: z.string() }).optional(),
    /** optimal: MILP under the budgets; as_listed: the first alternative of every project. */
    selection: z.enum(['optimal', 'as_listed']).default('optimal'),
    budgets: z
      .array(z.object({ year: calendarYear, fund: z.string(), amount_usd: z.number().min(0) }))
      .default([]),
    sensitivity: z
      .object({
        discount_rates: z.array(z.number().min(0).max(0.5, 'a fraction: 3% is 0.03')).optional(),
        benefit_range: z.number().min(0).max(1).optional(),
        cost_range: z.number().min(0).max(1).optional(),
      })
      .default({}),
    risk: z
      .object({
        iterations: z.number().int().min(0).max(100_000).default(2000),
        seed: z.number().int().default(1),
        /** Triangular (low, mode, high) multipliers on PV benefits and on PV costs. */
        benefits: triangle.default([0.7, 1, 1.2]),
        costs: triangle.default([0.9, 1, 1.4]),
        /** Own ranges for benefit types, e.g. { safety: [0.6, 1, 1.3] } for CMF uncertainty. */
        by_type: z.record(z.string(), triangle).optional(),
        source: z.string().optional(),
      })
      .optional(),
    projects: z.array(ProjectSchema).min(1),
  })
  .superRefine((sc, ctx) => {
    // one budget per year and fund: a repeated row is either a typo or two lines to be summed
    const seen = new Map<string, number>();
    sc.budgets.forEach((b, i) => {
      const k = `${b.year}|${b.fund}`;
      const first = seen.get(k);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['budgets', i],
          message: `the ${b.fund} ${b.year} budget is already given in budgets[${first}]; combine them into one row`,
        });
      else seen.set(k, i);
    });
    // a prerequisite that is not in the scenario would keep its project out of every portfolio
    const ids = new Set(sc.projects.map((p) => p.id));
    sc.projects.forEach((p, i) => {
      (p.requires ?? []).forEach((r, j) => {
        if (r === p.id || !ids.has(r))
          ctx.addIssue({
            code: 'custom',
            path: ['projects', i, 'requires', j],
            message:
              r === p.id
                ? `${p.id} requires itself`
                : `${p.id} requires ${r}, which is not a project of this scenario (it could never be selected)`,
          });
      });
    });
  });

/**
 * The scenario schema every reader uses (YAML/JSON, Excel, the staff builder and JSON API): the
 * object above, plus an error for every key it has no place for — zod alone would drop a
 * misspelt key without a word. Unknown keys are reported before the other checks run.
 */
export const ScenarioSchema = z.preprocess((raw, ctx) => {
  for (const e of unknownKeyErrors(raw))
    ctx.addIssue({ code: 'custom', path: e.at, message: e.message, params: { code: e.code, fix: e.fix } });
  return raw;
}, ScenarioObject);

export type Scenario = z.infer<typeof ScenarioObject>;
export type ProjectSpec = z.infer<typeof ProjectSchema>;
export type AlternativeSpec = z.infer<typeof AlternativeSchema>;
export type CostSpec = z.infer<typeof CostSchema>;

export interface ScenarioError {
  path: string;
  message: string;
  /** 1-based line in the text, when it can be found. */
  line?: number;
  code?: string;
  fix?: string;
}

/** Keys the schema has no place for, as errors (a misspelt key must not be dropped in silence). */
export function unknownKeyErrors(raw: unknown): (ScenarioError & { at: (string | number)[] })[] {
  return unknownKeys(ScenarioObject, raw).map((u) => ({
    at: [...u.path, u.key],
    path: [...u.path, u.key].join('.'),
    code: 'bca.scenario.key',
    message: `unknown key "${u.key}" in ${pathLabel(u.path)}${u.suggestion ? ` — did you mean ${u.suggestion}?` : ''}`,
    fix: u.suggestion
      ? `rename it to ${u.suggestion}`
      : 'remove it, or see lib/bca/README.md for the scenario keys',
  }));
}

export function parseScenarioText(
  text: string,
  file: string,
): { scenario: Scenario | null; errors: ScenarioError[]; locate?: Locate } {
  let raw: unknown;
  try {
    raw = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    return {
      scenario: null,
      errors: [{ path: '', message: `cannot parse ${file}: ${(e as Error).message}` }],
    };
  }
  const lineOf = lineFinder(text);
  const errors: ScenarioError[] = unknownKeyErrors(raw).map(({ at, ...e }) => ({ ...e, line: lineOf(at) }));
  // the object schema: unknown keys were listed above, together with (not before) the rest
  const r = ScenarioObject.safeParse(raw);
  if (!r.success)
    for (const i of r.error.issues)
      errors.push({
        path: i.path.join('.'),
        message: i.message,
        line: lineOf(i.path as (string | number)[]),
      });
  // evaluation problems (a blank amount, a missing default) are found later: they need the lines too
  const locate: Locate = (path) => {
    const line = lineOf(path);
    return line === undefined ? undefined : { line };
  };
  return { scenario: r.success && errors.length === 0 ? r.data : null, errors, locate };
}

/** Every project as a list of alternatives (a plain project is one alternative, "build"). */
export function alternativesOf(p: ProjectSpec): AlternativeSpec[] {
  if (p.alternatives?.length) return p.alternatives;
  return [
    { id: 'build', title: p.title, costs: p.costs ?? [], residual: p.residual, effects: p.effects ?? [] },
  ];
}
