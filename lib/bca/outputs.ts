// The files a run writes into its output folder, and the summary.json shape the API and the
// demo read: per project and total npv_usd, bcr, irr, payback_year, benefits_pv_usd, costs_pv_usd.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toCsv } from './csv';
import { altKey } from './evaluate';
import { LEDGER_COLUMNS } from './ledger';
import type { BcaRun } from './model';
import { MC_COLUMNS } from './montecarlo';

const r2 = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);
const r6 = (v: number | null) => (v === null ? null : Math.round(v * 1e6) / 1e6);

export function summaryOf(run: BcaRun) {
  const sel = new Set(run.selection.chosen.map((c) => altKey(c.project_id, c.alternative_id)));
  const pick = (r: BcaRun['total']) => ({
    npv_usd: r2(r.npv_usd),
    bcr: r6(r.bcr),
    irr: r6(r.irr),
    payback_year: r.payback_year,
    benefits_pv_usd: r2(r.benefits_pv_usd),
    costs_pv_usd: r2(r.costs_pv_usd),
  });
  return {
    scenario_id: run.scenario.id,
    title: run.scenario.title,
    run_id: run.lineage.run_id,
    edition: run.settings.edition.id,
    dollar_year: run.settings.dollarYear,
    base_year: run.settings.baseYear,
    discount_rate: run.settings.discountRate,
    cost_convention: run.settings.costConvention,
    selection: {
      method: run.selection.method,
      optimal: run.selection.optimal,
      status: run.selection.status,
      mip_gap: run.selection.mip_gap ?? null,
    },
    projects: run.results.map((r) => ({
      project_id: r.project_id,
      title: run.projects.find((p) => p.id === r.project_id)?.title ?? r.project_id,
      alternative_id: r.alternative_id,
      selected: sel.has(altKey(r.project_id, r.alternative_id)),
      ...pick(r),
      missing_rows: r.missing_rows,
    })),
    total: pick(run.total),
    // null, not true, when there were no budgets to check against (a ledger CSV, a scenario without budgets)
    fiscally_constrained: run.fiscal.length ? run.fiscal.every((f) => f.within_budget) : null,
    issues: {
      errors: run.issues.filter((i) => i.severity === 'error').length,
      warnings: run.issues.filter((i) => i.severity === 'warning').length,
    },
  };
}

export function writeOutputs(run: BcaRun, out: string, lp: string | null): string[] {
  mkdirSync(out, { recursive: true });
  const files: string[] = [];
  const w = (name: string, body: string) => {
    const p = join(out, name);
    writeFileSync(p, body);
    files.push(p);
  };
  w('summary.json', `${JSON.stringify(summaryOf(run), null, 2)}\n`);
  w('ledger.csv', toCsv(LEDGER_COLUMNS, run.ledger as unknown as Record<string, unknown>[]));
  w(
    'projects.csv',
    toCsv(
      [
        'project_id',
        'alternative_id',
        'selected',
        'benefits_pv_usd',
        'costs_pv_usd',
        'npv_usd',
        'bcr',
        'irr',
        'payback_year',
        'missing_rows',
      ],
      run.results.map((r) => ({
        ...r,
        selected: run.projects.find((p) => p.id === r.project_id)?.selected_alternative === r.alternative_id,
      })),
    ),
  );
  if (run.outcomes.length)
    w(
      'outcomes.csv',
      toCsv(
        ['project_id', 'alternative_id', 'measure', 'year', 'nb', 'b', 'change', 'unit'],
        run.outcomes as unknown as Record<string, unknown>[],
      ),
    );
  if (run.fiscal.length)
    w(
      'fiscal.csv',
      toCsv(
        ['year', 'fund', 'budget_usd', 'programmed_usd', 'remaining_usd', 'within_budget', 'requested_usd'],
        run.fiscal as unknown as Record<string, unknown>[],
      ),
    );
  w(
    'sensitivity.csv',
    toCsv(
      ['scope', 'case', 'discount_rate', 'npv_usd', 'bcr'],
      run.sensitivity as unknown as Record<string, unknown>[],
    ),
  );
  if (run.montecarlo)
    w(
      'montecarlo.csv',
      toCsv([...MC_COLUMNS], [...run.montecarlo.projects, run.montecarlo.portfolio] as unknown as Record<
        string,
        unknown
      >[]),
    );
  w('issues.json', `${JSON.stringify(run.issues, null, 2)}\n`);
  w('lineage.json', `${JSON.stringify(run.lineage, null, 2)}\n`);
  if (lp) w('selection.lp', `${lp}\n`);
  return files;
}
