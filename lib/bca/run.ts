// One BCA run, start to finish: read a scenario (YAML/JSON/XLSX) or a plain ledger CSV, build the
// ledger, select the portfolio under the budgets, run sensitivity and Monte Carlo, write the
// outputs and reports into `out`, and publish them (family `bca`, key = scenario id).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { publishResult } from '../catalog';
import type { Ctx } from '../context';
import { IssueCollector } from '../ingest/issues';
import { codeVersion } from '../version';
import { meant } from './cells';
import { decodeText } from './csv';
import { altKey, evaluateScenario } from './evaluate';
import { type ImpactRange, impactParts } from './impact-ranges';
import { incrementalAnalysis } from './incremental';
import { emptyResult, summarise } from './ledger';
import { checkRunOptions, evaluateLedgerCsv } from './ledger-evaluate';
import type { BcaRun, ProjectInfo } from './model';
import { monteCarlo } from './montecarlo';
import { summaryOf, writeOutputs } from './outputs';
import { DATA_DIR, loadParameters } from './params';
import { choosePortfolio } from './portfolio';
import { writeReports } from './report';
import { alternativesOf, parseScenarioText, type Scenario } from './scenario';
import { readScenarioXlsxLocated } from './scenario-xlsx';
import { sensitivity } from './sensitivity';
import type { Locate } from './source-location';

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
  return (await loadScenarioLocated(file, issues)).scenario;
}

/** The scenario and where each part of it is in the file (line, or sheet and row). */
export async function loadScenarioLocated(
  file: string,
  issues: IssueCollector,
): Promise<{ scenario: Scenario | null; locate?: Locate }> {
  if (/\.xlsx$/i.test(file)) return readScenarioXlsxLocated(file, issues);
  const { scenario, errors, locate } = parseScenarioText(decodeText(readFileSync(file)), file);
  for (const e of errors)
    issues.error({
      code: e.code ?? 'bca.scenario.schema',
      file,
      line: e.line,
      column: e.path,
      message: e.message,
      fix: e.fix ?? 'correct the value; the scenario keys and types are in lib/bca/README.md',
    });
  return { scenario, locate };
}

function histogram(values: number[], bins = 20) {
  if (values.length === 0) return [];
  const lo = values.reduce((a, v) => Math.min(a, v), Number.POSITIVE_INFINITY);
  const hi = values.reduce((a, v) => Math.max(a, v), Number.NEGATIVE_INFINITY);
  const w = (hi - lo) / bins || 1;
  const out = Array.from({ length: bins }, (_, i) => ({ from: lo + i * w, to: lo + (i + 1) * w, count: 0 }));
  for (const v of values) out[Math.min(bins - 1, Math.floor((v - lo) / w))]!.count++;
  return out;
}

