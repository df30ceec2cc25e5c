// One BCA run, start to finish: read a scenario (YAML/JSON/XLSX) or a plain ledger CSV, build the
// ledger, select the portfolio under the budgets, run sensitivity and Monte Carlo, write the
// outputs and reports into `out`, and publish them (family `bca`, key = scenario id).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { publishResult } from '../catalog';
import type { Ctx } from '../context';
import { IssueCollector } from '../ingest/issues';
import { codeVersion } from '../version';
import { toCsv } from './csv';
import { altKey, candidatesOf, evaluateScenario, runSettings } from './evaluate';
import { incrementalAnalysis } from './incremental';
import { buildLedger, LEDGER_COLUMNS, summarise, summariseAll } from './ledger';
import { readLedgerCsv } from './ledger-csv';
import type { BcaRun, FiscalRow, ProjectInfo, SelectionInfo } from './model';
import { monteCarlo } from './montecarlo';
import { DATA_DIR, loadParameters } from './params';
import { writeReports } from './report';
import { alternativesOf, parseScenarioText, type Scenario } from './scenario';
import { readScenarioXlsx } from './scenario-xlsx';
import { type Budget, budgetUse, greedyByBcr, lpModel, type Selection, selectPortfolio } from './select';
import { sensitivity } from './sensitivity';

export interface RunOptions {
  out: string;
  edition?: string;
  discountRate?: number;
  baseYear?: number;
  dollarYear?: number;
  publish?: boolean;
  reports?: boolean;
}

