// The operations-library impact factors in the risk analysis: streams valued with a default that
// has a published low/high are drawn from triangular(low, value, high) once per iteration and
// shared across projects; the deterministic low/high cases equal re-running with overrides.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { incidentDelayReduction, strategyLibrary } from '../../lib/bca/calculators/operations';
import { npv, type PvComponents } from '../../lib/bca/discount';
import { evaluateScenario } from '../../lib/bca/evaluate';
import { type ImpactRange, impactParts, impactRange } from '../../lib/bca/impact-ranges';
import { type McProject, monteCarlo, rng, triangular } from '../../lib/bca/montecarlo';
import { runBca } from '../../lib/bca/run';
import { parseScenarioText, type Scenario } from '../../lib/bca/scenario';
import { sensitivity } from '../../lib/bca/sensitivity';
import { IssueCollector } from '../../lib/ingest/issues';
import { tempCtx } from './helpers';

const one: [number, number, number] = [1, 1, 1];
const ramp: ImpactRange = {
  strategy: 'ramp_metering',
  measure: 'travel_time_reduction',
  value: 0.18,
  low: 0.18,
  high: 0.22,
};
const pv = (benefits: number, capital: number): PvComponents => ({
  benefits,
  capital,
  om: 0,
  rehab: 0,
  residual: 0,
});

// One project per entry: `effect` is the YAML flow mapping of its operations effect.
function scenarioYaml(effects: Record<string, string>, risk = ''): string {
  return [
    'id: ops-risk',
    'edition: usdot-2026',
    'base_year: 2030',
    'dollar_year: 2024',
    'selection: as_listed',
    ...(risk ? [risk] : []),
    'projects:',
    ...Object.entries(effects).flatMap(([id, effect]) => [
      `  - id: ${id}`,
      '    costs: [{ type: capital, year: 2030, amount_usd: 100000, dollar_year: 2024 }]',
      '    effects:',
      `      - { kind: operations, years: [2030, 2034], affected_hours_nb: 20000, occupancy: 1.52, occupancy_source: test, ${effect} }`,
    ]),
  ].join('\n');
}

function evaluate(yaml: string, edit?: (sc: Scenario) => void) {
  const { scenario, errors } = parseScenarioText(yaml, 'ops.yaml');
  expect(errors).toEqual([]);
  edit?.(scenario!);
  const issues = new IssueCollector('bca');
  const ev = evaluateScenario(scenario!, 'ops.yaml', issues);
  expect(issues.issues.filter((i) => i.severity === 'error')).toEqual([]);
  return ev;
}

describe('which streams carry a published range', () => {
  it('every published range in the library brackets its default (a triangular needs low ≤ mode ≤ high)', () => {
    const ranges = strategyLibrary().flatMap((l) => impactRange(l) ?? []);
    expect(ranges.length).toBeGreaterThanOrEqual(6);
    for (const r of ranges) {
      expect(r.low, `${r.strategy} ${r.measure}`).toBeLessThanOrEqual(r.value);
      expect(r.value, `${r.strategy} ${r.measure}`).toBeLessThanOrEqual(r.high);
    }
  });
  it('library defaults with a low/high are tagged; scenario overrides are not', () => {
    const ev = evaluate(
      scenarioYaml({
        RM: 'strategy: ramp_metering, crashes_nb: { O: 10 }',
        RMX: 'strategy: ramp_metering, crashes_nb: { O: 10 }, impact_travel_time: 0.18, impact_crash: 0.206, impact_source: own study',
        TIM: 'strategy: incident_management',
        TIMX: 'strategy: incident_management, impact_incident_duration: 0.286, impact_source: own study',
        VSL: 'strategy: variable_speed_limits, crashes_nb: { O: 10 }',
      }),
    );
    const keys = (p: string) =>
      impactParts(ev.ledger.filter((r) => r.project_id === p))
        .map((x) => `${x.key} ${x.type} ${x.range.low}/${x.range.value}/${x.range.high}`)
        .sort();
    expect(keys('RM')).toEqual([
      'ramp_metering/crash_reduction safety 0.206/0.206/0.36',
      'ramp_metering/travel_time_reduction travel_time 0.18/0.18/0.22',
    ]);
    expect(keys('TIM')).toEqual([
      'incident_management/incident_duration_reduction travel_time 0.286/0.286/0.57',
    ]);
    // the same figures given by the scenario are the scenario's: never drawn
    expect(keys('RMX')).toEqual([]);
    expect(keys('TIMX')).toEqual([]);
    // VSL has no published range (travel time 0, crash 0.29 without low/high)
    expect(keys('VSL')).toEqual([]);
  });
});

