// Scenario → ledger: cost rows, residual value and calculator benefits for every alternative of
// every project, then the per-alternative results and the fiscal charges used by the selection.
import type { IssueCollector } from '../ingest/issues';
import { calcCtx, effectBenefits, type Outcome } from './calculators';
import {
  buildLedger,
  type Flow,
  type LedgerRow,
  type ProjectResult,
  type RunSettings,
  summariseAll,
} from './ledger';
import { getEdition, loadParameters, type ParameterSet, type PriceIndexRow } from './params';
import { type AlternativeSpec, alternativesOf, type ProjectSpec, type Scenario } from './scenario';
import type { Candidate } from './select';
import { issueAt, type Locate, type Place, placeIn, within } from './source-location';

export interface Evaluation {
  settings: RunSettings;
  ledger: LedgerRow[];
  outcomes: Outcome[];
  results: ProjectResult[];
  /** Fiscal charges (as entered, by "year|fund") per alternative. */
  charges: Map<string, Record<string, number>>;
}

export const altKey = (p: string, a: string) => `${p}\u0000${a}`;

export function runSettings(
  s: { edition?: string; dollar_year?: number; base_year: number; discount_rate?: number },
  params: ParameterSet = loadParameters(),
): RunSettings {
  const edition = getEdition(s.edition, params);
  return {
    edition,
    dollarYear: s.dollar_year ?? edition.dollarYear,
    baseYear: s.base_year,
    discountRate: s.discount_rate ?? edition.discountRate,
    costConvention: edition.costConvention,
  };
}

function alternativeFlows(
  settings: RunSettings,
  pid: string,
  alt: AlternativeSpec,
  where: string,
  at: Place,
  issues: IssueCollector,
  outcomes: Outcome[],
  charges: Record<string, number>,
  places: Map<Flow, Place>,
): Flow[] {
  const flows: Flow[] = [];
  // each flow remembers the cost, residual or effect it came from, for the ledger's own checks
  const add = (place: Place, ...fs: Flow[]) => {
    for (const f of fs) {
      flows.push(f);
      places.set(f, place);
    }
  };
  const ids = { project_id: pid, alternative_id: alt.id };
  alt.costs.forEach((c, k) => {
    if (c.sunk) {
      issues.info({
        code: 'bca.cost.sunk',
        ...issueAt(
          within(at, 'costs', k),
          `${pid}/${alt.id}: sunk ${c.type} cost (costs[${k}]) reported but excluded from the BCA`,
        ),
      });
      return;
    }
    const ys = c.years ? range(c.years[0], c.years[1]) : [c.year!];
    if (c.amount_usd === null) {
      issues.error({
        code: 'bca.cost.missing',
        ...issueAt(
          within(at, 'costs', k, 'amount_usd'),
          `${pid}/${alt.id}: costs[${k}] has no amount; its totals stay empty`,
        ),
        fix: 'enter the amount (0 if truly zero)',
      });
    }
    for (const y of ys) {
      add(within(at, 'costs', k), {
        ...ids,
        flow: c.type,
        year: y,
        amount: c.amount_usd,
        dollar_year: c.yoe ? y : (c.dollar_year ?? settings.dollarYear),
        fund: c.fund,
        source: `${where} costs[${k}]`,
      });
      if (c.fund && c.amount_usd !== null)
        charges[`${y}|${c.fund}`] = (charges[`${y}|${c.fund}`] ?? 0) + c.amount_usd;
    }
  });
  if (alt.residual) {
    const r = alt.residual;
    if ('amount_usd' in r) {
      add(within(at, 'residual'), {
        ...ids,
        flow: 'residual',
        year: r.year,
        amount: r.amount_usd,
        dollar_year: r.dollar_year ?? settings.dollarYear,
        source: `${where} residual`,
      });
    } else {
      const used = r.end_year - r.in_service_year + 1;
      const share = Math.max(0, (r.service_life_years - used) / r.service_life_years);
      for (const f of flows.filter((x) => x.flow === 'capital')) {
        add(within(at, 'residual'), {
          ...ids,
          flow: 'residual',
          year: r.end_year,
          quantity: share,
          unit: 'remaining share of capital (straight line)',
          unit_value: f.amount,
          amount: f.amount === null ? null : f.amount * share,
          dollar_year: f.dollar_year,
          source: `${where} residual: ${r.service_life_years}-year life, ${used} years used`,
        });
      }
    }
  }
  alt.effects.forEach((e, k) => {
    const out = effectBenefits(e, calcCtx(settings.edition, issues, ids, within(at, 'effects', k)));
    add(within(at, 'effects', k), ...out.flows);
    outcomes.push(...out.outcomes);
  });
  const benefitYears = flows.filter((f) => f.flow.startsWith('benefit_')).map((f) => f.year);
  if (benefitYears.length) {
    const span = Math.max(...benefitYears) - Math.min(...benefitYears) + 1;
    if (span > settings.edition.maxOperatingYears) {
      issues.warn({
        code: 'bca.horizon',
        ...issueAt(
          at,
          `${pid}/${alt.id}: ${span} years of benefits exceed the ${settings.edition.maxOperatingYears}-year operating period of ${settings.edition.id}`,
        ),
      });
    }
  }
  return flows;
}

