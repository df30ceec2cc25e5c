// Exact reductions of the portfolio integer program before it goes to HiGHS. Each one keeps at
// least one optimal portfolio of the full problem (test/bca/presolve.test.ts checks this against
// exhaustive search), so an optimum proven on the reduced problem is an optimum of the full one:
// - a budget row that no choice can exceed is dropped (at most one alternative per project, so
//   the most a row can ever be charged is the sum of each project's largest charge to it);
// - with no negative charge on any budget row: an alternative that alone exceeds a budget row
//   can never be chosen, and an alternative with net benefit ≤ 0 loses to do-nothing unless its
//   project is committed or another project requires it;
// - an alternative is dropped when another alternative of the same project costs no more in
//   every budget row and adds at least as much net benefit (swapping keeps every row within
//   budget, and requirements and commitments are per project);
// - the rest splits into independent subproblems: projects linked by a shared budget row or by
//   a requirement. Their optima add up to the whole optimum, and branch-and-bound on separate
//   pieces avoids searching the product of their trees.
import type { Budget, Candidate } from './select';

export interface Subproblem {
  cands: Candidate[];
  budgets: Budget[];
}

export interface Reduction {
  /** Independent pieces; the optimum is the union of their optima. */
  parts: Subproblem[];
  /** Alternatives removed, with the rule that removed each. */
  dropped: { cand: Candidate; rule: 'exceeds_budget' | 'no_net_benefit' | 'dominated' }[];
  /** Budget keys dropped because no portfolio can reach their limit. */
  slackBudgets: string[];
  /** The caller's candidate behind each candidate of a piece (the pieces hold copies). */
  source: Map<Candidate, Candidate>;
}

// same tolerance as budgetUse(): a charge within 1e-6 of the limit fits
const TOL = 1e-6;
const cost = (c: Candidate, k: string) => c.costs[k] ?? 0;

export function reducePortfolio(cands: Candidate[], budgets: Budget[]): Reduction {
  // duplicate keys are the same row twice: the smaller limit binds
  const limit = new Map<string, number>();
  for (const b of budgets) limit.set(b.key, Math.min(b.limit, limit.get(b.key) ?? Number.POSITIVE_INFINITY));
  const nonNegative = cands.every((c) => [...limit.keys()].every((k) => cost(c, k) >= 0));
  const committed = new Set(cands.filter((c) => c.committed).map((c) => c.project_id));
  const required = new Set(cands.flatMap((c) => c.requires ?? []));
  const dropped: Reduction['dropped'] = [];
  const slackBudgets: string[] = [];
  let live = [...cands];

  // each pass can enable the next: fewer alternatives make rows slack, fewer rows more dominance
  for (let before = -1; before !== live.length + limit.size; ) {
    before = live.length + limit.size;
    const keep: Candidate[] = [];
    for (const c of live) {
      const free = nonNegative && !committed.has(c.project_id);
      const rule =
        free && [...limit].some(([k, l]) => cost(c, k) > l + TOL)
          ? 'exceeds_budget'
          : free && c.value <= 0 && !required.has(c.project_id)
            ? 'no_net_benefit'
            : null;
      if (rule) dropped.push({ cand: c, rule });
      else keep.push(c);
    }
    live = dominanceFilter(keep, [...limit.keys()], dropped);
    for (const [k, l] of limit) {
      const most = new Map<string, number>();
      for (const c of live) most.set(c.project_id, Math.max(most.get(c.project_id) ?? 0, cost(c, k)));
      if ([...most.values()].reduce((a, b) => a + b, 0) <= l) {
        limit.delete(k);
        slackBudgets.push(k);
      }
    }
  }
  // requirements belong to the project (lpModel writes them per project): a dropped alternative
  // may have carried them, so every kept one gets the project's whole list
  const needs = new Map<string, Set<string>>();
  for (const c of cands)
    for (const r of c.requires ?? []) needs.set(c.project_id, (needs.get(c.project_id) ?? new Set()).add(r));
  const source = new Map<Candidate, Candidate>();
  const copies = live.map((c) => {
    const list = needs.get(c.project_id);
    const copy: Candidate = { ...c, ...(list ? { requires: [...list] } : {}) };
    source.set(copy, c);
    return copy;
  });
  return { parts: components(copies, limit), dropped, slackBudgets, source };
}

function dominanceFilter(cands: Candidate[], keys: string[], dropped: Reduction['dropped']) {
  const byProject = new Map<string, Candidate[]>();
  for (const c of cands) {
    const list = byProject.get(c.project_id);
    if (list) list.push(c);
    else byProject.set(c.project_id, [c]);
  }
  const dominates = (d: Candidate, c: Candidate) =>
    d.value >= c.value && keys.every((k) => cost(d, k) <= cost(c, k));
  const out: Candidate[] = [];
  for (const alts of byProject.values()) {
    alts.forEach((c, i) => {
      // of two identical alternatives the earlier one stays
      const beaten = alts.some((d, j) => j !== i && dominates(d, c) && (j < i || !dominates(c, d)));
      if (beaten) dropped.push({ cand: c, rule: 'dominated' });
      else out.push(c);
    });
  }
  return out;
}

function components(cands: Candidate[], limit: Map<string, number>): Subproblem[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r) ?? r;
    parent.set(x, r);
    return r;
  };
  const union = (a: string, b: string) => {
    parent.set(find(a), find(b));
  };
  const projects = new Set(cands.map((c) => c.project_id));
  for (const p of projects) parent.set(p, p);
  const firstOnRow = new Map<string, string>();
  for (const c of cands) {
    for (const k of limit.keys()) {
      if (cost(c, k) === 0) continue;
      const first = firstOnRow.get(k);
      if (first === undefined) firstOnRow.set(k, c.project_id);
      else union(first, c.project_id);
    }
    // a requirement on a project with no candidate left only forbids this one: no link needed
    for (const r of c.requires ?? []) if (projects.has(r)) union(c.project_id, r);
  }
  const parts = new Map<string, Subproblem>();
  for (const c of cands) {
    const root = find(c.project_id);
    const part = parts.get(root) ?? { cands: [], budgets: [] };
    part.cands.push(c);
    parts.set(root, part);
  }
  for (const [key, l] of limit) {
    const first = firstOnRow.get(key);
    if (first === undefined) {
      // nobody is charged to it: it only matters when its limit is negative (infeasible)
      if (l < 0) parts.set(`\u0000${key}`, { cands: [], budgets: [{ key, limit: l }] });
      continue;
    }
    parts.get(find(first))!.budgets.push({ key, limit: l });
  }
  return [...parts.values()];
}