describe('Monte Carlo over a published factor', () => {
  it('by hand: one ramp-metering project, draws pinned by the seed', () => {
    // PV benefits 1000, of which 600 valued with the ramp-metering default; one iteration
    const project: McProject = {
      id: 'RM',
      pv: pv(1000, 400),
      factorParts: [{ key: 'ramp_metering/travel_time_reduction', type: 'travel_time', pv: 600 }],
    };
    const benefits: [number, number, number] = [0.7, 1, 1.2];
    const costs: [number, number, number] = [0.9, 1, 1.4];
    const mc = monteCarlo(
      [project],
      {
        iterations: 1,
        seed: 7,
        benefits,
        costs,
        factors: { 'ramp_metering/travel_time_reduction': ramp },
      },
      'capital_only',
    );
    // order of the uniforms: the shared factor first, then the project's benefit and cost draws
    const u = rng(7);
    const factor = triangular(u(), [0.18, 0.18, 0.22]);
    const mB = triangular(u(), benefits);
    const mC = triangular(u(), costs);
    expect(factor).toBeGreaterThan(0.18);
    expect(mc.portfolio.npv_p50).toBeCloseTo(400 * mB + 600 * (factor / 0.18) - 400 * mC, 9);
    // a degenerate range low = high = 0.22 scales that part by exactly 0.22 / 0.18
    const fixed = monteCarlo(
      [project],
      {
        iterations: 20,
        seed: 7,
        benefits: one,
        costs: one,
        factors: { 'ramp_metering/travel_time_reduction': { ...ramp, low: 0.22, high: 0.22 } },
      },
      'capital_only',
    );
    expect(fixed.portfolio.npv_p10).toBeCloseTo(400 + (600 * 0.22) / 0.18 - 400, 9);
    expect(fixed.portfolio.npv_p90).toBeCloseTo(400 + (600 * 0.22) / 0.18 - 400, 9);
  });

  it('an incident-duration draw is turned into a delay cut before scaling', () => {
    const tim: ImpactRange = {
      strategy: 'incident_management',
      measure: 'incident_duration_reduction',
      value: 0.286,
      low: 0.57,
      high: 0.57,
    };
    const mc = monteCarlo(
      [
        {
          id: 'TIM',
          pv: pv(1000, 0),
          factorParts: [{ key: 'tim', type: 'travel_time', pv: 1000 }],
        },
      ],
      { iterations: 5, seed: 3, benefits: one, costs: one, factors: { tim } },
      'capital_only',
    );
    // (1 − 0.43²) / (1 − 0.714²) = 0.8151 / 0.490204, not the duration ratio 0.57 / 0.286
    const delayRatio = (1 - 0.43 ** 2) / (1 - 0.714 ** 2);
    expect(mc.portfolio.npv_p50).toBeCloseTo(1000 * delayRatio, 9);
    expect(delayRatio).toBeCloseTo(incidentDelayReduction(0.57) / incidentDelayReduction(0.286), 12);
    expect(mc.portfolio.npv_p50).not.toBeCloseTo((1000 * 0.57) / 0.286, 1);
  });

  it('projects using the same default move together; their general multipliers stay independent', () => {
    const key = 'ramp_metering/travel_time_reduction';
    const projects: McProject[] = [
      { id: 'A', pv: pv(1000, 500), factorParts: [{ key, type: 'travel_time', pv: 1000 }] },
      { id: 'B', pv: pv(500, 500), factorParts: [{ key, type: 'travel_time', pv: 500 }] },
      { id: 'C', pv: pv(1000, 500) },
      { id: 'D', pv: pv(1000, 500) },
      // 300 of its 1000 valued with the default, the rest with the general multiplier
      { id: 'E', pv: pv(1000, 500), factorParts: [{ key, type: 'travel_time', pv: 300 }] },
    ];
    const n = 2000;
    const drawn = projects.map(() => [] as PvComponents[]);
    monteCarlo(
      projects,
      {
        iterations: n,
        seed: 11,
        benefits: [0.7, 1, 1.2],
        costs: [0.9, 1, 1.4],
        factors: { [key]: { ...ramp, low: 0.1 } },
      },
      'capital_only',
      (_i, j, p) => drawn[j]!.push({ ...p }),
    );
    const [a, b, c, d, e] = drawn as [
      PvComponents[],
      PvComponents[],
      PvComponents[],
      PvComponents[],
      PvComponents[],
    ];
    const corr = (x: number[], y: number[]) => {
      const mx = x.reduce((s, v) => s + v, 0) / x.length;
      const my = y.reduce((s, v) => s + v, 0) / y.length;
      let sxy = 0;
      let sxx = 0;
      let syy = 0;
      x.forEach((v, i) => {
        sxy += (v - mx) * (y[i]! - my);
        sxx += (v - mx) ** 2;
        syy += (y[i]! - my) ** 2;
      });
      return sxy / Math.sqrt(sxx * syy);
    };
    // the factor-driven benefits: B is half of A in every draw (correlation 1), and they vary
    a.forEach((x, i) => {
      expect(b[i]!.benefits).toBeCloseTo(x.benefits / 2, 9);
    });
    expect(
      corr(
        a.map((x) => x.benefits),
        b.map((x) => x.benefits),
      ),
    ).toBeCloseTo(1, 12);
    expect(Math.max(...a.map((x) => x.benefits)) - Math.min(...a.map((x) => x.benefits))).toBeGreaterThan(
      300,
    );
    // their costs, and the benefits of projects without the default, are drawn per project
    expect(
      Math.abs(
        corr(
          a.map((x) => x.capital),
          b.map((x) => x.capital),
        ),
      ),
    ).toBeLessThan(0.1);
    expect(
      Math.abs(
        corr(
          c.map((x) => x.benefits),
          d.map((x) => x.benefits),
        ),
      ),
    ).toBeLessThan(0.1);
    // E: the tagged 300 follows A's factor; the other 700 has its own general multiplier
    const rest = e.map((x, i) => x.benefits - 0.3 * a[i]!.benefits);
    for (const v of rest) {
      expect(v).toBeGreaterThanOrEqual(0.7 * 700 - 1e-9);
      expect(v).toBeLessThanOrEqual(1.2 * 700 + 1e-9);
    }
    expect(
      Math.abs(
        corr(
          rest,
          a.map((x) => x.benefits),
        ),
      ),
    ).toBeLessThan(0.1);
  });

  it('a by_type range applies to the rest of its type, not to the part a factor draws', () => {
    const mc = monteCarlo(
      [
        {
          id: 'RM',
          pv: pv(1000, 0),
          byType: { travel_time: 1000 },
          factorParts: [{ key: 'rm', type: 'travel_time', pv: 600 }],
        },
      ],
      {
        iterations: 5,
        seed: 1,
        benefits: one,
        costs: one,
        byType: { travel_time: [0.5, 0.5, 0.5] },
        factors: { rm: { ...ramp, low: 0.22 } },
      },
      'capital_only',
    );
    expect(mc.portfolio.npv_p50).toBeCloseTo(400 * 0.5 + (600 * 0.22) / 0.18, 9);
  });

  it('without factors the random sequence, and so every result, is what it was', () => {
    const projects = [{ id: 'a', pv: pv(2000, 1000) }];
    const spec = {
      iterations: 200,
      seed: 5,
      benefits: [0.7, 1, 1.2] as [number, number, number],
      costs: one,
    };
    const seen: number[] = [];
    monteCarlo(projects, spec, 'capital_only', (_i, _j, p) => seen.push(p.benefits));
    const u = rng(5);
    const expected = Array.from({ length: 200 }, () => {
      const m = triangular(u(), spec.benefits);
      u();
      return 2000 * m;
    });
    seen.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i]!, 9);
    });
  });
});

