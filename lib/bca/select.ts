// Portfolio selection as an exact integer program (research/bca.md §5.2): choose at most one
// alternative per project (exactly one when committed) to maximise total net benefit subject to
// every budget row (year × fund source). Solved with HiGHS (WASM, runs in Lambda); the result is
// called optimal only when HiGHS proves it. Ranking by BCR (greedyByBcr) is a heuristic kept for
// comparison and never presented as optimal.
import loadHighs from 'highs';
import { knapsackOneBudget } from './knapsack';
import { reducePortfolio } from './presolve';

export interface Candidate {
  project_id: string;
  alternative_id: string;
  /** The objective coefficient: net benefit (NPV) of choosing this alternative. */
  value: number;
  /** Spending charged to each budget row, by budget key (e.g. "2027|STBG"). */
  costs: Record<string, number>;
  /** Ratio used by the greedy heuristic (BCR); defaults to value / total cost. */
  ratio?: number | null;
  committed?: boolean;
  /** Projects that must be selected too (any alternative) for this one to be selected. */
  requires?: string[];
}

export interface Budget {
  key: string;
  limit: number;
}

export interface Selection {
  chosen: Candidate[];
  objective: number;
  /** True only when the solver proved optimality (gap closed). */
  optimal: boolean;
  status: string;
  method: 'milp_highs' | 'greedy_bcr';
  seconds: number;
  /** Relative gap between the solution and the proven bound (0 when optimal); null for heuristics. */
  mipGap?: number | null;
  /** The best proven upper bound on total net benefit. */
  bound?: number | null;
  /** The independent pieces left by presolve and how each was solved. */
  pieces?: {
    alternatives: number;
    budgets: number;
    solver: 'highs' | 'knapsack' | 'enumeration';
    status: string;
  }[];
}

type Highs = Awaited<ReturnType<typeof loadHighs>>;
let highs: Promise<Highs> | undefined;
const getHighs = () => {
  highs ??= loadHighs();
  return highs;
};

const fmt = (v: number) => {
  // LP text: plain decimal, no exponent surprises for large dollar amounts
  const s =
    Math.abs(v) >= 1e-6 && Math.abs(v) < 1e15 ? String(Number(v.toPrecision(15))) : v.toExponential(12);
  return s.includes('e') ? v.toExponential(12).replace('e+', 'e') : s;
};

function term(coef: number, name: string, first: boolean) {
  const sign = coef < 0 ? '-' : first ? '' : '+';
  return `${sign}${first && coef >= 0 ? '' : ' '}${fmt(Math.abs(coef))} ${name}`;
}

function lines(terms: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < terms.length; i += 8) out.push(`   ${terms.slice(i, i + 8).join(' ')}`);
  return out.join('\n');
}

/** The model in CPLEX LP text (also written beside the results so a reviewer can re-solve it). */
export function lpModel(cands: Candidate[], budgets: Budget[]): string {
  const x = (i: number) => `x${i}`;
  const obj = cands.map((c, i) => term(c.value, x(i), i === 0));
  const rows: string[] = [];
  budgets.forEach((b, k) => {
    const t = cands.flatMap((c, i) =>
      (c.costs[b.key] ?? 0) !== 0 ? [term(c.costs[b.key]!, x(i), false)] : [],
    );
    if (t.length) rows.push(` budget${k}: ${t.join(' ').replace(/^\+ /, '')} <= ${fmt(b.limit)}`);
  });
  const byProject = new Map<string, number[]>();
  cands.forEach((c, i) => {
    const list = byProject.get(c.project_id);
    if (list) list.push(i);
    else byProject.set(c.project_id, [i]);
  });
  let p = 0;
  for (const idx of byProject.values()) {
    const committed = idx.some((i) => cands[i]!.committed);
    if (idx.length === 1 && !committed) continue;
    rows.push(` one${p++}: ${idx.map((i) => x(i)).join(' + ')} ${committed ? '=' : '<='} 1`);
  }
  const deps = new Set<string>();
  let d = 0;
  for (const c of cands) {
    for (const req of c.requires ?? []) {
      const tag = `${c.project_id}\u0000${req}`;
      if (deps.has(tag)) continue;
      deps.add(tag);
      const mine = byProject.get(c.project_id) ?? [];
      const theirs = byProject.get(req) ?? [];
      rows.push(
        ` requires${d++}: ${[...mine.map((i) => `+ ${x(i)}`), ...theirs.map((i) => `- ${x(i)}`)].join(' ').replace(/^\+ /, '')} <= 0`,
      );
    }
  }
  return [
    'Maximize',
    ` obj: ${obj.length ? '' : '0 x0'}`,
    lines(obj),
    'Subject To',
    ...(rows.length ? rows : [' dummy: x0 >= 0']),
    'Binary',
    lines(cands.map((_, i) => x(i))),
    'End',
  ].join('\n');
}

