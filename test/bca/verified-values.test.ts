// Pins the parameter values that were checked against a primary figure (data/bca/README.md,
// "Verification status"). A change to one of these rows must be a deliberate re-verification.
import { describe, expect, it } from 'vitest';
import { strategyLibrary } from '../../lib/bca/calculators/operations';
import { priceFactor } from '../../lib/bca/discount';
import { buildLedger, type RunSettings } from '../../lib/bca/ledger';
import { getEdition, loadParameters, type PriceIndexRow, unitValue } from '../../lib/bca/params';
import { IssueCollector } from '../../lib/ingest/issues';

const params = loadParameters();
const deflator = (year: number) =>
  params.priceIndex.find((r) => r.series === 'gdp_deflator' && r.year === year);

describe('GDP implicit price deflator (BEA NIPA Table 1.1.9, annual, 2017=100)', () => {
  it('holds the BEA figures of the July 2025 vintage, each marked primary', () => {
    // Exact copies: FRED A191RD3A086NBEA downloads and a BEA table quotation (README lists them).
    const expected: Record<number, number> = {
      2010: 89.632,
      2015: 97.316,
      2017: 100.0,
      2019: 103.979,
      2020: 105.361,
      2021: 110.172,
      2022: 118.026,
      2023: 122.273,
      2024: 125.23,
    };
    for (const [year, value] of Object.entries(expected)) {
      const row = deflator(Number(year));
      expect(row?.value, year).toBe(value);
      expect(row?.verification, year).toMatch(/^primary/);
    }
  });
  it('has one row per year from 2010 to 2024 with no gaps', () => {
    const years = params.priceIndex.filter((r) => r.series === 'gdp_deflator').map((r) => r.year);
    expect(years).toEqual(Array.from({ length: 15 }, (_, i) => 2010 + i));
  });
  it('restates $1,000 of 2020 dollars to $1,188.58 of 2024 dollars (125.230 / 105.361, by hand)', () => {
    expect(1000 * priceFactor(2020, 2024, params.priceIndex)!).toBeCloseTo(1188.58, 2);
  });
  it('restates the 2022-base-year VSL ($12.5M) to 2024 dollars as $13.26M (125.230 / 118.026)', () => {
    const vsl2022 = unitValue('usdot-2024', 'kabco_person', 'K')!;
    expect(vsl2022.dollarYear).toBe(2022);
    const restated = vsl2022.value * priceFactor(2022, 2024, params.priceIndex)!;
    expect(restated).toBeCloseTo(13_262_967.48, 0);
  });
});

describe('restating with an index row that is not primary still warns', () => {
  it('a user-supplied or projected deflator row raises bca.price_index.unverified', () => {
    const settings: RunSettings = {
      edition: getEdition('usdot-2026'),
      dollarYear: 2024,
      baseYear: 2024,
      discountRate: 0.07,
      costConvention: 'capital_only',
    };
    const flow = {
      project_id: 'P',
      alternative_id: 'build',
      flow: 'benefit_other',
      year: 2030,
      amount: 1000,
      dollar_year: 2025,
    };
    const projected: PriceIndexRow = {
      series: 'gdp_deflator',
      year: 2025,
      value: 128.986,
      verification: 'later vintage, not checked',
      source: 'test',
    };
    const verified = new IssueCollector('bca');
    buildLedger([{ ...flow, dollar_year: 2020 }], settings, params.priceIndex, verified);
    expect(verified.issues.map((i) => i.code)).not.toContain('bca.price_index.unverified');
    const issues = new IssueCollector('bca');
    const [row] = buildLedger([flow], settings, [...params.priceIndex, projected], issues);
    expect(row!.price_factor).toBeCloseTo(125.23 / 128.986, 12);
    expect(issues.issues.map((i) => i.code)).toContain('bca.price_index.unverified');
  });
});

describe('USDOT value of a statistical life (VSL page, Current and Prior Year VSL table)', () => {
  it('each edition values a fatality at the VSL of its dollar year', () => {
    // transportation.gov: $13.2M (base year 2023), $12.5M (2022), $11.6M (2020).
    const k = (edition: string) => unitValue(edition, 'kabco_person', 'K')!;
    expect(k('usdot-2025-may').value).toBe(13_200_000);
    expect(k('usdot-2025-may').dollarYear).toBe(2023);
    expect(k('usdot-2024').value).toBe(12_500_000);
    expect(k('usdot-2024').dollarYear).toBe(2022);
    expect(k('usdot-2022').value).toBe(11_600_000);
    expect(k('usdot-2022').dollarYear).toBe(2020);
    for (const e of ['usdot-2025-may', 'usdot-2024', 'usdot-2022']) {
      expect(k(e).verification, e).toMatch(/^primary for the figure/);
    }
  });
  it('the 2024 edition still lists no travel-time or injury values: those stay null, never zero', () => {
    expect(unitValue('usdot-2024', 'vtts', 'all_purposes')).toBeNull();
    expect(unitValue('usdot-2024', 'kabco_person', 'A')).toBeNull();
  });
});

