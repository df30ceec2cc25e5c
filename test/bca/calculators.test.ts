// Each benefit calculator against hand-checkable numbers; sources of the worked figures inline.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calcCtx, effectBenefits } from '../../lib/bca/calculators';
import { rateAt } from '../../lib/bca/calculators/emissions';
import { incidentDelayReduction } from '../../lib/bca/calculators/operations';
import { evaluateScenario } from '../../lib/bca/evaluate';
import { getEdition } from '../../lib/bca/params';
import { parseScenarioText } from '../../lib/bca/scenario';
import { IssueCollector } from '../../lib/ingest/issues';

const ids = { project_id: 'P1', alternative_id: 'build' };
const ctx = (edition = 'usdot-2026') => {
  const issues = new IssueCollector('bca');
  return { c: calcCtx(getEdition(edition), issues, ids, 'test.yaml'), issues };
};
const total = (flows: { amount: number | null }[]) => flows.reduce((s, f) => s + (f.amount ?? Number.NaN), 0);

describe('travel time', () => {
  it('MCBOMs operations example: 5 min × 10,000 AADT × 365 × 1.52 × $21.10 = $9,755,233.33', () => {
    // ttitamu/mcboms-optimization compute_travel_time_benefit (USDOT May 2025 values). Its doctest
    // prints 9,762,962.0, which is an arithmetic slip (research/bca.md §6.3); the formula gives this.
    const { c, issues } = ctx('usdot-2025-may');
    const hoursNb = (10_000 * 365 * 5) / 60;
    const out = effectBenefits(
      { kind: 'travel_time', years: [2026, 2026], hours: 'vehicle', hours_nb: hoursNb, hours_b: 0 },
      c,
    );
    expect(issues.issues).toEqual([]);
    expect(total(out.flows)).toBeCloseTo(9_755_233.33, 2);
    expect(out.flows[0]!.unit_value).toBeCloseTo(1.52 * 21.1, 12);
  });

  it('truck vehicle-hours are valued per driver (occupancy 1) at the truck-driver value', () => {
    const { c } = ctx();
    const out = effectBenefits(
      {
        kind: 'travel_time',
        years: [2030, 2031],
        hours: 'vehicle',
        vehicle: 'truck',
        hours_nb: 1000,
        hours_b: 900,
      },
      c,
    );
    for (const f of out.flows) expect(f.amount).toBeCloseTo(3720, 9);
  });

  it('business person-hours at the business value, with 2% growth in year 2', () => {
    const { c } = ctx();
    const out = effectBenefits(
      {
        kind: 'travel_time',
        years: [2030, 2031],
        growth: 0.02,
        hours: 'person',
        purpose: 'business',
        hours_nb: 100,
        hours_b: 0,
      },
      c,
    );
    expect(out.flows[0]!.amount).toBeCloseTo(3460, 9);
    expect(out.flows[1]!.amount).toBeCloseTo(3460 * 1.02, 9);
  });

  it('light-duty vehicle-hours without an occupancy the edition lists stay unvalued, with an error', () => {
    const { c, issues } = ctx('usdot-2026');
    const out = effectBenefits(
      { kind: 'travel_time', years: [2030, 2030], hours: 'vehicle', hours_nb: 10, hours_b: 5 },
      c,
    );
    expect(out.flows[0]!.amount).toBeNull();
    expect(issues.issues.map((i) => i.code)).toContain('bca.value.missing');
  });
});

describe('vehicle operating cost', () => {
  it('1,000 fewer light-duty vehicle-miles × $0.56 = $560; induced VMT is a disbenefit', () => {
    const { c } = ctx();
    expect(
      total(effectBenefits({ kind: 'voc', years: [2030, 2030], vmt_nb: 11_000, vmt_b: 10_000 }, c).flows),
    ).toBeCloseTo(560, 9);
    expect(
      total(
        effectBenefits({ kind: 'voc', years: [2030, 2030], vehicle: 'truck', vmt_nb: 0, vmt_b: 100 }, c)
          .flows,
      ),
    ).toBeCloseTo(-123, 9);
  });
});