export interface RunOutcome {
  run: BcaRun | null;
  files: string[];
  issues: IssueCollector;
  published: boolean;
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

export async function loadScenario(file: string, issues: IssueCollector): Promise<Scenario | null> {
  if (/\.xlsx$/i.test(file)) return readScenarioXlsx(file, issues);
  const { scenario, errors } = parseScenarioText(readFileSync(file, 'utf8'), file);
  for (const e of errors)
    issues.error({ code: 'bca.scenario.schema', file, column: e.path, message: e.message });
  return scenario;
}

/** A plain ledger CSV becomes a one-alternative-per-project scenario evaluation. */
function ledgerRun(file: string, text: string, o: RunOptions, issues: IssueCollector) {
  const params = loadParameters();
  const probe = runSettings({ edition: o.edition, base_year: 0 }, params);
  const dollarYear = o.dollarYear ?? probe.edition.dollarYear;
  if (o.baseYear === undefined) {
    issues.warn({
      code: 'bca.base_year.default',
      message: `no --base-year given: discounting to ${dollarYear} (the dollar year)`,
      fix: 'state --base-year explicitly',
    });
  }
  const settings = runSettings(
    {
      edition: o.edition,
      dollar_year: dollarYear,
      base_year: o.baseYear ?? dollarYear,
      discount_rate: o.discountRate,
    },
    params,
  );
  const flows = readLedgerCsv(text, basename(file), dollarYear, issues);
  const ledger = buildLedger(flows, settings, params.priceIndex, issues);
  return { settings, ledger, results: summariseAll(ledger, settings) };
}

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

function histogram(values: number[], bins = 20) {
  if (values.length === 0) return [];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const w = (hi - lo) / bins || 1;
  const out = Array.from({ length: bins }, (_, i) => ({ from: lo + i * w, to: lo + (i + 1) * w, count: 0 }));
  for (const v of values) out[Math.min(bins - 1, Math.floor((v - lo) / w))]!.count++;
  return out;
}

export async function runBca(ctx: Ctx, file: string, o: RunOptions): Promise<RunOutcome> {
  const issues = new IssueCollector('bca');
  const bytes = readFileSync(file);
  const isLedger = /\.csv$/i.test(file);
  const params = loadParameters();
  let sc: Scenario | null = null;
  if (!isLedger) {
    sc = await loadScenario(file, issues);
    if (!sc) return { run: null, files: [], issues, published: false };
    sc = {
      ...sc,
      edition: o.edition ?? sc.edition,
      discount_rate: o.discountRate ?? sc.discount_rate,
      base_year: o.baseYear ?? sc.base_year,
      dollar_year: o.dollarYear ?? sc.dollar_year,
    };
  }
  const fileName = basename(file);
  const ev = sc
    ? evaluateScenario(sc, fileName, issues, params)
    : {
        ...ledgerRun(file, bytes.toString('utf8'), o, issues),
        outcomes: [],
        charges: new Map<string, Record<string, number>>(),
      };
  const { settings, ledger, results } = ev;
  const scenarioId = sc?.id ?? fileName.replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9_.-]+/g, '-');

  // projects and their alternatives (a ledger CSV: one alternative each, all programmed)
  const projects: ProjectInfo[] = sc
    ? sc.projects.map((p) => ({
        id: p.id,
        title: p.title ?? p.id,
        sponsor: p.sponsor,
        category: p.category,
        committed: !!p.committed,
        alternatives: alternativesOf(p).map((a) => ({ id: a.id, title: a.title ?? a.id })),
        selected_alternative: null,
        unquantified: p.unquantified ?? [],
      }))
    : [...new Set(results.map((r) => r.project_id))].map((id) => ({
        id,
        title: id,
        committed: false,
        alternatives: results
          .filter((r) => r.project_id === id)
          .map((r) => ({ id: r.alternative_id, title: r.alternative_id })),
        selected_alternative: null,
        unquantified: [],
      }));

  // selection
  const budgets: Budget[] = (sc?.budgets ?? []).map((b) => ({
    key: `${b.year}|${b.fund}`,
    limit: b.amount_usd,
  }));
  let selection: SelectionInfo;
  let heuristic: SelectionInfo | null = null;
  let lp: string | null = null;
  if (sc && sc.selection === 'optimal') {
    if (budgets.length === 0) {
      issues.info({
        code: 'bca.budget.absent',
        message:
          'the scenario states no budgets: the selection is every project whose best alternative adds net benefit (subject to commitments and requirements)',
      });
    }
    const cands = candidatesOf(sc, ev, issues);
    const budgetKeys = new Set(budgets.map((b) => b.key));
    for (const c of cands) {
      const loose = Object.keys(c.costs).filter((k) => !budgetKeys.has(k));
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
    heuristic = selectionInfo(greedyByBcr(cands, budgets));
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

  // portfolio totals, incremental BCR, sensitivity, Monte Carlo
  const chosenRows = ledger.filter((r) => chosenKeys.has(altKey(r.project_id, r.alternative_id)));
  const total = summarise(chosenRows, settings, { project_id: 'TOTAL', alternative_id: '' });
  const incremental = projects
    .filter((p) => p.alternatives.length > 1)
    .map((p) => {
      const alts = results.filter((r) => r.project_id === p.id && r.benefits_pv_usd !== null);
      const a = incrementalAnalysis(
        alts.map((r) => ({
          alternative_id: r.alternative_id,
          benefits: r.benefits_pv_usd!,
          costs: r.costs_pv_usd!,
        })),
      );
      return { project_id: p.id, ...a };
    });
  const sens = [
    sensitivity('portfolio', chosenRows, settings, {
      discountRates: sc?.sensitivity.discount_rates,
      benefitRange: sc?.sensitivity.benefit_range,
      costRange: sc?.sensitivity.cost_range,
    }),
  ];
  for (const c of selection.chosen) {
    sens.push(
      sensitivity(
        `${c.project_id}/${c.alternative_id}`,
        ledger.filter((r) => r.project_id === c.project_id && r.alternative_id === c.alternative_id),
        settings,
        {
          discountRates: sc?.sensitivity.discount_rates,
          benefitRange: sc?.sensitivity.benefit_range,
          costRange: sc?.sensitivity.cost_range,
        },
      ),
    );
  }
  let montecarlo: BcaRun['montecarlo'] = null;
  const riskSpec = sc?.risk ?? {
    iterations: 2000,
    seed: 1,
    benefits: [0.7, 1, 1.2] as [number, number, number],
    costs: [0.9, 1, 1.4] as [number, number, number],
    source: undefined,
  };
  const mcProjects = results
    .filter((r) => chosenKeys.has(altKey(r.project_id, r.alternative_id)) && r.pv)
    .map((r) => ({ id: `${r.project_id}/${r.alternative_id}`, pv: r.pv! }));
  if (riskSpec.iterations > 0 && mcProjects.length > 0) {
    const spec = {
      iterations: riskSpec.iterations,
      seed: riskSpec.seed,
      benefits: riskSpec.benefits,
      costs: riskSpec.costs,
    };
    const mc = monteCarlo(mcProjects, spec, settings.costConvention);
    montecarlo = {
      spec,
      source:
        riskSpec.source ??
        'illustrative default ranges (benefits 0.7–1.2, costs 0.9–1.4 of the point estimate); set risk: in the scenario',
      projects: mc.projects,
      portfolio: mc.portfolio,
      histogram: histogram(mc.portfolioNpv),
    };
  }

  // unit values this run used (for the assumptions table)
  const used = new Map<string, BcaRun['unit_values_used'][number]>();
  for (const u of params.unitValues) {
    const tag = `${u.editionId} ${u.category} ${u.item}`;
    if (
      ledger.some(
        (r) =>
          r.source?.includes(tag) ||
          (u.category === 'emissions' &&
            r.source?.includes(`${u.editionId} ${u.item} ${r.year}`) &&
            u.yearFrom !== null &&
            r.year >= u.yearFrom &&
            r.year <= (u.yearTo ?? r.year)),
      )
    ) {
      used.set(`${tag} ${u.yearFrom ?? ''}`, {
        category: u.category,
        item: u.item,
        value: u.value,
        unit: u.unit,
        dollar_year: u.dollarYear,
        locator: u.locator,
        verification: u.verification,
        source: `${u.editionId}: ${u.source}`,
      });
    }
  }

  const createdAt = ctx.clock().toISOString();
  const hash = sha256(bytes);
  const runId = `${scenarioId}-${createdAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${hash.slice(0, 8)}`;
  const run: BcaRun = {
    source: { kind: isLedger ? 'ledger_csv' : 'scenario', file: fileName, sha256: hash },
    scenario: {
      id: scenarioId,
      title: sc?.title ?? scenarioId,
      description: sc?.description,
      agency: sc?.agency,
    },
    settings,
    created_at: createdAt,
    issues: issues.issues,
    ledger,
    outcomes: ev.outcomes,
    results,
    projects,
    selection,
    heuristic,
    fiscal,
    incremental,
    total,
    sensitivity: sens.flatMap((s) => s.rows),
    switching: sens.map((s) => ({ scope: s.rows[0]!.scope, ...s.switching })),
    montecarlo,
    unit_values_used: [...used.values()],
    lineage: {
      family: 'bca',
      run_id: runId,
      key: scenarioId,
      params: {
        edition: settings.edition.id,
        dollar_year: settings.dollarYear,
        base_year: settings.baseYear,
        discount_rate: settings.discountRate,
        cost_convention: settings.costConvention,
        selection: sc?.selection ?? 'as_listed',
        monte_carlo: montecarlo?.spec ?? null,
      },
      inputs: [
        {
          dataset_id: `bca-${isLedger ? 'ledger' : 'scenario'}:${fileName}`,
          version: hash.slice(0, 12),
          content_hash: hash,
        },
      ],
      queries: [],
      editions: {
        bca_parameters: settings.edition.id,
        price_index: `gdp_deflator (${params.priceIndex.find((p) => p.series === 'gdp_deflator')?.verification ?? 'absent'})`,
        parameter_tables: sha256(
          ['editions.csv', 'unit_values.csv', 'price_index.csv', 'operations_strategies.csv']
            .map((f) => readFileSync(join(DATA_DIR, f), 'utf8'))
            .join('\n'),
        ).slice(0, 16),
      },
      code_version: codeVersion(),
      created_at: createdAt,
      notes: [
        'Ledger, selection and statistics computed in TypeScript (lib/bca); no SQL queries are involved.',
        `Selection: ${selection.method}${selection.optimal ? ' (optimal)' : ''}.`,
      ],
    },
  };
  run.issues = issues.issues;
  const files = writeOutputs(run, o.out, lp);
  if (o.reports !== false) files.push(...(await writeReports(run, o.out)));
  let published = false;
  if (o.publish !== false) {
    if (issues.hasErrors) {
      ctx.log.warn('bca: not published because the run has errors (see issues.json)');
    } else {
      await publishResult(ctx.storage, {
        family: 'bca',
        key: scenarioId,
        files: files.filter((f) => !/(summary|lineage)\.json$/.test(f)),
        summary: summaryOf(run),
        lineage: run.lineage,
      });
      published = true;
    }
  }
  return { run, files, issues, published };
}

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
      alternative_id: r.alternative_id,
      selected: sel.has(altKey(r.project_id, r.alternative_id)),
      ...pick(r),
      missing_rows: r.missing_rows,
    })),
    total: pick(run.total),
    fiscally_constrained: run.fiscal.every((f) => f.within_budget),
    issues: {
      errors: run.issues.filter((i) => i.severity === 'error').length,
      warnings: run.issues.filter((i) => i.severity === 'warning').length,
    },
  };
}

function writeOutputs(run: BcaRun, out: string, lp: string | null): string[] {
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
      toCsv(
        [
          'scope',
          'iterations',
          'npv_p10',
          'npv_p50',
          'npv_p90',
          'bcr_p10',
          'bcr_p50',
          'bcr_p90',
          'prob_npv_negative',
        ],
        [...run.montecarlo.projects, run.montecarlo.portfolio] as unknown as Record<string, unknown>[],
      ),
    );
  w('issues.json', `${JSON.stringify(run.issues, null, 2)}\n`);
  w('lineage.json', `${JSON.stringify(run.lineage, null, 2)}\n`);
  if (lp) w('selection.lp', `${lp}\n`);
  return files;
}