describe('deterministic cases at the ends of the published ranges', () => {
  const defaults = {
    RM: 'strategy: ramp_metering, crashes_nb: { O: 10, A: 1 }',
    TIM: 'strategy: incident_management',
    ASC: 'strategy: adaptive_signal_control, crashes_nb: { O: 20 }',
  };
  // the same projects with each factor given by the scenario at one end of its range
  const at = (end: 'low' | 'high') =>
    end === 'low'
      ? {
          RM: 'strategy: ramp_metering, crashes_nb: { O: 10, A: 1 }, impact_travel_time: 0.18, impact_crash: 0.206',
          TIM: 'strategy: incident_management, impact_incident_duration: 0.286',
          // the schema refuses a negative impact_crash; the library's low (−0.047, CMF 1.047) is
          // set on the parsed scenario below
          ASC: 'strategy: adaptive_signal_control, crashes_nb: { O: 20 }, impact_travel_time: 0.10, impact_crash: 0',
        }
      : {
          RM: 'strategy: ramp_metering, crashes_nb: { O: 10, A: 1 }, impact_travel_time: 0.22, impact_crash: 0.36',
          TIM: 'strategy: incident_management, impact_incident_duration: 0.57',
          ASC: 'strategy: adaptive_signal_control, crashes_nb: { O: 20 }, impact_travel_time: 0.50, impact_crash: 0.32',
        };

  it('"operations defaults at their low/high" equal re-running with the factors overridden', () => {
    const ev = evaluate(scenarioYaml(defaults));
    const s = sensitivity('portfolio', ev.ledger, ev.settings);
    for (const end of ['low', 'high'] as const) {
      const c = s.rows.find((r) => r.case === `operations defaults at their ${end}`)!;
      const rerun = evaluate(scenarioYaml(at(end)), (sc) => {
        const asc = sc.projects.find((p) => p.id === 'ASC')!.effects![0] as { impact_crash?: number };
        if (end === 'low') asc.impact_crash = -0.047;
      });
      const base = sensitivity('portfolio', rerun.ledger, rerun.settings).rows[0]!;
      expect(base.case).toBe('base');
      expect(c.npv_usd).toBeCloseTo(base.npv_usd!, 4);
      expect(c.bcr).toBeCloseTo(base.bcr!, 9);
      // and per project
      for (const p of Object.keys(defaults)) {
        const one = sensitivity(
          p,
          ev.ledger.filter((r) => r.project_id === p),
          ev.settings,
        );
        const want = sensitivity(
          p,
          rerun.ledger.filter((r) => r.project_id === p),
          rerun.settings,
        );
        expect(one.rows.find((r) => r.case === `operations defaults at their ${end}`)!.npv_usd).toBeCloseTo(
          want.rows[0]!.npv_usd!,
          4,
        );
      }
    }
    const low = s.rows.find((r) => r.case === 'operations defaults at their low')!.npv_usd!;
    const high = s.rows.find((r) => r.case === 'operations defaults at their high')!.npv_usd!;
    // the adaptive-control crash low (−0.047, crashes rise) pulls the low case below the base
    expect(low).toBeLessThan(s.rows[0]!.npv_usd!);
    expect(high).toBeGreaterThan(s.rows[0]!.npv_usd!);
  });

  it('no such case when the run uses no default with a range', () => {
    const ev = evaluate(scenarioYaml(at('high')));
    const s = sensitivity('portfolio', ev.ledger, ev.settings);
    expect(s.rows.some((r) => r.case.startsWith('operations defaults'))).toBe(false);
  });
});