describe('safety', () => {
  it('MCBOMs worked example: 6 persons/yr by KABCO share × (1 − 0.88) × May-2025 Table A-1 = $211,809.60/yr', () => {
    // ttitamu/mcboms-optimization docs/validation/worked-example.md: shares 1.3/6.5/9.5/11.7/71.0 %.
    // MCBOMs applies Table A-1 (per-person) values, so the counts are entered as persons here.
    const { c, issues } = ctx('usdot-2025-may');
    const n = 6;
    const counts = { K: 0.013 * n, A: 0.065 * n, B: 0.095 * n, C: 0.117 * n, O: 0.71 * n };
    const out = effectBenefits(
      { kind: 'safety', years: [2026, 2026], basis: 'person', counts_nb: counts, cmf: 0.88 },
      c,
    );
    expect(issues.hasErrors).toBe(false);
    expect(total(out.flows)).toBeCloseTo(211_809.6, 4);
  });

  it('crash counts take per-crash values: 2 injury crashes and 10 PDO crashes × (1 − 0.8) with USDOT 2026', () => {
    const { c } = ctx('usdot-2026');
    const out = effectBenefits(
      { kind: 'safety', years: [2030, 2030], basis: 'crash', counts_nb: { A: 1, B: 1, O: 10 }, cmf: 0.8 },
      c,
    );
    // 0.2 × 342,400 × 2 + 0.2 × 9,700 × 10
    expect(total(out.flows)).toBeCloseTo(136_960 + 19_400, 6);
    expect(out.flows.every((f) => f.unit!.endsWith('crashes'))).toBe(true);
  });

  it('never applies per-person KABCO values to crash counts: an edition without per-crash values refuses', () => {
    const { c, issues } = ctx('usdot-2025-may');
    const out = effectBenefits(
      { kind: 'safety', years: [2030, 2030], basis: 'crash', counts_nb: { K: 1 }, cmf: 0.5 },
      c,
    );
    expect(out.flows[0]!.amount).toBeNull();
    expect(issues.issues.some((i) => i.code === 'bca.value.missing')).toBe(true);
  });

  it('FHWA-SA-25-021 per-crash KABCO values, per-severity CMFs and combined CMFs', () => {
    const { c } = ctx();
    const out = effectBenefits(
      {
        kind: 'safety',
        years: [2030, 2030],
        basis: 'crash',
        crash_values: 'fhwa-sa-25-021',
        counts_nb: { K: 0.1, A: 1 },
        cmf: { K: 0.5, A: 0.9 },
      },
      c,
    );
    expect(total(out.flows)).toBeCloseTo(0.05 * 15_988_000 + 0.1 * 1_705_100, 6);
    const product = effectBenefits(
      { kind: 'safety', years: [2030, 2030], basis: 'crash', counts_nb: { O: 10 }, cmf: [0.9, 0.8] },
      c,
    );
    expect(product.flows[0]!.quantity).toBeCloseTo(10 * (1 - 0.72), 9);
    const best = effectBenefits(
      {
        kind: 'safety',
        years: [2030, 2030],
        basis: 'crash',
        counts_nb: { O: 10 },
        cmf: [0.9, 0.8],
        combine: 'most_effective',
      },
      c,
    );
    expect(best.flows[0]!.quantity).toBeCloseTo(2, 9);
  });
});

describe('emissions', () => {
  it('interpolates g/mi by speed', () => {
    expect(
      rateAt(
        [
          [20, 1],
          [40, 0.5],
        ],
        30,
      ),
    ).toBeCloseTo(0.75, 12);
    expect(
      rateAt(
        [
          [20, 1],
          [40, 0.5],
        ],
        60,
      ),
    ).toBe(0.5);
  });
  it('1,000,000 → 900,000 VMT at 0.5 g/mi NOx = 0.05 t × $21,600 (2025, USDOT 2026); CO2 in tons only', () => {
    const { c, issues } = ctx();
    const out = effectBenefits(
      {
        kind: 'emissions',
        years: [2025, 2025],
        vmt_nb: 1e6,
        vmt_b: 9e5,
        speed_nb_mph: 30,
        speed_b_mph: 30,
        rates: { nox: [[30, 0.5]], co2: [[30, 300]] },
      },
      c,
    );
    expect(total(out.flows)).toBeCloseTo(1080, 9);
    expect(out.outcomes.find((o) => o.measure === 'co2_tons')!.change).toBeCloseTo(30, 9);
    expect(issues.issues).toEqual([]);
  });
});

