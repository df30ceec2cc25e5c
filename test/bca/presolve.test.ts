// The presolve reductions keep an optimum: on small random portfolios the exhaustive optimum of
// the full problem equals the sum of the exhaustive optima of the independent pieces, and the
// pieces partition what is left (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reducePortfolio } from '../../lib/bca/presolve';
import type { Candidate } from '../../lib/bca/select';
import { bruteForce, portfolioArb } from './select-exhaustive';

const check = ({ cands, budgets }: { cands: Candidate[]; budgets: { key: string; limit: number }[] }) => {
  const r = reducePortfolio(cands, budgets);
  const kept = r.parts.flatMap((p) => p.cands.map((c) => r.source.get(c)));
  // every alternative is either kept once or dropped once
  expect(new Set([...kept, ...r.dropped.map((d) => d.cand)]).size).toBe(cands.length);
  expect(kept.length + r.dropped.length).toBe(cands.length);
  // pieces share no project and no budget row
  const owner = new Map<string, number>();
  r.parts.forEach((p, i) => {
    for (const c of p.cands) {
      expect(owner.get(c.project_id) ?? i).toBe(i);
      owner.set(c.project_id, i);
    }
  });
  const rows = r.parts.flatMap((p) => p.budgets.map((b) => b.key));
  expect(new Set(rows).size).toBe(rows.length);
  r.parts.forEach((p, i) => {
    const mine = new Set(p.budgets.map((b) => b.key));
    for (const c of p.cands)
      for (const [k, v] of Object.entries(c.costs))
        if (v !== 0 && rows.includes(k)) expect(mine.has(k)).toBe(true);
    for (const c of p.cands) for (const q of c.requires ?? []) expect(owner.get(q) ?? i).toBe(i);
  });
  const full = bruteForce(cands, budgets);
  const pieces = r.parts.map((p) => bruteForce(p.cands, p.budgets));
  const sum = pieces.reduce((a, b) => a + b, 0);
  if (full === Number.NEGATIVE_INFINITY) expect(pieces).toContain(Number.NEGATIVE_INFINITY);
  else expect(sum).toBe(full);
};

describe('portfolio presolve', () => {
  it('property: the pieces keep the exhaustive optimum (non-negative charges: every rule applies)', () => {
    fc.assert(fc.property(portfolioArb(), check), { numRuns: 400, seed: 20261124 });
  });

  it('property: the same with negative charges (only safe rules apply)', () => {
    fc.assert(fc.property(portfolioArb({ negative: true }), check), { numRuns: 200, seed: 7 });
  });

  it('drops what can never pay, splits by fund, and keeps prerequisites and commitments', () => {
    const cands: Candidate[] = [
      { project_id: 'a', alternative_id: 'cheap', value: 10, costs: { '2027|STBG': 4 } },
      // costs more in every row and adds less: dominated by a/cheap
      { project_id: 'a', alternative_id: 'gold', value: 9, costs: { '2027|STBG': 6 } },
      { project_id: 'b', alternative_id: 'build', value: -1, costs: { '2027|STBG': 1 } },
      // negative but a prerequisite of d: kept
      { project_id: 'c', alternative_id: 'build', value: -2, costs: { '2027|CMAQ': 3 } },
      { project_id: 'd', alternative_id: 'build', value: 9, costs: { '2027|CMAQ': 3 }, requires: ['c'] },
      // negative but committed: kept
      { project_id: 'e', alternative_id: 'build', value: -3, costs: { '2027|HSIP': 2 }, committed: true },
      { project_id: 'f', alternative_id: 'build', value: 5, costs: { '2027|HSIP': 20 } },
      { project_id: 'g', alternative_id: 'build', value: 5, costs: { '2027|HSIP': 3 } },
    ];
    const budgets = [
      { key: '2027|STBG', limit: 6 },
      { key: '2027|CMAQ', limit: 5 },
      { key: '2027|HSIP', limit: 4 },
    ];
    const r = reducePortfolio(cands, budgets);
    expect(r.dropped.map((d) => `${d.cand.project_id}/${d.cand.alternative_id}:${d.rule}`).sort()).toEqual([
      'a/gold:dominated',
      'b/build:no_net_benefit',
      'f/build:exceeds_budget',
    ]);
    // STBG only has a/cheap left, which fits: that row can no longer bind
    expect(r.slackBudgets).toEqual(['2027|STBG']);
    expect(r.parts.map((p) => p.cands.map((c) => c.project_id).join('')).sort()).toEqual(['a', 'cd', 'eg']);
  });
});
