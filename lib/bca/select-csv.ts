// `corridor bca select`: an alternatives CSV (project_id,alternative_id,cost_usd,net_benefit_usd)
// and one budget → the net-benefit-maximising selection (a do-nothing per project is implicit).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IssueCollector } from '../ingest/issues';
import { didYouMean, parseUsd } from './cells';
import { columnName, csvRecords, decodeText, parseCsv, toCsv } from './csv';
import { type Candidate, greedyByBcr, lpModel, selectPortfolio } from './select';

const COLUMNS = ['project_id', 'alternative_id', 'cost_usd', 'net_benefit_usd'] as const;

export function readAlternativesCsv(text: string, file: string, issues: IssueCollector): Candidate[] {
  const [header] = parseCsv(text);
  const names = (header ?? []).map(columnName);
  if (names.length === 1 && /[;\t]/.test(names[0]!)) {
    issues.error({
      code: 'bca.select.delimiter',
      file,
      line: 1,
      message: 'the columns are not separated by commas',
      fix: `save the file as "CSV UTF-8 (comma delimited)" with columns ${COLUMNS.join(',')}`,
    });
    return [];
  }
  for (const col of COLUMNS.filter((c) => c !== 'alternative_id' && !names.includes(c))) {
    const near = names.find((n) => didYouMean(n, [col]) === col);
    issues.error({
      code: 'bca.select.column',
      file,
      line: 1,
      column: col,
      message: `missing column ${col}${near ? ` (found "${near}": rename it to ${col})` : ''}`,
      fix: `columns: ${COLUMNS.join(',')} (alternative_id optional)`,
    });
  }
  if (issues.hasErrors) return [];
  const out: Candidate[] = [];
  const seen = new Map<string, number>();
  const money = (raw: string | undefined, line: number, column: string, what: string) => {
    const p = raw ? parseUsd(raw) : { error: 'blank' };
    if ('value' in p) return p.value;
    issues.error({
      code: `bca.select.${column === 'cost_usd' ? 'cost' : 'net_benefit'}`,
      file,
      line,
      column,
      value: raw,
      message: `${column} ${raw ? p.error : 'is blank'}; a missing ${what} is not zero`,
      fix: `enter the ${what} in US dollars (e.g. 1250000 or "$1,250,000")`,
    });
    return null;
  };
  for (const { line, values: v } of csvRecords(text, columnName)) {
    if (!v.project_id)
      issues.error({
        code: 'bca.select.project',
        file,
        line,
        column: 'project_id',
        message: 'project_id is blank',
        fix: 'enter the project id',
      });
    const cost = money(v.cost_usd, line, 'cost_usd', 'cost');
    const nb = money(v.net_benefit_usd, line, 'net_benefit_usd', 'net benefit');
    if (cost !== null && cost < 0)
      issues.error({
        code: 'bca.select.cost',
        file,
        line,
        column: 'cost_usd',
        value: v.cost_usd,
        message: 'cost_usd is negative: a budget cannot be refilled by selecting a project',
        fix: 'enter the cost charged to the budget (a saving belongs in net_benefit_usd)',
      });
    const alt = v.alternative_id || 'build';
    const k = `${v.project_id}\u0000${alt}`;
    const first = seen.get(k);
    if (first !== undefined)
      issues.error({
        code: 'bca.select.duplicate',
        file,
        line,
        message: `${v.project_id}/${alt} is already on line ${first}`,
        fix: 'give each alternative of a project its own alternative_id, or delete the repeat',
      });
    else seen.set(k, line);
    out.push({
      project_id: v.project_id ?? '',
      alternative_id: alt,
      value: nb ?? Number.NaN,
      costs: { budget: cost ?? Number.NaN },
    });
  }
  if (out.length === 0)
    issues.error({
      code: 'bca.select.empty',
      file,
      message: 'the file has no alternatives',
      fix: 'add one row per alternative',
    });
  return out;
}

/** The --budget value: "1e6", "1,000,000" and "$1,000,000" are all one million; never negative. */
export function parseBudget(raw: number | string, issues: IssueCollector): number | null {
  const p = typeof raw === 'number' ? { value: raw } : parseUsd(raw);
  if ('value' in p && Number.isFinite(p.value) && p.value >= 0) return p.value;
  issues.error({
    code: 'bca.select.budget',
    column: 'budget',
    value: String(raw),
    message: `--budget ${raw} is not a non-negative amount${'error' in p ? ` (${p.error})` : ''}`,
    fix: 'give the budget in US dollars, e.g. --budget 12000000 or --budget 1.2e7',
  });
  return null;
}

export async function runSelect(
  file: string,
  budgetArg: number | string,
  out: string,
  issues: IssueCollector,
) {
  const budget = parseBudget(budgetArg, issues);
  const cands = readAlternativesCsv(decodeText(readFileSync(file)), file, issues);
  if (issues.hasErrors || budget === null) return null;
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
