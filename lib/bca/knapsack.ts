// Exact selection under one budget row (a multiple-choice knapsack: at most one alternative per
// project) by branch and bound on the LP relaxation, for pieces with no commitments and no
// requirements. The LP bound of a multiple-choice knapsack is the greedy fill of each project's
// upper convex hull increments in falling benefit/cost order (Sinha & Zoltners 1979); options
// whose forced bound cannot beat the first portfolio found are removed before the search
// (reduction in the manner of Dyer, Kayal & Walker 1984). The search either finishes (the result
// is proven optimal to within ABS dollars) or stops at the node limit and returns null so the
// caller can fall back to HiGHS.
import type { Candidate } from './select';

interface Option {
  cost: number;
  value: number;
  cand: Candidate | null;
}
interface Step {
  group: number;
  cost: number;
  value: number;
}

// the same tolerances as the integer program: charges within 1e-6 of the budget fit, and a
// portfolio must beat the best one found by more than 1e-6 dollars to count as better
const TOL = 1e-6;
const ABS = 1e-6;

export interface KnapsackResult {
  chosen: Candidate[];
  value: number;
  nodes: number;
}

export function knapsackOneBudget(
  cands: Candidate[],
  key: string,
  limit: number,
  opts: { maxNodes?: number } = {},
): KnapsackResult | null {
  if (limit < -TOL) return null;
  const byProject = new Map<string, Option[]>();
  for (const c of cands) {
    const cost = c.costs[key] ?? 0;
    if (c.committed || c.requires?.length || cost < 0) return null;
    // without commitments or requirements an alternative that adds nothing or cannot fit is never needed
    if (c.value <= 0 || cost > limit + TOL) continue;
    const list = byProject.get(c.project_id) ?? [];
    list.push({ cost, value: c.value, cand: c });
    byProject.set(c.project_id, list);
  }
  const groups = [...byProject.values()].map(undominated);

  // a first portfolio from a small core: projects far from the LP's critical benefit/cost ratio
  // keep their LP choice, the rest are searched (Balas & Zemel 1980; Pisinger 1995)
  const all = hullSteps(groups);
  const { value: best, pick: bestPick } = coreHeuristic(groups, all, limit);

  // reduction: drop every option (do-nothing included) whose forced LP bound cannot beat `best`
  const fixed: Option[] = [];
  let cap = limit;
  let base = 0;
  const kept: Option[][] = [];
  groups.forEach((g, i) => {
    const live = [NONE, ...g].filter(
      (o) => lpBound(all, limit - o.cost, (k) => k === i) + o.value > best + ABS,
    );
    if (live.length === 1) {
      fixed.push(live[0]!);
      cap -= live[0]!.cost;
      base += live[0]!.value;
    } else if (live.length > 1) kept.push(live);
  });
  // when every option of some project is gone, nothing beats the first portfolio
  if (kept.length + fixed.length < groups.length || cap < -TOL) return done(bestPick, 0);
  const r = search(kept, cap, base, best, opts.maxNodes ?? 300_000);
  if (!r.finished) return null;
  return done(r.pick ? [...fixed, ...r.pick] : bestPick, r.nodes);
}

function done(pick: Option[], nodes: number): KnapsackResult {
  const chosen = pick.flatMap((o) => (o.cand ? [o.cand] : []));
  return { chosen, value: chosen.reduce((s, c) => s + c.value, 0), nodes };
}

/**
 * Depth-first search for a portfolio worth more than `floor` (+ABS): each project's options
 * (NONE among them when do-nothing is allowed), `room` to spend, `base` already earned.
 */
function search(
  options: Option[][],
  room0: number,
  base: number,
  floor: number,
  maxNodes: number,
): { pick: Option[] | null; value: number; nodes: number; finished: boolean } {
  // big projects first: each decision moves the remaining budget the most
  const gs = options
    .map((g) => [...g].sort((a, b) => a.cost - b.cost))
    .sort((a, b) => maxCost(b) - maxCost(a));
  const steps = hullSteps(gs.map((g) => g.filter((o) => o !== NONE)));
  let best = floor;
  let bestPick: Option[] | null = null;
  const pick: Option[] = [];
  let nodes = 0;
  let stopped = false;
  const dfs = (d: number, room: number, value: number) => {
    if (stopped) return;
    if (++nodes > maxNodes) {
      stopped = true;
      return;
    }
    if (d === gs.length) {
      if (value > best + ABS) {
        best = value;
        bestPick = [...pick];
      }
      return;
    }
    if (value + lpBound(steps, room, (k) => k < d) <= best + ABS) return;
    // most valuable fitting option first: good portfolios early mean more pruning
    const g = gs[d]!;
    for (let j = g.length - 1; j >= 0; j--) {
      const o = g[j]!;
      if (o.cost > room + TOL) continue;
      pick.push(o);
      dfs(d + 1, room - o.cost, value + o.value);
      pick.pop();
    }
  };
  dfs(0, room0, base);
  return { pick: bestPick, value: best, nodes, finished: !stopped };
}

