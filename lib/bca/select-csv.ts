// `corridor bca select`: an alternatives CSV (project_id,alternative_id,cost_usd,net_benefit_usd)
// and one budget → the net-benefit-maximising selection (a do-nothing per project is implicit).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IssueCollector } from '../ingest/issues';
import { csvRecords, toCsv } from './csv';
import { type Candidate, greedyByBcr, lpModel, selectPortfolio } from './select';

export function readAlternativesCsv(text: string, file: string, issues: IssueCollector): Candidate[] {
  const out: Candidate[] = [];
  const seen = new Set<string>();
  for (const { line, values: v } of csvRecords(text)) {
    const cost = Number(v.cost_usd);
    const nb = Number(v.net_benefit_usd);
    if (!v.project_id)
      issues.error({
        code: 'bca.select.project',
        file,
        line,
        column: 'project_id',
        message: 'project_id is blank',
      });
    if (v.cost_usd === '' || !Number.isFinite(cost) || cost < 0)
      issues.error({
        code: 'bca.select.cost',
        file,
        line,
        column: 'cost_usd',
        value: v.cost_usd,
        message: 'cost_usd must be a non-negative number',
      });
    if (v.net_benefit_usd === '' || !Number.isFinite(nb))
      issues.error({
        code: 'bca.select.net_benefit',
        file,
        line,
        column: 'net_benefit_usd',
        value: v.net_benefit_usd,
        message: 'net_benefit_usd must be a number',
      });
    const alt = v.alternative_id || 'build';
    const k = `${v.project_id}\u0000${alt}`;
    if (seen.has(k))
      issues.error({
        code: 'bca.select.duplicate',
        file,
        line,
        message: `${v.project_id}/${alt} appears twice`,
      });
    seen.add(k);
    out.push({ project_id: v.project_id ?? '', alternative_id: alt, value: nb, costs: { budget: cost } });
  }
  return out;
}

export async function runSelect(file: string, budget: number, out: string, issues: IssueCollector) {
  const cands = readAlternativesCsv(readFileSync(file, 'utf8'), file, issues);
  if (issues.hasErrors) return null;
  const budgets = [{ key: 'budget', limit: budget }];
  // one budget row: the exact knapsack search proves the optimum in milliseconds where it can
  const s = await selectPortfolio(cands, budgets, { knapsack: true });
  const g = greedyByBcr(cands, budgets);
  mkdirSync(out, { recursive: true });
  const chosen = new Set(s.chosen);
  writeFileSync(
    join(out, 'selection.csv'),
    toCsv(
      ['project_id', 'alternative_id', 'selected', 'cost_usd', 'net_benefit_usd'],
      cands.map((c) => ({
        project_id: c.project_id,
        alternative_id: c.alternative_id,
        selected: chosen.has(c),
        cost_usd: c.costs.budget,
        net_benefit_usd: c.value,
      })),
    ),
  );
  writeFileSync(join(out, 'selection.lp'), `${lpModel(cands, budgets)}\n`);
  const summary = {
    budget_usd: budget,
    total_cost_usd: s.chosen.reduce((a, c) => a + (c.costs.budget ?? 0), 0),
    total_net_benefit_usd: s.objective,
    optimal: s.optimal,
    solver_status: s.status,
    mip_gap: s.mipGap ?? null,
    proven_bound_usd: s.bound ?? null,
    method: `${
      s.pieces?.some((p) => p.solver === 'knapsack')
        ? 'exact branch and bound on the knapsack LP bound'
        : 'integer program (HiGHS)'
    }, at most one alternative per project, do-nothing implicit`,
    projects_selected: s.chosen.length,
    solve_seconds: s.seconds,
    bcr_ranked_heuristic: {
      total_cost_usd: g.chosen.reduce((a, c) => a + (c.costs.budget ?? 0), 0),
      total_net_benefit_usd: g.objective,
      note: 'ranking by net benefit / cost until the budget runs out; a heuristic, not an optimum',
    },
  };
  writeFileSync(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}
