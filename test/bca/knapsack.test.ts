// The exact one-budget search (multiple-choice knapsack by branch and bound): equal to exhaustive
// search on small random portfolios, equal to a dynamic program on larger ones, and never a wrong answer when
// its node limit stops it (it gives up instead).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { knapsackOneBudget } from '../../lib/bca/knapsack';
import { budgetUse, type Candidate, selectPortfolio } from '../../lib/bca/select';
import { bruteForce } from './select-exhaustive';

const alt = fc.record({ value: fc.integer({ min: -5, max: 30 }), cost: fc.integer({ min: 0, max: 12 }) });
const small = fc.record({
  projects: fc.array(fc.array(alt, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 7 }),
  limit: fc.integer({ min: 0, max: 40 }),
});
const build = (projects: { value: number; cost: number }[][], scale = 1): Candidate[] =>
  projects.flatMap((alts, p) =>
    alts.map((a, j) => ({
      project_id: `P${p}`,
      alternative_id: `A${j}`,
      value: a.value * scale,
      costs: { budget: a.cost * scale },
    })),
  );

/** Best net benefit for every whole-dollar spend, one project at a time (costs are integers). */
function dynamicProgram(cands: Candidate[], limit: number): number {
  let best = new Float64Array(limit + 1);
  for (const p of new Set(cands.map((c) => c.project_id))) {
    const next = Float64Array.from(best);
    for (const c of cands.filter((x) => x.project_id === p)) {
      const w = c.costs.budget!;
      for (let b = w; b <= limit; b++) next[b] = Math.max(next[b]!, best[b - w]! + c.value);
    }
    best = next;
  }
  return best[limit]!;
}

describe('exact knapsack under one budget', () => {
  it('property: equals the exhaustive optimum and fits the budget', () => {
    fc.assert(
      fc.property(small, ({ projects, limit }) => {
        const cands = build(projects);
        const budgets = [{ key: 'budget', limit }];
        const r = knapsackOneBudget(cands, 'budget', limit);
        expect(r).not.toBeNull();
        expect(r!.value).toBe(bruteForce(cands, budgets));
        expect(budgetUse(r!.chosen, budgets).every((u) => u.within)).toBe(true);
        expect(new Set(r!.chosen.map((c) => c.project_id)).size).toBe(r!.chosen.length);
      }),
      { numRuns: 400, seed: 3 },
    );
  });

  it('property: with a node limit of a few nodes it either gives up or is exact', () => {
    fc.assert(
      fc.property(small, fc.integer({ min: 1, max: 6 }), ({ projects, limit }, maxNodes) => {
        const cands = build(projects);
        const r = knapsackOneBudget(cands, 'budget', limit, { maxNodes });
        if (r) expect(r.value).toBe(bruteForce(cands, [{ key: 'budget', limit }]));
      }),
      { numRuns: 200, seed: 4 },
    );
  });

  it('property: equals a dynamic program over whole-dollar budgets on 30–60 projects (fractional net benefits)', () => {
    const big = fc.record({
      projects: fc.array(
        fc.array(
          fc.record({
            value: fc.integer({ min: -20_000, max: 300_000 }),
            cost: fc.integer({ min: 1, max: 1_000 }),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        { minLength: 30, maxLength: 60 },
      ),
      share: fc.double({ min: 0.1, max: 0.9, noNaN: true }),
    });
    fc.assert(
      fc.property(big, ({ projects, share }) => {
        const cands = build(projects).map((c) => ({ ...c, value: c.value * 1.0137 }));
        const limit = Math.floor(share * cands.reduce((s, c) => s + c.costs.budget!, 0));
        const r = knapsackOneBudget(cands, 'budget', limit);
        expect(r).not.toBeNull();
        expect(Math.abs(r!.value - dynamicProgram(cands, limit))).toBeLessThan(1e-6);
        expect(budgetUse(r!.chosen, [{ key: 'budget', limit }]).every((u) => u.within)).toBe(true);
      }),
      { numRuns: 25, seed: 5 },
    );
  });

  it('leaves commitments and requirements to the integer program', async () => {
    const cands: Candidate[] = [
      { project_id: 'a', alternative_id: 'build', value: -1, costs: { budget: 2 }, committed: true },
      { project_id: 'b', alternative_id: 'build', value: 5, costs: { budget: 2 } },
    ];
    expect(knapsackOneBudget(cands, 'budget', 3)).toBeNull();
    const s = await selectPortfolio(cands, [{ key: 'budget', limit: 3 }], { knapsack: true });
    expect(s.chosen.map((c) => c.project_id)).toEqual(['a']);
    expect(s.pieces?.map((p) => p.solver)).toEqual(['highs']);
  });

  it('selectPortfolio({ knapsack: true }) uses it for one-budget pieces and agrees with HiGHS', async () => {
    const cands: Candidate[] = [
      { project_id: 'x', alternative_id: 'build', value: 10, costs: { b: 5 } },
      { project_id: 'y', alternative_id: 'build', value: 6, costs: { b: 4 } },
      { project_id: 'z', alternative_id: 'small', value: 6, costs: { b: 4 } },
      { project_id: 'z', alternative_id: 'large', value: 7, costs: { b: 6 } },
    ];
    const budgets = [{ key: 'b', limit: 8 }];
    const k = await selectPortfolio(cands, budgets, { knapsack: true });
    const h = await selectPortfolio(cands, budgets);
    expect(k.pieces?.map((p) => p.solver)).toEqual(['knapsack']);
    expect(k).toMatchObject({ optimal: true, status: 'Optimal', objective: 12, mipGap: 0 });
    expect(h.objective).toBe(12);
  });
});
