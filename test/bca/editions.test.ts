// Structural checks on the parameter tables (data/bca/*.csv): they are edited by hand, row by row,
// so these catch a default that went missing, a value filed under the wrong dollar year, an
// overlapping emission-year range or a verification flag outside the documented vocabulary
// (data/bca/README.md, "Verification status").
import { describe, expect, it } from 'vitest';
import { strategyLibrary } from '../../lib/bca/calculators/operations';
import { getEdition, loadParameters } from '../../lib/bca/params';

const params = loadParameters();
const editionIds = new Set(params.editions.map((e) => e.id));
// Value sets that are not guidance editions but are referenced explicitly by a calculator
// (crash_values: 'fhwa-sa-25-021' in the safety effect).
const standaloneSets = new Set(['fhwa-sa-25-021']);

describe('editions.csv', () => {
  it('has exactly one default, and it is the USDOT 2026 Update (2024 dollars, 7%)', () => {
    const defaults = params.editions.filter((e) => e.isDefault);
    expect(defaults.map((e) => e.id)).toEqual(['usdot-2026']);
    const d = getEdition();
    expect(d.dollarYear).toBe(2024);
    expect(d.discountRate).toBe(0.07);
    expect(d.costConvention).toBe('capital_only');
  });
  it('edition ids are unique and values_from points at an existing edition', () => {
    expect(editionIds.size).toBe(params.editions.length);
    for (const e of params.editions) if (e.valuesFrom) expect(editionIds.has(e.valuesFrom), e.id).toBe(true);
  });
  it('every edition has a plausible dollar year, rate and horizon, and says how far it was checked', () => {
    for (const e of params.editions) {
      expect(e.dollarYear, e.id).toBeGreaterThanOrEqual(2015);
      expect(e.discountRate, e.id).toBeGreaterThan(0);
      expect(e.discountRate, e.id).toBeLessThan(0.1);
      expect(e.maxOperatingYears, e.id).toBeGreaterThan(0);
      expect(e.verification.length, e.id).toBeGreaterThan(5);
      expect(e.source.length, e.id).toBeGreaterThan(5);
    }
  });
});

describe('unit_values.csv', () => {
  it('each row belongs to a known edition or to a standalone value set', () => {
    for (const u of params.unitValues) {
      expect(editionIds.has(u.editionId) || standaloneSets.has(u.editionId), u.editionId).toBe(true);
    }
  });
  it("a USDOT edition's dollar values are in that edition's dollar year", () => {
    for (const u of params.unitValues) {
      const e = params.editions.find((x) => x.id === u.editionId);
      if (!e || u.dollarYear === null) continue;
      expect(u.dollarYear, `${u.editionId} ${u.category} ${u.item}`).toBe(e.dollarYear);
    }
  });
  it('values are finite and positive, and year ranges of one item never overlap', () => {
    const seen = new Map<string, [number, number][]>();
    for (const u of params.unitValues) {
      const key = `${u.editionId}|${u.category}|${u.item}`;
      expect(Number.isFinite(u.value) && u.value > 0, key).toBe(true);
      const range: [number, number] = [u.yearFrom ?? -Infinity, u.yearTo ?? Infinity];
      for (const [a, b] of seen.get(key) ?? []) {
        expect(range[0] > b || range[1] < a, `${key} overlaps ${a}-${b}`).toBe(true);
      }
      seen.set(key, [...(seen.get(key) ?? []), range]);
    }
  });
  it('verification flags use the documented vocabulary', () => {
    for (const u of params.unitValues) {
      expect(u.verification, `${u.editionId} ${u.item}`).toMatch(
        /^(primary for the figure|primary|secondary|unverified)/,
      );
    }
  });
  it('editions without transcribed values are still present, and list no more than their fatality value', () => {
    // usdot-2024 (Dec 2023) and usdot-2025 (Nov 2024): no copy of their appendix tables was found.
    const of = (id: string) => params.unitValues.filter((u) => u.editionId === id);
    expect(of('usdot-2024').map((u) => `${u.category}/${u.item}`)).toEqual(['kabco_person/K']);
    expect(of('usdot-2025')).toEqual([]);
  });
});

describe('operations_strategies.csv', () => {
  const lib = strategyLibrary();
  it('has one row per (strategy, measure), each saying what it applies to', () => {
    const keys = lib.map((s) => `${s.strategy_id}|${s.measure}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const s of lib) {
      expect(s.applies_to.length, s.strategy_id).toBeGreaterThan(3);
      expect(s.unit, s.strategy_id).toMatch(/^fraction of /);
      // 0 is a sourced finding (e.g. VSL travel time: no saving measured), not a missing value.
      if (s.value !== null) expect(s.value >= 0 && s.value < 1, s.strategy_id).toBe(true);
    }
  });
});