describe('operations strategies (TOPS-BC style library)', () => {
  it('transit signal priority default (10% of in-vehicle time, Cal-B/C) × 10,000 passenger-hours × $21.80', () => {
    const { c } = ctx();
    const out = effectBenefits(
      {
        kind: 'operations',
        strategy: 'transit_signal_priority',
        years: [2030, 2030],
        hours: 'person',
        affected_hours_nb: 10_000,
      },
      c,
    );
    expect(total(out.flows)).toBeCloseTo(21_800, 6);
    expect(out.flows[0]!.source).toMatch(/Cal-B\/C/);
  });
  it('ramp metering defaults (MnDOT shutdown study): 100,000 mainline vehicle-hours and 10 PDO crashes', () => {
    // Travel time: 100,000 × (1 − 1/1.22 ≈ 0.180) = 18,000 vehicle-hours × 1.52 persons × $21.80
    // = $596,448. Crashes: 10 × (1 − 1/1.26 ≈ 0.206) = 2.06 PDO crashes × $9,700 = $19,982.
    // Occupancy 1.52 is the May-2025 light-duty value (the 2026 one is not transcribed).
    const { c, issues } = ctx();
    const out = effectBenefits(
      {
        kind: 'operations',
        strategy: 'ramp_metering',
        years: [2030, 2030],
        affected_hours_nb: 100_000,
        occupancy: 1.52,
        occupancy_source: 'USDOT May 2025 light-duty occupancy',
        crashes_nb: { O: 10 },
      },
      c,
    );
    expect(issues.hasErrors).toBe(false);
    const tt = out.flows.filter((f) => f.flow === 'benefit_travel_time');
    expect(total(tt)).toBeCloseTo(18_000 * 1.52 * 21.8, 6);
    expect(total(out.flows)).toBeCloseTo(596_448 + 19_982, 6);
    expect(tt[0]!.source).toMatch(
      /ramp_metering travel-time factor 0\.18 .*rampmeter\/study\.html.*primary \(MnDOT/,
    );
  });
  it('a strategy without a verified default needs an explicit factor; with one it also values crashes', () => {
    // Signal coordination has no crash default (the only pooled figure rests on 1–2 star CMFs):
    // crashes without impact_crash are refused, an unknown strategy is refused outright.
    const { c, issues } = ctx();
    effectBenefits(
      {
        kind: 'operations',
        strategy: 'signal_coordination',
        years: [2030, 2030],
        affected_hours_nb: 1000,
        occupancy: 1.5,
        crashes_nb: { O: 10 },
      },
      c,
    );
    expect(issues.issues.map((i) => i.code)).toEqual(['bca.operations.no_default']);
    expect(issues.issues[0]!.message).toMatch(/no verified default crash impact/);
    const unknown = ctx();
    effectBenefits(
      { kind: 'operations', strategy: 'hov_lanes', years: [2030, 2030], affected_hours_nb: 1000 },
      unknown.c,
    );
    expect(unknown.issues.issues.map((i) => i.code)).toEqual(['bca.operations.strategy']);
    const ok = ctx();
    const out = effectBenefits(
      {
        kind: 'operations',
        strategy: 'signal_coordination',
        years: [2030, 2030],
        affected_hours_nb: 1000,
        occupancy: 1.5,
        impact_travel_time: 0.1,
        impact_crash: 0.2,
        impact_source: 'test',
        crashes_nb: { O: 10 },
      },
      ok.c,
    );
    expect(ok.issues.hasErrors).toBe(false);
    expect(total(out.flows)).toBeCloseTo(100 * 1.5 * 21.8 + 2 * 9700, 6);
  });
  it('variable speed limits: the crash default (CMF ID 8730) and the sourced zero travel-time default', () => {
    // The library's travel-time default is 0 (evaluations found no saving), so only the crashes
    // count: 10 PDO crashes × 0.29 × $9,700 = $28,130; the zero is traced to its sources.
    const { c, issues } = ctx();
    const out = effectBenefits(
      {
        kind: 'operations',
        strategy: 'variable_speed_limits',
        years: [2030, 2030],
        affected_hours_nb: 1000,
        occupancy: 1.52,
        occupancy_source: 'USDOT May 2025 light-duty occupancy',
        crashes_nb: { O: 10 },
      },
      c,
    );
    expect(issues.hasErrors).toBe(false);
    expect(total(out.flows)).toBeCloseTo(10 * 0.29 * 9700, 6);
    const tt = out.flows.filter((f) => f.flow === 'benefit_travel_time');
    expect(total(tt)).toBe(0);
    expect(tt[0]!.source).toMatch(
      /variable_speed_limits travel-time factor 0 .*suggested-speed-limits-coming-to-i-270/,
    );
    // A scenario with its own evidence still overrides the zero.
    const own = ctx();
    const claimed = effectBenefits(
      {
        kind: 'operations',
        strategy: 'variable_speed_limits',
        years: [2030, 2030],
        affected_hours_nb: 1000,
        occupancy: 1.52,
        impact_travel_time: 0.05,
        impact_source: 'corridor study',
      },
      own.c,
    );
    expect(own.issues.hasErrors).toBe(false);
    expect(total(claimed.flows)).toBeCloseTo(50 * 1.52 * 21.8, 6);
  });
  it('part-time shoulder use and adaptive control crashes now have sourced defaults', () => {
    // Shoulder: 10,000 peak-direction vehicle-hours × 0.309 (US-23 Flex Route, 1 − 8.5/12.3)
    // × 1.52 × $21.80. Adaptive control crashes: 100 PDO crashes × 0.04 (CMF 0.96) × $9,700.
    const { c, issues } = ctx();
    const shoulder = effectBenefits(
      {
        kind: 'operations',
        strategy: 'part_time_shoulder_use',
        years: [2030, 2030],
        affected_hours_nb: 10_000,
        occupancy: 1.52,
        occupancy_source: 'USDOT May 2025 light-duty occupancy',
      },
      c,
    );
    const adaptive = effectBenefits(
      {
        kind: 'operations',
        strategy: 'adaptive_signal_control',
        years: [2030, 2030],
        affected_hours_nb: 0,
        occupancy: 1.52,
        occupancy_source: 'USDOT May 2025 light-duty occupancy',
        crashes_nb: { O: 100 },
      },
      c,
    );
    expect(issues.hasErrors).toBe(false);
    expect(total(shoulder.flows)).toBeCloseTo(3090 * 1.52 * 21.8, 6);
    expect(shoulder.flows[0]!.source).toMatch(
      /part_time_shoulder_use travel-time factor 0\.309 .*livingstondaily\.com/,
    );
    const crashes = adaptive.flows.filter((f) => f.flow !== 'benefit_travel_time');
    expect(total(crashes)).toBeCloseTo(100 * 0.04 * 9700, 6);
  });
});

describe('incident management: a cut in incident duration becomes a cut in incident delay', () => {
  // Deterministic queuing (FHWA NaviGAtor benefits analysis, appendix A): an incident's delay is
  // ½·d²·(c − c_r)(q − c_r)/(c − q), so cutting the duration d by r cuts the delay by 1 − (1 − r)².
  const incident = (extra: Record<string, unknown>) => ({
    kind: 'operations' as const,
    strategy: 'incident_management',
    years: [2030, 2030] as [number, number],
    affected_hours_nb: 10_000,
    occupancy: 1.52,
    occupancy_source: 'USDOT May 2025 light-duty occupancy',
    ...extra,
  });

  it('the queuing formula itself: delay ratio of two durations is the square of their ratio', () => {
    // Arrivals 4,000 veh/h, capacity 6,000, 2,000 while blocked, 1 h vs 0.43 h of blockage.
    const delay = (d: number, q = 4000, c = 6000, cr = 2000) => (0.5 * d * d * (c - cr) * (q - cr)) / (c - q);
    expect(delay(1)).toBeCloseTo(2000, 9); // vehicle-hours
    expect(1 - delay(0.43) / delay(1)).toBeCloseTo(incidentDelayReduction(0.57), 12);
  });

  it('r = 0.57 (CHART 2000) by override: 10,000 veh-h × 0.8151 × 1.52 × $21.80 = $270,091.54', () => {
    // 1 − 0.43² = 0.8151; 10,000 × 0.8151 = 8,151 vehicle-hours × 1.52 = 12,389.52 person-hours.
    const { c, issues } = ctx();
    const out = effectBenefits(incident({ impact_incident_duration: 0.57, impact_source: 'CHART 2000' }), c);
    expect(issues.hasErrors).toBe(false);
    expect(incidentDelayReduction(0.57)).toBeCloseTo(0.8151, 12);
    expect(total(out.flows)).toBeCloseTo(270_091.536, 6);
    expect(out.flows[0]!.source).toMatch(/incident duration cut 0\.57 → incident delay cut .* = 0\.8151/);
    expect(out.flows[0]!.source).toMatch(/duration cut from CHART 2000/);
  });

  it('the library default (CHART 2002, 28.6% of duration) is 49.0% of incident delay', () => {
    // 1 − 0.714² = 0.490204; 10,000 × 0.490204 = 4,902.04 veh-h × 1.52 × $21.80 = $162,434.00.
    const { c, issues } = ctx();
    const out = effectBenefits(incident({}), c);
    expect(issues.hasErrors).toBe(false);
    expect(total(out.flows)).toBeCloseTo(10_000 * 0.490204 * 1.52 * 21.8, 6);
    expect(total(out.flows)).toBeCloseTo(162_434.0, 1);
    expect(out.flows[0]!.source).toMatch(
      /travel-time factor 0\.490204 .*B23B60B704F9AEAE8525733A006D5450.*secondary/,
    );
  });

  it('an explicit delay factor wins; a duration cut on another strategy is refused', () => {
    const both = ctx();
    const out = effectBenefits(
      incident({ impact_incident_duration: 0.57, impact_travel_time: 0.1, impact_source: 'TIM-BC run' }),
      both.c,
    );
    expect(both.issues.hasErrors).toBe(false);
    expect(total(out.flows)).toBeCloseTo(1000 * 1.52 * 21.8, 6);
    const wrong = ctx();
    effectBenefits(
      {
        kind: 'operations',
        strategy: 'ramp_metering',
        years: [2030, 2030],
        affected_hours_nb: 10_000,
        occupancy: 1.52,
        impact_incident_duration: 0.3,
      },
      wrong.c,
    );
    expect(wrong.issues.issues.map((i) => i.code)).toEqual(['bca.operations.incident_duration']);
    expect(wrong.issues.issues[0]!.message).toMatch(/impact_incident_duration applies only/);
  });

  it('a scenario file can state the duration cut (the schema keeps impact_incident_duration)', () => {
    const yaml = [
      'id: tim',
      'edition: usdot-2026',
      'base_year: 2030',
      'selection: as_listed',
      'projects:',
      '  - id: SSP',
      '    costs: [{ type: capital, year: 2030, amount_usd: 1000, dollar_year: 2024 }]',
      '    effects:',
      '      - { kind: operations, strategy: incident_management, years: [2030, 2030], affected_hours_nb: 10000,',
      '          occupancy: 1.52, occupancy_source: test, impact_incident_duration: 0.57, impact_source: CHART 2000 }',
    ].join('\n');
    const { scenario, errors } = parseScenarioText(yaml, 'tim.yaml');
    expect(errors).toEqual([]);
    const issues = new IssueCollector('bca');
    const ev = evaluateScenario(scenario!, 'tim.yaml', issues);
    expect(issues.hasErrors).toBe(false);
    const benefit = ev.ledger.filter((r) => r.flow_class === 'benefit');
    expect(benefit.map((r) => r.amount_real)).toEqual([expect.closeTo(270_091.536, 6)]);
  });

  it('property: the delay cut is at least the duration cut (equal only at 0 and 1) and rises with it', () => {
    expect(incidentDelayReduction(0)).toBe(0);
    expect(incidentDelayReduction(1)).toBe(1);
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (a, b) => {
          const fa = incidentDelayReduction(a);
          expect(fa).toBeGreaterThanOrEqual(a);
          expect(fa).toBeLessThanOrEqual(1);
          // Strictly above in between: f(r) − r = r(1 − r), which doubles resolve unless r is
          // within ~1e-16 of 1, so the strict check stops just short of 1.
          if (a > 0 && a < 0.999999) expect(fa).toBeGreaterThan(a);
          // Rounding of r·(2 − r) can put a value one ulp out of order next to 1.
          if (a <= b) expect(fa).toBeLessThanOrEqual(incidentDelayReduction(b) + Number.EPSILON);
          // Strictly rising where the difference is representable (away from r = 1, f' = 2(1 − r)).
          if (a < b && b <= 0.999) expect(fa).toBeLessThan(incidentDelayReduction(b));
        },
      ),
      { seed: 4, numRuns: 2000 },
    );
  });
});