export async function selectPortfolio(
  cands: Candidate[],
  budgets: Budget[],
  opts: {
    timeLimitSec?: number;
    relGap?: number;
    /** Solve pieces with a single budget row by the exact knapsack search (HiGHS if it gives up). */
    knapsack?: boolean;
  } = {},
): Promise<Selection> {
  const t0 = performance.now();
  const limit = opts.timeLimitSec ?? 60;
  const { parts, source } = reducePortfolio(cands, budgets);
  // small pieces first, so one hard piece cannot starve the easy ones of time
  parts.sort((a, b) => a.cands.length - b.cands.length);
  const solved: PartResult[] = [];
  for (const part of parts) {
    const left = limit - (performance.now() - t0) / 1000;
    const quick =
      oneProject(part.cands, part.budgets) ??
      (opts.knapsack && part.budgets.length === 1 ? knapsackPart(part.cands, part.budgets[0]!) : null);
    solved.push(
      quick ??
        (await solvePart(part.cands, part.budgets, {
          timeLimitSec: Math.max(left, 0.1),
          relGap: opts.relGap,
        })),
    );
  }
  const picked = new Set(solved.flatMap((p) => p.chosen.map((c) => source.get(c))));
  const chosen = cands.filter((c) => picked.has(c));
  const infeasible = solved.find((p) => /infeasible/i.test(p.status));
  const unfinished = solved.find((p) => p.status !== 'Optimal');
  const objective = chosen.reduce((s, c) => s + c.value, 0);
  const bounds = solved.map((p) => p.bound);
  const bound = bounds.every((b) => b !== null) ? bounds.reduce((a: number, b) => a + b!, 0) : null;
  return {
    chosen: infeasible ? [] : chosen,
    objective: infeasible ? 0 : objective,
    optimal: !unfinished && (opts.relGap ?? 0) === 0,
    status: infeasible?.status ?? unfinished?.status ?? 'Optimal',
    method: 'milp_highs',
    seconds: (performance.now() - t0) / 1000,
    // a piece that stopped at a positive relGap is "Optimal" to HiGHS but still has a gap
    mipGap: infeasible
      ? null
      : !unfinished && (opts.relGap ?? 0) === 0
        ? 0
        : bound === null
          ? null
          : Math.max(0, bound - objective) / Math.max(1, Math.abs(objective)),
    bound: infeasible ? null : bound,
    pieces: parts.map((p, i) => ({
      alternatives: p.cands.length,
      budgets: p.budgets.length,
      solver: solved[i]!.solver,
      status: solved[i]!.status,
    })),
  };
}

/**
 * A piece with a single project (common: a project alone on its budget rows, or no budgets at all)
 * needs no solver: its best alternative that fits, or do-nothing unless committed. Its
 * requirements, if any, name projects with no alternative left, so it cannot be selected.
 */
function oneProject(cands: Candidate[], budgets: Budget[]): PartResult | null {
  const first = cands[0];
  if (!first || cands.some((c) => c.project_id !== first.project_id)) return null;
  const fits = (costs: Record<string, number>) => budgets.every((b) => (costs[b.key] ?? 0) <= b.limit + 1e-6);
  const blocked = cands.some((c) => c.requires?.some((r) => r !== first.project_id));
  const options = blocked ? [] : cands.filter((c) => fits(c.costs));
  const noneFits = !cands.some((c) => c.committed) && fits({});
  const best = options.reduce<Candidate | null>((a, c) => (a === null || c.value > a.value ? c : a), null);
  const take = best && (!noneFits || best.value > 0) ? best : null;
  if (!take && !noneFits) return { chosen: [], status: 'infeasible', bound: null, solver: 'enumeration' };
  return { chosen: take ? [take] : [], status: 'Optimal', bound: take?.value ?? 0, solver: 'enumeration' };
}

function knapsackPart(cands: Candidate[], budget: Budget): PartResult | null {
  const r = knapsackOneBudget(cands, budget.key, budget.limit);
  return r && { chosen: r.chosen, status: 'Optimal', bound: r.value, solver: 'knapsack' };
}

