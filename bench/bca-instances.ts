// Seeded synthetic TIPs for the BCA benchmark. Two shapes:
// - `byFund`: every project draws on one federal fund, spread over 1–3 years; 30% of projects
//   have 2–3 exclusive alternatives with their own timing. Budget rows (year × fund) never share
//   a project across funds, so the program splits into one independent piece per fund.
// - `withMatch`: the hard case. Every project also charges its local match (10% on HSIP
//   projects, 20% on the others) to one LOCAL row per year, which links all funds into a single
//   multi-dimensional knapsack (20 rows). LOCAL is funded at a lower share of its requests (40%)
//   than the federal rows (50%), and the match rates differ, so the LOCAL rows are not implied by
//   the federal ones and bind on their own (`uniform`: 20% everywhere and LOCAL at 50% too, so
//   each year's LOCAL row is, up to rounding, a quarter of the sum of its federal rows); costs are
//   concentrated in a design year and a construction year; 5% of projects have a larger
//   alternative; BCR is log-normal-like around 1.35, so net benefit tracks cost closely.
import { rng } from '../lib/bca/montecarlo';
import type { Budget, Candidate } from '../lib/bca/select';

const YEARS = [2027, 2028, 2029, 2030];
const LAST = YEARS[YEARS.length - 1]!;

export interface Instance {
  cands: Candidate[];
  budgets: Budget[];
}

/** Budget rows at `share(key)` of what the first alternatives request. */
function budgetsFor(first: Candidate[], share: (key: string) => number): Budget[] {
  const demand: Record<string, number> = {};
  for (const c of first) for (const [k, v] of Object.entries(c.costs)) demand[k] = (demand[k] ?? 0) + v;
  return Object.entries(demand).map(([key, v]) => ({ key, limit: Math.round(v * share(key)) }));
}

export function byFund(n: number, seed: number): Instance {
  const r = rng(seed);
  const funds = ['STBG', 'CMAQ', 'HSIP'];
  const cands: Candidate[] = [];
  for (let p = 0; p < n; p++) {
    const fund = funds[Math.floor(r() * funds.length)]!;
    const alts = r() < 0.3 ? 2 + Math.floor(r() * 2) : 1;
    for (let a = 0; a < alts; a++) {
      const cost = Math.round((0.3 + r() ** 2 * 25) * 1e6 * (1 + 0.6 * a));
      const start = YEARS[Math.floor(r() * YEARS.length)]!;
      const span = 1 + Math.floor(r() * 3);
      const costs: Record<string, number> = {};
      for (let k = 0; k < span; k++) {
        const y = Math.min(start + k, LAST);
        costs[`${y}|${fund}`] = (costs[`${y}|${fund}`] ?? 0) + Math.round(cost / span);
      }
      const value = Math.round(cost * (r() * 3 - 0.5));
      cands.push({ project_id: `P${p}`, alternative_id: `A${a}`, value, costs });
    }
  }
  return {
    cands,
    budgets: budgetsFor(
      cands.filter((c) => c.alternative_id === 'A0'),
      () => 0.4,
    ),
  };
}

export function withMatch(n: number, seed: number, variant: 'mixed' | 'uniform' = 'mixed'): Instance {
  const r = rng(seed);
  const federal = ['STBG', 'CMAQ', 'HSIP', 'TAP'];
  const match: Record<string, number> = {
    STBG: 0.2,
    CMAQ: 0.2,
    HSIP: variant === 'uniform' ? 0.2 : 0.1,
    TAP: 0.2,
  };
  const cands: Candidate[] = [];
  for (let p = 0; p < n; p++) {
    const fund = federal[Math.floor(r() * federal.length)]!;
    const alts = r() < 0.05 ? 2 : 1;
    const base = (0.3 + r() ** 2 * 25) * 1e6;
    for (let a = 0; a < alts; a++) {
      const total = Math.round(base * (1 + 0.5 * a));
      const design = YEARS[Math.floor(r() * 3)]!;
      const build = Math.min(design + Math.floor(r() * 2), LAST);
      const costs: Record<string, number> = {};
      const charge = (y: number, amount: number) => {
        const local = match[fund]!;
        costs[`${y}|${fund}`] = (costs[`${y}|${fund}`] ?? 0) + Math.round(amount * (1 - local));
        costs[`${y}|LOCAL`] = (costs[`${y}|LOCAL`] ?? 0) + Math.round(amount * local);
      };
      charge(design, total * 0.2);
      charge(build, total * 0.8);
      const bcr = Math.exp(0.3 + 0.6 * (r() + r() + r() - 1.5));
      cands.push({
        project_id: `P${p}`,
        alternative_id: `A${a}`,
        value: Math.round(total * (bcr - 1)),
        costs,
      });
    }
  }
  return {
    cands,
    budgets: budgetsFor(
      cands.filter((c) => c.alternative_id === 'A0'),
      (key) => (key.endsWith('|LOCAL') && variant === 'mixed' ? 0.4 : 0.5),
    ),
  };
}

/** The same projects with every charge on one budget (the `corridor bca select --budget` shape). */
export function oneBudget({ cands, budgets }: Instance): Instance {
  const total = (costs: Record<string, number>) => Object.values(costs).reduce((a, b) => a + b, 0);
  return {
    cands: cands.map((c) => ({ ...c, costs: { budget: total(c.costs) } })),
    budgets: [{ key: 'budget', limit: budgets.reduce((a, b) => a + b.limit, 0) }],
  };
}
