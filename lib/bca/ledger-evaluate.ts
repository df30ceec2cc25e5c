// A plain ledger CSV evaluated like a scenario (one alternative per project, all programmed), and
// the checks every run applies to its command-line overrides.
import { basename } from 'node:path';
import type { IssueCollector } from '../ingest/issues';
import { altKey, runSettings } from './evaluate';
import { buildLedger, emptyResult, summariseAll } from './ledger';
import { readLedgerCsv } from './ledger-csv';
import { loadParameters } from './params';
import type { RunOptions } from './run';

/** A plain ledger CSV becomes a one-alternative-per-project scenario evaluation. */
export function evaluateLedgerCsv(file: string, text: string, o: RunOptions, issues: IssueCollector) {
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
  const { flows, rejected } = readLedgerCsv(text, basename(file), dollarYear, issues);
  // the same operating-period check a scenario gets (evaluate.ts)
  const spans = new Map<string, [number, number]>();
  for (const f of flows.filter((x) => x.flow.startsWith('benefit_'))) {
    const k = `${f.project_id}/${f.alternative_id}`;
    const [a, b] = spans.get(k) ?? [f.year, f.year];
    spans.set(k, [Math.min(a, f.year), Math.max(b, f.year)]);
  }
  for (const [k, [a, b]] of spans)
    if (b - a + 1 > settings.edition.maxOperatingYears)
      issues.warn({
        code: 'bca.horizon',
        file: basename(file),
        message: `${k}: ${b - a + 1} years of benefits (${a}–${b}) exceed the ${settings.edition.maxOperatingYears}-year operating period of ${settings.edition.id}`,
      });
  const ledger = buildLedger(flows, settings, params.priceIndex, issues);
  // a project with an unreadable row has no complete total: empty, not the sum of the rest
  const results = summariseAll(ledger, settings).map((r) => {
    const lines = rejected.get(altKey(r.project_id, r.alternative_id));
    return lines ? emptyResult(r, r.missing_rows + lines.length, r.benefits_by_type) : r;
  });
  for (const [k, lines] of rejected) {
    const [project_id, alternative_id] = k.split('\u0000') as [string, string];
    if (!results.some((r) => altKey(r.project_id, r.alternative_id) === k))
      results.push(emptyResult({ project_id, alternative_id }, lines.length));
  }
  return { settings, ledger, results };
}

/** Command-line overrides get the checks the scenario schema gives the same settings. */
export function checkRunOptions(o: RunOptions, issues: IssueCollector) {
  const r = o.discountRate;
  if (r !== undefined && !(r >= 0 && r <= 0.5)) {
    issues.error({
      code: 'bca.option',
      column: 'discount-rate',
      value: String(r),
      message: `discount rate ${r} is outside 0–0.5${r > 1 && r <= 50 ? ` (a rate of ${r}% is written ${r / 100})` : ''}`,
      fix: 'give the real discount rate as a fraction, e.g. --discount-rate 0.07',
    });
  }
  for (const [name, y] of [
    ['base-year', o.baseYear],
    ['dollar-year', o.dollarYear],
  ] as const) {
    if (y !== undefined && !(Number.isInteger(y) && y >= 1900 && y <= 2200)) {
      issues.error({
        code: 'bca.option',
        column: name,
        value: String(y),
        message: `${name} ${y} is not a four-digit calendar year`,
        fix: `give the year in full, e.g. --${name} 2026`,
      });
    }
  }
}