interface PartResult {
  chosen: Candidate[];
  status: string;
  bound: number | null;
  solver: 'highs' | 'knapsack' | 'enumeration';
}

/** One independent piece of the integer program, solved by HiGHS. */
async function solvePart(
  cands: Candidate[],
  budgets: Budget[],
  opts: { timeLimitSec: number; relGap?: number },
): Promise<PartResult> {
  if (cands.length === 0) {
    // a budget row nobody is charged to is only broken when its limit is below zero
    const ok = budgets.every((b) => b.limit >= -1e-6);
    return { chosen: [], status: ok ? 'Optimal' : 'infeasible', bound: ok ? 0 : null, solver: 'highs' };
  }
  const h = await getHighs();
  // the BCR-ranked portfolio seeds the search: the optimum can only be as good or better
  const seed = greedyByBcr(cands, budgets);
  const seeded = new Set(seed.chosen);
  return h.withModel({ format: 'lp', data: lpModel(cands, budgets) }, (m) => {
    m.options.set({
      output_flag: false,
      // prove the optimum to the dollar, not to HiGHS's default 0.01% relative gap
      mip_rel_gap: opts.relGap ?? 0,
      mip_abs_gap: 1e-6,
      time_limit: opts.timeLimitSec,
    });
    const idx = cands.map((_, i) => m.getColByName(`x${i}`));
    if (seed.status === 'heuristic') {
      const colValue = new Float64Array(cands.length);
      cands.forEach((c, i) => {
        colValue[idx[i]!] = seeded.has(c) ? 1 : 0;
      });
      m.setSolution({ colValue });
    }
    m.run();
    const status = m.getModelStatus();
    const codes = h.constants.modelStatus;
    const name = Object.entries(codes).find(([, v]) => v === status)?.[0] ?? String(status);
    const x = m.getSolution().colValue;
    const bound = m.info.get('mip_dual_bound' as 'mip_gap');
    return {
      chosen: status === codes.infeasible ? [] : cands.filter((_, i) => (x[idx[i]!] ?? 0) > 0.5),
      status: status === codes.optimal ? 'Optimal' : name,
      bound: typeof bound === 'number' && Number.isFinite(bound) ? bound : null,
      solver: 'highs' as const,
    };
  });
}

/** The classic heuristic: take alternatives in descending BCR while every budget still fits. */
export function greedyByBcr(cands: Candidate[], budgets: Budget[]): Selection {
  const t0 = performance.now();
  const left = new Map(budgets.map((b) => [b.key, b.limit]));
  const ratio = (c: Candidate) => {
    if (c.ratio !== undefined) return c.ratio ?? Number.NEGATIVE_INFINITY;
    const cost = Object.values(c.costs).reduce((a, b) => a + b, 0);
    return cost > 0 ? c.value / cost : c.value > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  };
  const fits = (c: Candidate) =>
    Object.entries(c.costs).every(([k, v]) => !left.has(k) || v <= left.get(k)! + 1e-6);
  const take = (c: Candidate) => {
    for (const [k, v] of Object.entries(c.costs)) if (left.has(k)) left.set(k, left.get(k)! - v);
  };
  const chosen: Candidate[] = [];
  const done = new Set<string>();
  for (const c of cands.filter((c) => c.committed)) {
    if (done.has(c.project_id)) continue;
    take(c);
    chosen.push(c);
    done.add(c.project_id);
  }
  const order = cands.filter((c) => !c.committed && c.value > 0).sort((a, b) => ratio(b) - ratio(a));
  for (const c of order) {
    if (done.has(c.project_id) || !fits(c) || !(c.requires ?? []).every((r) => done.has(r))) continue;
    take(c);
    chosen.push(c);
    done.add(c.project_id);
  }
  const feasible = [...left.values()].every((v) => v >= -1e-6);
  return {
    chosen,
    objective: chosen.reduce((s, c) => s + c.value, 0),
    optimal: false,
    status: feasible ? 'heuristic' : 'heuristic (committed projects exceed a budget)',
    method: 'greedy_bcr',
    seconds: (performance.now() - t0) / 1000,
  };
}

/** Spending of a selection against each budget row. */
export function budgetUse(chosen: Candidate[], budgets: Budget[]) {
  return budgets.map((b) => {
    const spent = chosen.reduce((s, c) => s + (c.costs[b.key] ?? 0), 0);
    return { key: b.key, limit: b.limit, spent, remaining: b.limit - spent, within: spent <= b.limit + 1e-6 };
  });
}
