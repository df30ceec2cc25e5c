// Sensitivity cases, switching values and the seeded Monte Carlo.
import { describe, expect, it } from 'vitest';
import type { LedgerRow, RunSettings } from '../../lib/bca/ledger';
import { monteCarlo, nearestRank, rng, triangular } from '../../lib/bca/montecarlo';
import { getEdition } from '../../lib/bca/params';
import { sensitivity } from '../../lib/bca/sensitivity';

const settings: RunSettings = {
  edition: getEdition('usdot-2026'),
  dollarYear: 2024,
  baseYear: 2024,
  discountRate: 0.07,
  costConvention: 'capital_only',
};
const row = (flow: string, year: number, amount: number): LedgerRow => ({
  project_id: 'P',
  alternative_id: 'build',
  flow,
  year,
  amount,
  dollar_year: 2024,
  flow_class: flow.startsWith('benefit') ? 'benefit' : (flow as LedgerRow['flow_class']),
  price_factor: 1,
  amount_real: amount,
  discount_factor: 1 / 1.07 ** (year - 2024),
  pv: amount / 1.07 ** (year - 2024),
});

describe('sensitivity', () => {
  const rows = [row('capital', 2024, 1000), row('benefit_voc', 2025, 1070), row('benefit_voc', 2026, 1144.9)];
  it('base, alternate rate, ±20% cases and switching values by hand', () => {
    const s = sensitivity('P', rows, settings);
    // PV benefits = 1000 + 1000 = 2000 at 7%; capital 1000
    expect(s.rows[0]).toMatchObject({
      case: 'base',
      npv_usd: expect.closeTo(1000, 6),
      bcr: expect.closeTo(2, 9),
    });
    const at3 = s.rows.find((r) => r.discount_rate === 0.03)!;
    expect(at3.npv_usd).toBeCloseTo(1070 / 1.03 + 1144.9 / 1.03 ** 2 - 1000, 6);
    expect(s.rows.find((r) => r.case === 'benefits −20%')!.npv_usd).toBeCloseTo(600, 6);
    expect(s.rows.find((r) => r.case === 'costs +20%')!.npv_usd).toBeCloseTo(800, 6);
    expect(s.switching.benefit_multiplier).toBeCloseTo(0.5, 9);
    expect(s.switching.cost_multiplier).toBeCloseTo(2, 9);
  });
});

describe('Monte Carlo', () => {
  it('the PRNG is seeded and uniform enough; triangular draws have mean (a+b+c)/3', () => {
    const a = rng(42);
    const b = rng(42);
    const xs = Array.from({ length: 20_000 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs.slice(0, 5));
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 2);
    const t = xs.map((u) => triangular(u, [0.7, 1, 1.6]));
    expect(t.reduce((s, x) => s + x, 0) / t.length).toBeCloseTo(1.1, 2);
    expect(Math.min(...t)).toBeGreaterThanOrEqual(0.7);
    expect(Math.max(...t)).toBeLessThanOrEqual(1.6);
  });
  it('nearest-rank percentiles (never interpolated)', () => {
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.1)).toBe(1);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5)).toBe(5);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
  });
  it('same seed, same answer; degenerate ranges reproduce the point estimate; P10 ≤ P50 ≤ P90', () => {
    const projects = [
      { id: 'a', pv: { benefits: 2000, capital: 1000, om: 100, rehab: 0, residual: 50 } },
      { id: 'b', pv: { benefits: 500, capital: 400, om: 0, rehab: 0, residual: 0 } },
    ];
    const spec = {
      iterations: 3000,
      seed: 9,
      benefits: [0.7, 1, 1.2] as [number, number, number],
      costs: [0.9, 1, 1.4] as [number, number, number],
    };
    const x = monteCarlo(projects, spec, 'capital_only');
    const y = monteCarlo(projects, spec, 'capital_only');
    expect(x.portfolio).toEqual(y.portfolio);
    expect(x.portfolio.npv_p10!).toBeLessThanOrEqual(x.portfolio.npv_p50!);
    expect(x.portfolio.npv_p50!).toBeLessThanOrEqual(x.portfolio.npv_p90!);
    const flat = monteCarlo(projects, { ...spec, benefits: [1, 1, 1], costs: [1, 1, 1] }, 'capital_only');
    expect(flat.portfolio.npv_p10).toBeCloseTo(2500 + 50 - 1500, 9);
    expect(flat.portfolio.npv_p90).toBeCloseTo(1050, 9);
    expect(flat.projects[0]!.bcr_p50).toBeCloseTo((2000 - 100 + 50) / 1000, 12);
  });
});

describe('sensitivity by benefit type', () => {
  it('varies one benefit stream at a time', () => {
    const rows = [
      row('capital', 2024, 1000),
      row('benefit_safety', 2025, 1070),
      row('benefit_voc', 2025, 535),
    ];
    const s = sensitivity('P', rows, settings);
    // PV safety 1000, PV VOC 500: safety −20% lowers NPV by 200, VOC −20% by 100
    expect(s.rows.find((r) => r.case === 'safety benefits −20%')!.npv_usd).toBeCloseTo(300, 6);
    expect(s.rows.find((r) => r.case === 'voc benefits −20%')!.npv_usd).toBeCloseTo(400, 6);
  });
});

describe('Monte Carlo by benefit type', () => {
  it('a benefit type with its own range replaces the general draw for that part only', () => {
    const projects = [
      {
        id: 'a',
        pv: { benefits: 3000, capital: 1000, om: 0, rehab: 0, residual: 0 },
        byType: { safety: 1000, voc: 2000 },
      },
    ];
    const one = [1, 1, 1] as [number, number, number];
    const mc = monteCarlo(
      projects,
      { iterations: 50, seed: 1, benefits: one, costs: one, byType: { safety: [0.5, 0.5, 0.5] } },
      'capital_only',
    );
    // 2000 + 0.5 × 1000 − 1000
    expect(mc.portfolio.npv_p10).toBeCloseTo(1500, 9);
    expect(mc.portfolio.npv_p90).toBeCloseTo(1500, 9);
  });
});