/**
 * Future year-of-expenditure dollars need a price level the deflator has not published yet: the
 * scenario's stated forecast extends the index year by year after its last value (and says so).
 */
export function extendIndex(
  index: PriceIndexRow[],
  forecast: Scenario['price_forecast'],
  flows: Flow[],
): PriceIndexRow[] {
  if (!forecast) return index;
  const own = index.filter((r) => r.series === 'gdp_deflator');
  const last = own.reduce<PriceIndexRow | null>((a, r) => (!a || r.year > a.year ? r : a), null);
  if (!last) return index;
  const maxYear = flows.reduce((a, f) => Math.max(a, f.dollar_year), last.year);
  const extra: PriceIndexRow[] = [];
  for (let y = last.year + 1; y <= maxYear; y++) {
    extra.push({
      series: 'gdp_deflator',
      year: y,
      value: last.value * (1 + forecast.rate) ** (y - last.year),
      verification: `projected at ${(forecast.rate * 100).toFixed(1)}%/yr after ${last.year} (scenario price_forecast)`,
      source: forecast.source,
    });
  }
  return [...index, ...extra];
}

// a plain project is its own one alternative: its costs and effects sit on the project itself
const altPlace = (top: Place, p: ProjectSpec, i: number, j: number) =>
  within(top, 'projects', i, ...(p.alternatives?.length ? ['alternatives', j] : []));

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

/**
 * `locate` finds the line (or sheet row) of a scenario path in its file, so problems found here
 * name it; without it (a scenario built in memory) they name the file and path only.
 */
export function evaluateScenario(
  sc: Scenario,
  file: string,
  issues: IssueCollector,
  params = loadParameters(),
  locate?: Locate,
): Evaluation {
  const top = placeIn(file, locate);
  const settings = runSettings(sc, params);
  const flows: Flow[] = [];
  const outcomes: Outcome[] = [];
  const charges = new Map<string, Record<string, number>>();
  const places = new Map<Flow, Place>();
  const seen = new Set<string>();
  sc.projects.forEach((p, i) => {
    if (seen.has(p.id))
      issues.error({
        code: 'bca.project.duplicate',
        ...issueAt(within(top, 'projects', i, 'id'), `project id ${p.id} appears twice`),
      });
    seen.add(p.id);
    alternativesOf(p).forEach((alt, j) => {
      const ch: Record<string, number> = {};
      const where = `${file}: projects[${i}]${p.alternatives?.length ? `.alternatives[${j}]` : ''}`;
      flows.push(
        ...alternativeFlows(settings, p.id, alt, where, altPlace(top, p, i, j), issues, outcomes, ch, places),
      );
      charges.set(altKey(p.id, alt.id), ch);
    });
  });
  const ledger = buildLedger(
    flows,
    settings,
    extendIndex(params.priceIndex, sc.price_forecast, flows),
    issues,
    (f) => places.get(f),
  );
  const results = summariseAll(ledger, settings);
  // alternatives with no flows at all still need a row
  sc.projects.forEach((p, i) => {
    alternativesOf(p).forEach((a, j) => {
      if (!results.some((r) => r.project_id === p.id && r.alternative_id === a.id)) {
        issues.warn({
          code: 'bca.alternative.empty',
          ...issueAt(altPlace(top, p, i, j), `${p.id}/${a.id} has no costs or effects`),
        });
      }
    });
  });
  return { settings, ledger, outcomes, results, charges };
}

/** Candidates for the selection: one per alternative with a computable NPV. */
export function candidatesOf(
  sc: Scenario,
  ev: Pick<Evaluation, 'results' | 'charges'>,
  issues: IssueCollector,
): Candidate[] {
  const out: Candidate[] = [];
  for (const p of sc.projects) {
    for (const a of alternativesOf(p)) {
      const r = ev.results.find((x) => x.project_id === p.id && x.alternative_id === a.id);
      if (!r || r.npv_usd === null) {
        issues.warn({
          code: 'bca.select.excluded',
          message: `${p.id}/${a.id} has no NPV (missing values) and cannot be selected`,
        });
        continue;
      }
      out.push({
        project_id: p.id,
        alternative_id: a.id,
        value: r.npv_usd,
        costs: ev.charges.get(altKey(p.id, a.id)) ?? {},
        ratio: r.bcr,
        committed: p.committed,
      });
    }
  }
  return out;
}