describe('an operations strategy default end to end (scenario → ledger → NPV/BCR)', () => {
  // Bus rapid transit: the library default is 29% of in-vehicle time (Cal-B/C transit ITS, secondary).
  // 5,000 passenger-hours a year in 2025 and 2026, valued at the usdot-2026 all-purposes VTTS
  // ($21.80, 2024$): 5,000 × 0.29 × 21.80 = $31,610 a year. Discounted at 7% to 2024:
  // 31,610 / 1.07 + 31,610 / 1.07² = 29,542.06 + 27,609.40 = $57,151.45. Capital $100,000 in 2024
  // (undiscounted): NPV = −$42,848.55, BCR = 0.5715.
  const yaml = [
    'id: brt-e2e',
    'edition: usdot-2026',
    'base_year: 2024',
    'selection: as_listed',
    'projects:',
    '  - id: BRT1',
    '    costs:',
    '      - { type: capital, year: 2024, amount_usd: 100000, dollar_year: 2024 }',
    '    effects:',
    '      - { kind: operations, strategy: bus_rapid_transit, years: [2025, 2026], hours: person, affected_hours_nb: 5000 }',
  ].join('\n');
  it('values the default factor, discounts it and reports its source', () => {
    const { scenario, errors } = parseScenarioText(yaml, 'brt.yaml');
    expect(errors).toEqual([]);
    const issues = new IssueCollector('bca');
    const ev = evaluateScenario(scenario!, 'brt.yaml', issues);
    expect(issues.hasErrors).toBe(false);
    const benefitRows = ev.ledger.filter((r) => r.flow_class === 'benefit');
    expect(benefitRows.map((r) => r.amount_real)).toEqual([31_610, 31_610].map((x) => expect.closeTo(x, 6)));
    expect(benefitRows[0]!.source).toMatch(
      /bus_rapid_transit travel-time factor 0\.29 .*Cal-B\/C.*secondary/,
    );
    const r = ev.results.find((x) => x.project_id === 'BRT1')!;
    const pvBenefits = 31_610 / 1.07 + 31_610 / 1.07 ** 2;
    expect(pvBenefits).toBeCloseTo(57_151.45, 2);
    expect(r.benefits_pv_usd).toBeCloseTo(pvBenefits, 6);
    expect(r.costs_pv_usd).toBeCloseTo(100_000, 6);
    expect(r.npv_usd).toBeCloseTo(-42_848.55, 2);
    expect(r.bcr).toBeCloseTo(0.5715, 4);
  });
});