describe('a run', () => {
  it('draws the defaults, not the overrides, and reports the cases in sensitivity.csv', async () => {
    const { dir, ctx } = await tempCtx();
    const file = join(dir, 'ops.yaml');
    // general multipliers fixed at 1: only the published factors vary
    writeFileSync(
      file,
      scenarioYaml(
        {
          RM: 'strategy: ramp_metering, crashes_nb: { O: 10 }',
          RMX: 'strategy: ramp_metering, crashes_nb: { O: 10 }, impact_travel_time: 0.22, impact_crash: 0.36, impact_source: own study',
        },
        'risk: { iterations: 500, seed: 3, benefits: [1, 1, 1], costs: [1, 1, 1] }',
      ),
    );
    const r = await runBca(ctx, file, { out: join(dir, 'out'), reports: false, publish: false });
    const run = r.run!;
    expect(Object.keys(run.montecarlo!.spec.factors ?? {}).sort()).toEqual([
      'ramp_metering/crash_reduction',
      'ramp_metering/travel_time_reduction',
    ]);
    const stats = (id: string) => run.montecarlo!.projects.find((p) => p.scope === id)!;
    const result = (id: string) => run.results.find((p) => p.project_id === id)!;
    // the override project's NPV is a point; the default's spreads above its base (mode = low)
    expect(stats('RMX/build').npv_p10).toBeCloseTo(result('RMX').npv_usd!, 6);
    expect(stats('RMX/build').npv_p90).toBeCloseTo(result('RMX').npv_usd!, 6);
    expect(stats('RM/build').npv_p10!).toBeGreaterThan(result('RM').npv_usd!);
    expect(stats('RM/build').npv_p90!).toBeLessThan(result('RMX').npv_usd!);
    const csv = readFileSync(join(dir, 'out', 'sensitivity.csv'), 'utf8');
    expect(csv).toMatch(/RM\/build,operations defaults at their high,/);
    expect(csv).not.toMatch(/RMX\/build,operations defaults/);
    // the portfolio's high case is RMX's NPV twice over (RM at the high end equals RMX)
    const high = run.sensitivity.find(
      (x) => x.scope === 'portfolio' && x.case === 'operations defaults at their high',
    )!;
    expect(high.npv_usd).toBeCloseTo(2 * result('RMX').npv_usd!, 4);
    expect(npv(result('RM').pv!)).toBeCloseTo(result('RM').npv_usd!, 6);
  });
});