const CORE = 40;

/** LP choices outside a core of the projects nearest the critical ratio; the core searched. */
function coreHeuristic(groups: Option[][], steps: Step[], limit: number): { value: number; pick: Option[] } {
  const level = groups.map(() => 0);
  let left = limit;
  let ratio = 0;
  for (const s of steps) {
    ratio = s.cost > 0 ? s.value / s.cost : ratio;
    if (s.cost > left + TOL) break;
    left -= s.cost;
    level[s.group]!++;
  }
  const lp = groups.map((g, i) => hullOption(g, level[i]!));
  // how much reduced value a project gives up by leaving its LP choice for its next-best option
  const reduced = (o: Option) => o.value - ratio * o.cost;
  const slack = groups.map((g, i) => {
    const mine = reduced(lp[i]!);
    return Math.min(...[NONE, ...g].filter((o) => o !== lp[i]).map((o) => Math.abs(mine - reduced(o))));
  });
  const core = new Set(
    groups
      .map((_, i) => i)
      .sort((a, b) => slack[a]! - slack[b]!)
      .slice(0, CORE),
  );
  let room = limit;
  let base = 0;
  const fixed: Option[] = [];
  groups.forEach((_, i) => {
    if (core.has(i)) return;
    fixed.push(lp[i]!);
    room -= lp[i]!.cost;
    base += lp[i]!.value;
  });
  const inCore = groups.filter((_, i) => core.has(i)).map((g) => [NONE, ...g]);
  const r = search(inCore, room, base, Number.NEGATIVE_INFINITY, 50_000);
  if (r.pick) return { value: r.value, pick: [...fixed, ...r.pick] };
  // the core found nothing (cannot happen: all-NONE in the core fits the LP's own room)
  return { value: base, pick: fixed };
}

const NONE: Option = { cost: 0, value: 0, cand: null };
const maxCost = (g: Option[]) => g.reduce((m, o) => Math.max(m, o.cost), 0);

/** Options of one project that no other option beats on both cost and value, cheapest first. */
function undominated(opts: Option[]): Option[] {
  const sorted = [...opts].sort((a, b) => a.cost - b.cost || b.value - a.value);
  const out: Option[] = [];
  for (const o of sorted) if (o.value > (out[out.length - 1]?.value ?? 0)) out.push(o);
  return out;
}

/** Upper convex hull increments from do-nothing of every group, in falling value/cost order. */
function hullSteps(groups: Option[][]): Step[] {
  const steps: (Step & { slope: number; k: number })[] = [];
  groups.forEach((g, group) => {
    const hull = upperHull(g);
    for (let k = 1; k < hull.length; k++) {
      const cost = hull[k]!.cost - hull[k - 1]!.cost;
      const value = hull[k]!.value - hull[k - 1]!.value;
      steps.push({ group, cost, value, slope: cost > 0 ? value / cost : Number.POSITIVE_INFINITY, k });
    }
  });
  // within a group slopes fall strictly, so this order also keeps each group's steps in sequence
  steps.sort((a, b) => b.slope - a.slope || a.group - b.group || a.k - b.k);
  return steps;
}

/** The LP optimum of the groups not skipped with `room` to spend. */
function lpBound(steps: Step[], room: number, skip: (group: number) => boolean): number {
  if (room < -TOL) return Number.NEGATIVE_INFINITY;
  let left = Math.max(room, 0);
  let v = 0;
  for (const s of steps) {
    if (skip(s.group)) continue;
    if (s.cost <= left) {
      left -= s.cost;
      v += s.value;
    } else {
      // the fractional step; the tolerance lets a step that fits within TOL count whole
      return v + (s.value * (left + TOL)) / s.cost;
    }
  }
  return v;
}

/** The option at hull vertex `level` of a group (level 0 is do-nothing). */
function hullOption(g: Option[], level: number): Option {
  return level === 0 ? NONE : upperHull(g)[level]!;
}

/** The upper convex hull of a group's options (in rising cost order), starting at do-nothing. */
function upperHull(g: Option[]): Option[] {
  const hull: Option[] = [NONE];
  for (const o of g) {
    while (hull.length >= 2) {
      const a = hull[hull.length - 2]!;
      const b = hull[hull.length - 1]!;
      // b is under the chord a→o (or on it): not a vertex of the upper hull
      if ((b.value - a.value) * (o.cost - a.cost) <= (o.value - a.value) * (b.cost - a.cost)) hull.pop();
      else break;
    }
    hull.push(o);
  }
  return hull;
}
