// Discount primitives against numbers checkable by hand or with a calculator.
import { describe, expect, it } from 'vitest';
import {
  bcr,
  bcrTerms,
  discountedPaybackYear,
  discountFactor,
  irr,
  npv,
  presentValue,
  presentWorthFactor,
  priceFactor,
} from '../../lib/bca/discount';
import { getEdition, loadParameters, unitValue } from '../../lib/bca/params';

describe('discounting', () => {
  it('end-of-year discount factors at 7% (1/1.07^n)', () => {
    expect(discountFactor(0.07, 2034, 2024)).toBeCloseTo(0.508349, 6);
    expect(discountFactor(0.07, 2044, 2024)).toBeCloseTo(0.258419, 6);
    // a flow in the discount year itself is not discounted
    expect(discountFactor(0.07, 2024, 2024)).toBe(1);
    // flows before the base year are compounded forward
    expect(discountFactor(0.07, 2023, 2024)).toBeCloseTo(1.07, 12);
  });

  it('present-worth factor (P/A, 7%, 20) = 10.594 (research/bca.md §1.4.1)', () => {
    expect(presentWorthFactor(0.07, 20)).toBeCloseTo(10.594014, 6);
    expect(presentWorthFactor(0, 20)).toBe(20);
  });

  it('PV of 100 three years after the base year at 7% = 81.63', () => {
    expect(presentValue([{ year: 2027, amount: 100 }], 0.07, 2024)).toBeCloseTo(81.629788, 6);
  });

  it('the same stream discounted to a different base year differs by (1+r)^Δ', () => {
    const s = [{ year: 2030, amount: 1000 }];
    expect(presentValue(s, 0.07, 2024) / presentValue(s, 0.07, 2026)).toBeCloseTo(1 / 1.07 ** 2, 12);
  });
});

describe('NPV and BCR by cost convention', () => {
  // capital 1000 (PV), O&M 100 (PV), residual 50 (PV), benefits 1500 (PV)
  const pv = { benefits: 1500, capital: 1000, om: 100, rehab: 0, residual: 50 };
  it('NPV is the same under both conventions', () => {
    expect(npv(pv)).toBe(450);
  });
  it('capital-only (USDOT 2026): (B − O&M + residual) / capital', () => {
    expect(bcrTerms(pv, 'capital_only')).toEqual({ numerator: 1450, denominator: 1000 });
    expect(bcr(pv, 'capital_only')).toBeCloseTo(1.45, 12);
  });
  it('all costs (Cal-B/C): (B + residual) / (capital + O&M)', () => {
    expect(bcr(pv, 'all_costs')).toBeCloseTo(1550 / 1100, 12);
  });
  it('BCR is null (not infinite) with no cost', () => {
    expect(bcr({ ...pv, capital: 0 }, 'capital_only')).toBeNull();
  });
  it('a 10-year 150/yr benefit stream against 1000 capital at 7%', () => {
    const flows = Array.from({ length: 10 }, (_, i) => ({ year: 2025 + i, amount: 150 }));
    const b = presentValue(flows, 0.07, 2024);
    expect(b).toBeCloseTo(150 * 7.023582, 3);
    expect(b - 1000).toBeCloseTo(53.537, 3);
  });
});

describe('IRR and discounted payback', () => {
  it('IRR of −100, +110 is 10%', () => {
    expect(
      irr([
        { year: 2024, amount: -100 },
        { year: 2025, amount: 110 },
      ])!,
    ).toBeCloseTo(0.1, 9);
  });
  it('IRR of −100, +60, +60 solves 60x² + 60x − 100 = 0: 13.0667%', () => {
    const r = irr([
      { year: 2024, amount: -100 },
      { year: 2025, amount: 60 },
      { year: 2026, amount: 60 },
    ]);
    expect(r!).toBeCloseTo(0.130662, 5);
  });
  it('IRR is null without a sign change, and for gaps filled with zero years it still works', () => {
    expect(irr([{ year: 2024, amount: 100 }])).toBeNull();
    expect(
      irr([
        { year: 2024, amount: -100 },
        { year: 2026, amount: 121 },
      ])!,
    ).toBeCloseTo(0.1, 9);
  });
  it('discounted payback: cumulative PV turns non-negative in 2026 (56.07 + 52.41 ≥ 100)', () => {
    const s = [
      { year: 2024, amount: -100 },
      { year: 2025, amount: 60 },
      { year: 2026, amount: 60 },
    ];
    expect(discountedPaybackYear(s, 0.07, 2024)).toBe(2026);
    expect(discountedPaybackYear(s.slice(0, 2), 0.07, 2024)).toBeNull();
  });
  it('payback waits until a later rehabilitation no longer pushes it negative', () => {
    const s = [
      { year: 2024, amount: -100 },
      { year: 2025, amount: 110 },
      { year: 2026, amount: -50 },
      { year: 2027, amount: 80 },
    ];
    expect(discountedPaybackYear(s, 0, 2024)).toBe(2027);
  });
});

describe('parameter editions as data', () => {
  const params = loadParameters();
  it('the default edition is the newest USDOT edition (2026 Update: 2024 dollars, 7%, capital-only BCR)', () => {
    const e = getEdition();
    expect(e.id).toBe('usdot-2026');
    expect(e.dollarYear).toBe(2024);
    expect(e.discountRate).toBe(0.07);
    expect(e.costConvention).toBe('capital_only');
  });
  it('every edition has a source and a verification note; every unit value has a source', () => {
    for (const e of params.editions) {
      expect(e.source.length).toBeGreaterThan(10);
      expect(e.verification.length).toBeGreaterThan(3);
    }
    for (const u of params.unitValues) {
      expect(u.source.length, `${u.editionId} ${u.item}`).toBeGreaterThan(5);
      expect(Number.isFinite(u.value)).toBe(true);
    }
  });
  it('values are looked up by edition and emission year; absent values are null, not zero', () => {
    expect(unitValue('usdot-2026', 'vtts', 'all_purposes')!.value).toBe(21.8);
    expect(unitValue('usdot-2026', 'emissions', 'nox', 2027)!.value).toBe(22500);
    expect(unitValue('usdot-2026', 'emissions', 'nox', 2040)!.value).toBe(23800);
    expect(unitValue('usdot-2026', 'emissions', 'nox', 2060)).toBeNull();
    expect(unitValue('usdot-2024', 'vtts', 'all_purposes')).toBeNull();
    // Cal-B/C federal 2026 takes its unit values from the USDOT 2026 edition
    expect(unitValue(getEdition('calbc-federal-2026'), 'voc', 'truck')!.value).toBe(1.23);
  });
  it('price factor restates dollars with the GDP deflator ratio', () => {
    expect(priceFactor(2024, 2024, params.priceIndex)).toBe(1);
    const f = priceFactor(2020, 2024, params.priceIndex)!;
    const r = (y: number) => params.priceIndex.find((p) => p.year === y)!.value;
    expect(f).toBeCloseTo(r(2024) / r(2020), 12);
    expect(priceFactor(1990, 2024, params.priceIndex)).toBeNull();
  });
});
