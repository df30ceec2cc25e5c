// The portfolio of a scenario: the integer program under the budgets by year and fund source
// (or the projects as listed), the BCR-ranked heuristic for comparison, and the fiscal-constraint
// table of the chosen program against every budget row.
import type { IssueCollector } from '../ingest/issues';
import { altKey, candidatesOf, type Evaluation } from './evaluate';
import type { BudgetScanRow, FiscalRow, ProjectInfo, SelectionInfo } from './model';
import type { Scenario } from './scenario';
import { type Budget, budgetUse, greedyByBcr, lpModel, type Selection, selectPortfolio } from './select';

function selectionInfo(s: Selection | null, method?: SelectionInfo['method']): SelectionInfo | null {
  if (!s) return null;
  return {
    method: method ?? s.method,
    optimal: s.optimal,
    status: s.status,
    objective_npv_usd: s.objective,
    seconds: s.seconds,
    mip_gap: s.mipGap ?? null,
    chosen: s.chosen.map((c) => ({ project_id: c.project_id, alternative_id: c.alternative_id })),
  };
}

export async function choosePortfolio(
  sc: Scenario | null,
  ev: Pick<Evaluation, 'results' | 'charges'>,
  projects: ProjectInfo[],
  issues: IssueCollector,
): Promise<{
  selection: SelectionInfo;
  heuristic: SelectionInfo | null;
  lp: string | null;
  fiscal: FiscalRow[];
  budgetScan: BudgetScanRow[];
}> {
  const results = ev.results;
  const budgets: Budget[] = (sc?.budgets ?? []).map((b) => ({
    key: `${b.year}|${b.fund}`,
    limit: b.amount_usd,
  }));
  let selection: SelectionInfo;
  let heuristic: SelectionInfo | null = null;
  const budgetScan: BudgetScanRow[] = [];
  let lp: string | null = null;
  if (sc && sc.selection === 'optimal') {
    if (budgets.length === 0) {
      issues.info({
        code: 'bca.budget.absent',
        message:
          'the scenario states no budgets: the selection is every project whose best alternative adds net benefit (subject to commitments and requirements)',
      });
    }
    // a project's prerequisites (scenario `requires`) constrain the selection as the README states
    const needs = new Map(sc.projects.map((p) => [p.id, p.requires ?? []]));
    const cands = candidatesOf(sc, ev, issues).map((c) => {
      const requires = needs.get(c.project_id) ?? [];
      return requires.length ? { ...c, requires } : c;
    });
    const budgetKeys = new Set(budgets.map((b) => b.key));
    const funds = [...new Set((sc.budgets ?? []).map((b) => b.fund))];
    for (const c of cands) {
      const loose = Object.keys(c.costs).filter((k) => !budgetKeys.has(k));
      // "stbg" beside a budget for "STBG" is a typo that would leave the spending unconstrained
      for (const f of new Set(loose.map((k) => k.slice(k.indexOf('|') + 1)))) {
        // only case and spacing: 5307 and 5309 are different programs, however alike
        const norm = (x: string) => x.replace(/\s+/g, '').toLowerCase();
        const m = funds.find((b) => b !== f && norm(b) === norm(f));
        if (m)
          issues.error({
            code: 'bca.budget.fund',
            message: `${c.project_id}/${c.alternative_id} charges fund "${f}", which has no budget — did you mean ${m}?`,
            fix: `spell the fund as in the budgets (${funds.join(', ')})`,
          });
      }
      if (loose.length) {
        issues.warn({
          code: 'bca.budget.none',
          message: `${c.project_id}/${c.alternative_id} spends from fund-years with no budget row (${loose.map((k) => k.replace('|', ' ')).join(', ')}): not fiscally constrained there`,
          fix: 'add budget rows for those years and funds, or leave the cost rows without a fund',
        });
      }
    }
    lp = lpModel(cands, budgets);
    const s = await selectPortfolio(cands, budgets);
    if (s.status !== 'Optimal') {
      const infeasible = /infeasible/i.test(s.status);
      (infeasible ? issues.error : issues.warn).call(issues, {
        code: 'bca.select.status',
        message: infeasible
          ? `the portfolio has no feasible solution (${s.status}): committed projects exceed a budget`
          : `the solver stopped with status "${s.status}" before proving optimality; the best portfolio found is reported${s.mipGap !== null && s.mipGap !== undefined ? `, within ${(s.mipGap * 100).toPrecision(2)}% of the proven bound` : ''}`,
        fix: infeasible
          ? 'raise the budgets or uncommit projects'
          : 'treat the portfolio as near-optimal, or re-run with fewer candidates',
      });
    }
    selection = selectionInfo(s)!;
    // alternatives without complete values could not be offered to the solver: its optimum is
    // proven for the rest only, so the scenario's portfolio is not called optimal
    const offered = projects.reduce((a, p) => a + p.alternatives.length, 0);
    if (cands.length < offered) {
      selection.optimal = false;
      selection.status = `${s.status} among ${cands.length} of ${offered} alternatives (the others lack values)`;
    }
    heuristic = selectionInfo(greedyByBcr(cands, budgets));
    // what the board asks next: what would 10-25% more (or less) money buy?
    if (budgets.length > 0 && s.status === 'Optimal') {
      for (const scale of [0.75, 0.9, 1.1, 1.25]) {
        const alt = await selectPortfolio(
          cands,
          budgets.map((b) => ({ ...b, limit: b.limit * scale })),
          { timeLimitSec: 20 },
        );
        budgetScan.push({
          budget_scale: scale,
          npv_usd: alt.objective,
          projects_selected: alt.chosen.length,
          optimal: alt.optimal,
          marginal_npv_per_budget_usd:
            (alt.objective - s.objective) / ((scale - 1) * budgets.reduce((a, b) => a + b.limit, 0)),
        });
      }
    }
  } else {
    const chosen = projects.map((p) => ({ project_id: p.id, alternative_id: p.alternatives[0]!.id }));
    selection = {
      method: 'as_listed',
      optimal: false,
      status: 'as listed (no optimisation)',
      objective_npv_usd: 0,
      seconds: 0,
      chosen,
    };
  }
  const chosenKeys = new Set(selection.chosen.map((c) => altKey(c.project_id, c.alternative_id)));
  selection.objective_npv_usd = results
    .filter((r) => chosenKeys.has(altKey(r.project_id, r.alternative_id)))
    .reduce((s, r) => s + (r.npv_usd ?? 0), 0);
  for (const p of projects)
    p.selected_alternative = selection.chosen.find((c) => c.project_id === p.id)?.alternative_id ?? null;

  // fiscal constraint by year and fund source
  const fiscal: FiscalRow[] = [];
  if (sc) {
    const use = budgetUse(
      selection.chosen.map((c) => ({
        project_id: c.project_id,
        alternative_id: c.alternative_id,
        value: 0,
        costs: ev.charges.get(altKey(c.project_id, c.alternative_id)) ?? {},
      })),
      budgets,
    );
    const wish = budgetUse(
      projects.map((p) => ({
        project_id: p.id,
        alternative_id: p.alternatives[0]!.id,
        value: 0,
        costs: ev.charges.get(altKey(p.id, p.alternatives[0]!.id)) ?? {},
      })),
      budgets,
    );
    use.forEach((u, i) => {
      const [year, fund] = u.key.split('|');
      fiscal.push({
        year: Number(year),
        fund: fund!,
        budget_usd: u.limit,
        programmed_usd: u.spent,
        remaining_usd: u.remaining,
        within_budget: u.within,
        requested_usd: wish[i]!.spent,
      });
    });
    for (const f of fiscal.filter((x) => !x.within_budget)) {
      issues.error({
        code: 'bca.fiscal.exceeded',
        message: `${f.fund} ${f.year}: programmed ${Math.round(f.programmed_usd)} exceeds the budget ${Math.round(f.budget_usd)}`,
      });
    }
  }

  return { selection, heuristic, lp, fiscal, budgetScan };
}
