// Exhaustive search and random instances for the portfolio-selection tests: every combination of
// at most one alternative per project (exactly one when committed), requirements per project
// (the union over its alternatives, as lpModel writes them), every budget row.
import fc from 'fast-check';
import { type Budget, budgetUse, type Candidate } from '../../lib/bca/select';

/** The exhaustive optimum, or -Infinity when no portfolio is feasible. */
export function bruteForce(cands: Candidate[], budgets: Budget[]): number {
  const projects = [...new Set(cands.map((c) => c.project_id))];
  let best = Number.NEGATIVE_INFINITY;
  const walk = (i: number, chosen: Candidate[]) => {
    if (i === projects.length) {
      const ids = new Set(chosen.map((c) => c.project_id));
      const needs = cands.filter((c) => ids.has(c.project_id)).flatMap((c) => c.requires ?? []);
      if (needs.every((r) => ids.has(r)) && budgetUse(chosen, budgets).every((u) => u.within))
        best = Math.max(
          best,
          chosen.reduce((s, c) => s + c.value, 0),
        );
      return;
    }
    const opts = cands.filter((c) => c.project_id === projects[i]);
    if (!opts.some((c) => c.committed)) walk(i + 1, chosen);
    for (const c of opts) walk(i + 1, [...chosen, c]);
  };
  walk(0, []);
  return best;
}

const KEYS = ['2027|STBG', '2028|STBG', '2027|LOCAL', '2028|LOCAL'];

/**
 * Small random portfolios that reach every presolve rule: ties and dominated alternatives (small
 * integers), non-positive net benefit, alternatives larger than a budget, commitments,
 * requirements (also on absent projects and on the project itself), duplicate and unused budget keys, charges outside any
 * budget, and (when `negative`) negative charges.
 */
export function portfolioArb(opts: { negative?: boolean } = {}) {
  const alt = fc.record({
    value: fc.integer({ min: -4, max: 20 }),
    costs: fc.array(
      fc.tuple(fc.constantFrom(...KEYS, '2029|STBG'), fc.integer({ min: opts.negative ? -3 : 0, max: 9 })),
      {
        maxLength: 3,
      },
    ),
  });
  const project = fc.record({
    alts: fc.array(alt, { minLength: 1, maxLength: 3 }),
    requires: fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 2 }),
  });
  return fc
    .record({
      projects: fc.array(project, { minLength: 1, maxLength: 6 }),
      committedMask: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
      limits: fc.array(fc.tuple(fc.constantFrom(...KEYS, '2030|STBG'), fc.integer({ min: -1, max: 25 })), {
        maxLength: 6,
      }),
    })
    .map((x) => {
      const cands: Candidate[] = [];
      x.projects.forEach((p, i) => {
        // about one project in ten committed, drawn from the mask so shrinking stays simple
        const committed =
          x.committedMask[i]! && x.committedMask[(i + 1) % 6]! && x.committedMask[(i + 2) % 6]!;
        p.alts.forEach((a, j) => {
          const costs: Record<string, number> = {};
          for (const [k, v] of a.costs) costs[k] = (costs[k] ?? 0) + v;
          cands.push({
            project_id: `P${i}`,
            alternative_id: `A${j}`,
            value: a.value,
            costs,
            ...(committed ? { committed: true } : {}),
            // on the first alternative only: requirements belong to the project as a whole
            ...(j === 0 && p.requires.length ? { requires: p.requires.map((r) => `P${r}`) } : {}),
          });
        });
      });
      const budgets: Budget[] = x.limits.map(([key, limit]) => ({ key, limit }));
      return { cands, budgets };
    });
}