describe('FHWA-SA-25-021 crash costs (secondary, cross-checked)', () => {
  it('per-crash comprehensive costs equal Table 1 economic + QALY parts (2024 dollars)', () => {
    const parts: Record<string, [number, number]> = {
      K: [2_238_500, 13_749_500],
      A: [272_700, 1_432_400],
      B: [80_800, 303_200],
      C: [53_000, 151_600],
      O: [18_100, 0],
    };
    for (const [sev, [economic, qaly]] of Object.entries(parts)) {
      const u = unitValue('fhwa-sa-25-021', 'per_crash_kabco', sev)!;
      expect(u.value, sev).toBe(economic + qaly);
      expect(u.dollarYear).toBe(2024);
      // Not "primary": the fact sheet itself was not read.
      expect(u.verification, sev).toMatch(/^secondary \(4 independent transcriptions agree/);
    }
  });
});

describe('verification flags are honest', () => {
  it('no unit value or price-index row claims "verified" without saying what was seen', () => {
    for (const u of params.unitValues) {
      expect(u.verification.length, `${u.editionId} ${u.item}`).toBeGreaterThan(5);
      if (u.verification.startsWith('primary')) expect(u.source).toMatch(/transportation\.gov|BEA|FRED/);
    }
    for (const r of params.priceIndex) expect(r.source).toMatch(/BEA NIPA Table 1\.1\.9/);
  });
});

describe('injury values of two independent transcriptions agree as fractions of each VSL', () => {
  // USDOT derives the A/B/C/O values from the VSL of the edition's dollar year, so the May 2025
  // (2023$, VSL 13.2M, MCBOMs transcription) and 2026 (2024$, VSL 13.7M, OpenPlan transcription)
  // rows must scale with the VSL: a mistyped row breaks this. Both sources round to $100, so the
  // rescaled value may differ by at most 50 × 13.7/13.2 + 50 ≈ $102.
  it('usdot-2026 ≈ usdot-2025-may × 13.7/13.2 for A, B, C and O', () => {
    // Table A-1 figures as transcribed: A 1,254,700 → 1,302,300; B 246,900 → 256,300;
    // C 118,000 → 122,400; O 5,300 → 5,500.
    const quoted: Record<string, [number, number]> = {
      A: [1_254_700, 1_302_300],
      B: [246_900, 256_300],
      C: [118_000, 122_400],
      O: [5_300, 5_500],
    };
    const vsl = (e: string) => unitValue(e, 'kabco_person', 'K')!.value;
    expect(vsl('usdot-2025-may')).toBe(13_200_000);
    expect(vsl('usdot-2026')).toBe(13_700_000);
    for (const [sev, [may2025, y2026]] of Object.entries(quoted)) {
      const a = unitValue('usdot-2025-may', 'kabco_person', sev)!;
      const b = unitValue('usdot-2026', 'kabco_person', sev)!;
      expect(a.value, sev).toBe(may2025);
      expect(b.value, sev).toBe(y2026);
      const rescaled = (a.value * vsl('usdot-2026')) / vsl('usdot-2025-may');
      expect(Math.abs(rescaled - b.value), sev).toBeLessThanOrEqual(102);
      // Still transcriptions: the check raises confidence, it does not make them primary.
      expect(a.verification, sev).toMatch(/^secondary.*cross-check/);
      expect(b.verification, sev).toMatch(/^secondary.*cross-check/);
    }
  });
  it('the 2022 edition does not follow the same fractions (different injury conversion), so it is not cross-checked', () => {
    const a2022 = unitValue('usdot-2022', 'kabco_person', 'A')!;
    expect(a2022.value / 11_600_000).toBeCloseTo(0.0478, 4);
    expect(a2022.verification).not.toMatch(/cross-check/);
  });
});

describe('operations strategy defaults: only sourced figures carry a value', () => {
  const lib = strategyLibrary();
  const row = (id: string, measure: string) =>
    lib.find((s) => s.strategy_id === id && s.measure === measure)!;

  it('every blank row says why; every valued row names its source and its verification', () => {
    for (const s of lib) {
      const key = `${s.strategy_id}/${s.measure}`;
      if (s.value === null) {
        expect(s.verification, key).toMatch(/^not transcribed: /);
        expect([s.low, s.high], key).toEqual([null, null]);
      } else {
        expect(s.verification, key).toMatch(/^(primary|secondary) \(/);
        expect(s.source, key).not.toBe('');
      }
      // A range is informational and must bracket the point default.
      if (s.low !== null) expect(s.low, key).toBeLessThanOrEqual(s.value!);
      if (s.high !== null) expect(s.high, key).toBeGreaterThanOrEqual(s.value!);
    }
  });

  it('pins each default taken from a published evaluation, with its derivation and page', () => {
    // [strategy, measure, value, low, high, verification prefix, a URL the row must cite]
    const pins: [string, string, number, number | null, number | null, RegExp, string][] = [
      // FETSIM (Skabardonis): −7.7% travel time; retiming range −7 to −25% (ITS JPO 2007-B00311).
      [
        'signal_coordination',
        'travel_time_reduction',
        0.077,
        0.07,
        0.25,
        /^primary \(FETSIM/,
        'escholarship.org',
      ],
      // FHWA EDC ASCT: "more than 10 percent" on average (lower bound), "50 percent or more" at best.
      [
        'adaptive_signal_control',
        'travel_time_reduction',
        0.1,
        null,
        0.5,
        /^secondary \(Oklahoma LTAP/,
        'ltapokstate.com',
      ],
      // MnDOT shutdown study: +22% travel time and +26% crashes without meters (see below).
      [
        'ramp_metering',
        'travel_time_reduction',
        0.18,
        null,
        0.22,
        /^primary \(MnDOT/,
        'dot.state.mn.us/rampmeter/study.html',
      ],
      [
        'ramp_metering',
        'crash_reduction',
        0.206,
        null,
        0.36,
        /^primary \(MnDOT/,
        'dot.state.mn.us/rampmeter/study.html',
      ],
      // CMF Clearinghouse CMF ID 8730 (Pu et al. 2017, Seattle I-5): CMF 0.71 → CRF 0.29.
      [
        'variable_speed_limits',
        'crash_reduction',
        0.29,
        null,
        null,
        /^primary \(FHWA CMF Clearinghouse record CMF ID 8730/,
        'cmfclearinghouse.org/detail.cfm?facid=8730',
      ],
      // US-23 Flex Route, southbound morning peak: 12.3 → about 8.5 minutes (MDOT preliminary data,
      // Livingston Daily 2018), 1 − 8.5/12.3 = 0.309; MDOT's "about 32 percent" as the high.
      [
        'part_time_shoulder_use',
        'travel_time_reduction',
        0.309,
        null,
        0.32,
        /^secondary \(Livingston Daily, September 2018, reporting MDOT preliminary data/,
        'livingstondaily.com/story/news/local/community/livingston-county/2018/09/07/us-23-flex-route',
      ],
      // VSL travel time: 0, a finding (MoDOT I-270: "marginal" peak-hour effect; Kianfar et al.:
      // congestion shorter at 5 of 8 bottlenecks, longer at 3), not a missing value.
      [
        'variable_speed_limits',
        'travel_time_reduction',
        0,
        null,
        null,
        /^secondary \(Patch report of the MoDOT announcement of the Missouri S&T\/HDR I-270 evaluation/,
        'suggested-speed-limits-coming-to-i-270',
      ],
      // CMF Clearinghouse 4-star CMF 0.96 for installing adaptive signal control (all crashes,
      // 3-/4-leg): 1 − 0.96 = 0.04; range 1 − 1.047 (Gayah and Donnell 2022) to 1 − 0.68 (CMF 10275).
      [
        'adaptive_signal_control',
        'crash_reduction',
        0.04,
        -0.047,
        0.32,
        /^secondary \(FHWA CMF Clearinghouse newsletter CMF Update, Winter 2019/,
        'cmfclearinghouse.fhwa.dot.gov/newsletter/2019Q4.html',
      ],
      // Maryland CHART (ITS JPO entries): average incident duration −28.6% (2002 study), −35%
      // (1997, 183-incident sample), −57% (2000); the default is the most recent and smallest.
      [
        'incident_management',
        'incident_duration_reduction',
        0.286,
        0.286,
        0.57,
        /^secondary \(ITS JPO benefits entries summarising the Maryland CHART/,
        'B23B60B704F9AEAE8525733A006D5450',
      ],
      // LSE difference-in-differences over 99 MSAs (ITS JPO): 511 adoption, −2.57% traffic delay.
      [
        'traveler_information',
        'regional_delay_reduction',
        0.0257,
        null,
        null,
        /^secondary \(ITS JPO entries summarising the London School of Economics study/,
        'ff038be8da1b779c852585850050da28',
      ],
    ];
    for (const [id, measure, value, low, high, verification, url] of pins) {
      const s = row(id, measure);
      expect([s.value, s.low, s.high], `${id}/${measure}`).toEqual([value, low, high]);
      expect(s.verification, `${id}/${measure}`).toMatch(verification);
      expect(s.source, `${id}/${measure}`).toContain(url);
    }
  });

  it('the ramp-metering factors are the "without meters" increases turned into reductions', () => {
    // Without meters travel time was 1.22× and crashes 1.26× the metered level, so metering
    // removes 1 − 1/1.22 of the unmetered hours and 1 − 1/1.26 of the unmetered crashes.
    expect(1 - 1 / 1.22).toBeCloseTo(0.18, 3);
    expect(1 - 1 / 1.26).toBeCloseTo(0.206, 3);
    expect(row('ramp_metering', 'travel_time_reduction').applies_to).toMatch(/1 - 1\/1\.22 = 0\.180/);
    expect(row('ramp_metering', 'crash_reduction').applies_to).toMatch(/1 - 1\/1\.26 = 0\.206/);
    expect(row('variable_speed_limits', 'crash_reduction').value).toBeCloseTo(1 - 0.71, 12);
  });

  it('strategies without a defensible figure stay blank', () => {
    // Signal coordination's only pooled crash figure (Williamson et al. 2018, −21% total) rests
    // on corridor CMFs the Clearinghouse rates 1–2 stars, spanning 0.33 to 2.63.
    const sc = row('signal_coordination', 'crash_reduction');
    expect(sc.value).toBeNull();
    expect(sc.verification).toMatch(/Williamson et al\. 2018/);
    expect(sc.verification).toMatch(/1 to 2 stars and they run from 0\.33 to 2\.63/);
    expect(sc.source).toContain('cmfclearinghouse.org/study_detail.php?stid=555');
    expect(lib.filter((s) => s.value === null).map((s) => `${s.strategy_id}/${s.measure}`)).toEqual([
      'signal_coordination/crash_reduction',
    ]);
  });

  it('the part-time shoulder default is one corridor and one direction, derived as stated', () => {
    // US-23 Flex Route southbound AM: 12.3 → 8.5 minutes is a cut of 1 − 8.5/12.3 of the peak
    // vehicle-hours; the northbound PM direction gained less (a new bottleneck at the lane drop).
    const ptsu = row('part_time_shoulder_use', 'travel_time_reduction');
    expect(1 - 8.5 / 12.3).toBeCloseTo(0.309, 3);
    expect(ptsu.applies_to).toMatch(/1 - 8\.5\/12\.3 = 0\.309/);
    expect(ptsu.applies_to).toMatch(/peak-direction freeway mainline vehicle-hours/);
    expect(ptsu.applies_to).toMatch(/northbound \(evening\) improved less/);
    expect(ptsu.source).toContain(
      'michigan.gov/mdot/programs/research/research-projects/recently-completed-projects/spr-1706',
    );
  });

  it('variable speed limits save no travel time by default: a sourced zero, not a blank', () => {
    const vsl = row('variable_speed_limits', 'travel_time_reduction');
    expect(vsl.value).toBe(0);
    expect(vsl.applies_to).toMatch(/overall effect on peak-hour traffic flow was marginal/);
    expect(vsl.applies_to).toMatch(/fell at five of eight congested locations and rose at three/);
  });

  it('the adaptive-control crash default is the 4-star CMF 0.96, with the site-to-site spread as its range', () => {
    const ac = row('adaptive_signal_control', 'crash_reduction');
    expect(ac.value).toBeCloseTo(1 - 0.96, 12);
    expect(ac.low).toBeCloseTo(1 - 1.047, 12);
    expect(ac.high).toBeCloseTo(1 - 0.68, 12);
    expect(ac.verification).toMatch(
      /CMF value 0\.96 for all crashes at 3- and 4-legged intersections, 4 stars/,
    );
    expect(ac.applies_to).toMatch(/1 - 0\.96 = 0\.04/);
    expect(ac.source).toContain('cmfclearinghouse.fhwa.dot.gov/detail.php?facid=10275');
  });

  it('incident management is a duration cut whose row states the duration-to-delay model and its sources', () => {
    // A duration cut is not a delay cut: the row must say how the calculator converts it
    // (delay ∝ duration², FHWA NaviGAtor appendix A) and what the affected hours are.
    const im = row('incident_management', 'incident_duration_reduction');
    expect(im.unit).toBe('fraction of average incident duration');
    expect(im.applies_to).toMatch(/1 - \(1 - r\)\^2/);
    expect(im.applies_to).toMatch(/1 - 0\.714\^2 = 0\.490/);
    expect(im.applies_to).toMatch(/incident-related .*delay/);
    expect(1 - (1 - 0.286) ** 2).toBeCloseTo(0.49, 3);
    expect(im.source).toContain('ops.fhwa.dot.gov/travelinfo/gdotbenefit/app_a.htm');
    // The three CHART evaluations bracket the default: 0.286 (2002) ≤ 0.35 (1997) ≤ 0.57 (2000).
    expect(im.verification).toMatch(/28\.6 percent.*35 percent.*57 percent/);
    expect(lib.some((s) => s.measure === 'incident_delay_reduction')).toBe(false);
  });

  it("traveler information is a regional delay share for adopting 511, not informed travelers' hours", () => {
    const ti = row('traveler_information', 'regional_delay_reduction');
    expect(ti.unit).toBe('fraction of regional congestion delay');
    expect(ti.applies_to).toMatch(/not the informed travelers' hours/);
    expect(ti.applies_to).toMatch(/99 US MSAs, 1994-2014/);
    expect(ti.verification).toMatch(/2\.57 percent decrease in traffic delays/);
    expect(
      lib.some((s) => s.strategy_id === 'traveler_information' && s.measure === 'travel_time_reduction'),
    ).toBe(false);
  });

  it('Cal-B/C transit ITS factors stay secondary; the FTA Metro Rapid cross-check is derived as stated', () => {
    // Cal-B/C transit ITS factors as in the port's parameters (transit_its rows): 0.10, 0.15, 0.29.
    const v = (id: string) => row(id, 'travel_time_reduction');
    expect(
      [v('transit_signal_priority'), v('transit_avl'), v('bus_rapid_transit')].map((s) => s.value),
    ).toEqual([0.1, 0.15, 0.29]);
    for (const id of ['transit_signal_priority', 'transit_avl', 'bus_rapid_transit'])
      expect(v(id).verification).toMatch(/^secondary \(Cal-B\/C/);
    // Speed gains of 29% and 23% are running-time cuts of 1 − 1/1.29 and 1 − 1/1.23; a third of
    // each (the share FTA attributes to signal priority) is 7.5% and 6.2%, below Cal-B/C's 10%.
    const tsp = v('transit_signal_priority');
    expect(1 - 1 / 1.29).toBeCloseTo(0.225, 3);
    expect(1 - 1 / 1.23).toBeCloseTo(0.187, 3);
    expect(tsp.verification).toMatch(/1 - 1\/1\.29 = 0\.225 and 1 - 1\/1\.23 = 0\.187/);
    expect(tsp.source).toContain('transit.dot.gov');
  });
});

describe('travel-time values are internally consistent in every transcribed edition', () => {
  // "All purposes" is a fixed-weight blend of personal and business travel, so the implied
  // personal weight w = (business − all) / (business − personal) must come out the same in each
  // edition (≈ 0.88) up to the $0.10 rounding of the three figures (±0.01 on w). This catches a
  // mistyped VTTS row; it does not verify the figures against the guidance.
  it.each([
    // edition, personal, business, all purposes as transcribed (Table A-2 or as cited)
    ['usdot-2022', 16.2, 29.4, 17.8],
    ['usdot-2025-may', 19.4, 33.5, 21.1],
    ['usdot-2026', 20.1, 34.6, 21.8],
  ])('%s: personal %s, business %s, all purposes %s', (edition, personal, business, all) => {
    const v = (item: string) => unitValue(edition, 'vtts', item)!.value;
    expect([v('personal'), v('business'), v('all_purposes')]).toEqual([personal, business, all]);
    const w = (business - all) / (business - personal);
    expect(Math.abs(w - 0.88)).toBeLessThan(0.01);
  });
});