export async function runBca(ctx: Ctx, file: string, o: RunOptions): Promise<RunOutcome> {
  const issues = new IssueCollector('bca');
  checkRunOptions(o, issues);
  // anything else would be parsed as YAML and fail with a baffling schema message
  if (!/\.(ya?ml|json|xlsx|csv)$/i.test(file))
    issues.error({
      code: 'bca.file_type',
      file,
      message: `${basename(file)} is not a scenario (.yaml, .json, .xlsx) or a ledger (.csv)`,
      fix: /\.(xls|xlsm|ods)$/i.test(file)
        ? 'save the workbook as .xlsx (Excel Workbook)'
        : 'give the file the extension of its format',
    });
  if (issues.hasErrors) return { run: null, files: [], issues, published: false };
  const bytes = readFileSync(file);
  const isLedger = /\.csv$/i.test(file);
  const params = loadParameters();
  let sc: Scenario | null = null;
  let locate: Locate | undefined;
  if (!isLedger) {
    ({ scenario: sc, locate } = await loadScenarioLocated(file, issues));
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
  // an unknown edition is the user's input to correct, not a crash
  const editionId = o.edition ?? sc?.edition;
  const known = params.editions.map((e) => e.id);
  if (editionId !== undefined && !known.includes(editionId)) {
    issues.error({
      code: 'bca.edition',
      file: o.edition ? undefined : file,
      column: o.edition ? 'edition (--edition)' : 'edition',
      value: editionId,
      message: `unknown parameter edition "${editionId}"${meant(editionId, known)}`,
      fix: `use one of ${known.join(', ')} (corridor bca editions lists them)`,
    });
    return { run: null, files: [], issues, published: false };
  }
  const ev = sc
    ? evaluateScenario(sc, fileName, issues, params, locate)
    : {
        ...evaluateLedgerCsv(file, decodeText(bytes), o, issues),
        outcomes: [],
        charges: new Map<string, Record<string, number>>(),
      };
  const { settings, ledger, results } = ev;
  // a ledger file refused as a whole (delimiter, columns, no rows) has nothing to report on
  if (isLedger && ledger.length === 0 && issues.hasErrors)
    return { run: null, files: [], issues, published: false };
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

  const { selection, heuristic, lp, fiscal, budgetScan } = await choosePortfolio(sc, ev, projects, issues);
  const chosenKeys = new Set(selection.chosen.map((c) => altKey(c.project_id, c.alternative_id)));

  // portfolio totals, incremental BCR, sensitivity, Monte Carlo
  const chosenRows = ledger.filter((r) => chosenKeys.has(altKey(r.project_id, r.alternative_id)));
  // a programmed project without complete totals leaves the portfolio's totals empty too
  const incomplete = results.filter(
    (r) => chosenKeys.has(altKey(r.project_id, r.alternative_id)) && r.npv_usd === null,
  );
  const totalId = { project_id: 'TOTAL', alternative_id: '' };
  const total = incomplete.length
    ? emptyResult(
        totalId,
        incomplete.reduce((a, r) => a + r.missing_rows, 0),
      )
    : summarise(chosenRows, settings, totalId);
  const incompleteKeys = new Set(incomplete.map((r) => altKey(r.project_id, r.alternative_id)));
  const incremental = projects
    .filter((p) => p.alternatives.length > 1)
    .map((p) => {
      const alts = results.filter((r) => r.project_id === p.id && r.benefits_pv_usd !== null);
      const left = results.filter((r) => r.project_id === p.id && r.benefits_pv_usd === null);
      if (left.length)
        issues.warn({
          code: 'bca.incremental.incomplete',
          message: `incremental BCR of ${p.id} compares only the alternatives with complete totals; ${left.map((r) => `${p.id}/${r.alternative_id}`).join(', ')} left out`,
          fix: 'complete the missing values reported above to compare every alternative',
        });
      const a = incrementalAnalysis(
        alts.map((r) => ({
          alternative_id: r.alternative_id,
          benefits: r.benefits_pv_usd!,
          costs: r.costs_pv_usd!,
        })),
      );
      return { project_id: p.id, ...a };
    });
  // an incomplete project (or portfolio) gets empty cases rather than ones missing its rejected rows
  const blankIf = (empty: boolean, r: ReturnType<typeof sensitivity>) =>
    empty
      ? {
          rows: r.rows.map((x) => ({ ...x, npv_usd: null, bcr: null })),
          switching: { benefit_multiplier: null, cost_multiplier: null },
        }
      : r;
  const sens = [
    blankIf(
      incomplete.length > 0,
      sensitivity('portfolio', chosenRows, settings, {
        discountRates: sc?.sensitivity.discount_rates,
        benefitRange: sc?.sensitivity.benefit_range,
        costRange: sc?.sensitivity.cost_range,
      }),
    ),
  ];
  for (const c of selection.chosen) {
    sens.push(
      blankIf(
        incompleteKeys.has(altKey(c.project_id, c.alternative_id)),
        sensitivity(
          `${c.project_id}/${c.alternative_id}`,
          ledger.filter((r) => r.project_id === c.project_id && r.alternative_id === c.alternative_id),
          settings,
          {
            discountRates: sc?.sensitivity.discount_rates,
            benefitRange: sc?.sensitivity.benefit_range,
            costRange: sc?.sensitivity.cost_range,
            byType: false,
          },
        ),
      ),
    );
  }
  let montecarlo: BcaRun['montecarlo'] = null;
  const riskSpec: NonNullable<Scenario['risk']> = sc?.risk ?? {
    iterations: 2000,
    seed: 1,
    benefits: [0.7, 1, 1.2],
    costs: [0.9, 1, 1.4],
  };
  // benefit parts valued with an operations default that has a published range (drawn in the MC)
  const rowsOf = new Map<string, typeof chosenRows>();
  for (const r of chosenRows) {
    const k = altKey(r.project_id, r.alternative_id);
    const g = rowsOf.get(k);
    if (g) g.push(r);
    else rowsOf.set(k, [r]);
  }
  const factors: Record<string, ImpactRange> = {};
  const mcProjects = results
    .filter((r) => chosenKeys.has(altKey(r.project_id, r.alternative_id)) && r.pv)
    .map((r) => {
      const parts = impactParts(rowsOf.get(altKey(r.project_id, r.alternative_id)) ?? []);
      for (const p of parts) factors[p.key] = p.range;
      return {
        id: `${r.project_id}/${r.alternative_id}`,
        pv: r.pv!,
        byType: r.benefits_by_type,
        ...(parts.length ? { factorParts: parts } : {}),
      };
    });
  if (riskSpec.iterations > 0 && incomplete.length > 0) {
    issues.warn({
      code: 'bca.montecarlo.incomplete',
      message: `no Monte Carlo: ${incomplete.map((r) => `${r.project_id}/${r.alternative_id}`).join(', ')} ha${incomplete.length > 1 ? 've' : 's'} no complete totals, so the portfolio's distribution cannot be drawn`,
      fix: 'fix the rows reported above and run again',
    });
  } else if (riskSpec.iterations > 0 && mcProjects.length > 0) {
    const spec = {
      iterations: riskSpec.iterations,
      seed: riskSpec.seed,
      benefits: riskSpec.benefits,
      costs: riskSpec.costs,
      ...(riskSpec.by_type ? { byType: riskSpec.by_type } : {}),
      ...(Object.keys(factors).length ? { factors } : {}),
    };
    // a by_type key that names no benefit stream of the run (a typo: "safty") would apply to nothing
    const types = new Set(mcProjects.flatMap((p) => Object.keys(p.byType ?? {})));
    const unused = Object.keys(riskSpec.by_type ?? {}).filter((t) => !types.has(t));
    if (unused.length)
      issues.warn({
        code: 'bca.risk.by_type',
        column: 'risk.by_type',
        message: `risk.by_type names ${unused.join(', ')}, which no programmed project has a benefit of${meant(unused[0]!, [...types])}; that range is not applied`,
        fix: `benefit types in this run: ${[...types].join(', ') || '(none)'}`,
      });
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
    budget_scan: budgetScan,
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

export { summaryOf } from './outputs';
