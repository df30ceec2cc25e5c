// A plain ledger CSV for users whose benefits come from a travel model:
// project_id,year,flow,amount_usd[,dollar_year][,alternative_id][,fund]. Every bad cell is an
// issue with its line; a blank amount stays missing (null), never zero.
import type { IssueCollector } from '../ingest/issues';
import { csvRecords } from './csv';
import { type Flow, flowClass } from './ledger';

export function readLedgerCsv(
  text: string,
  file: string,
  defaultDollarYear: number,
  issues: IssueCollector,
): Flow[] {
  const recs = csvRecords(text);
  const first = recs[0]?.values ?? {};
  for (const col of ['project_id', 'year', 'flow', 'amount_usd']) {
    if (!(col in first)) {
      issues.error({
        code: 'bca.ledger.column',
        file,
        column: col,
        message: `missing column ${col}`,
        fix: 'columns: project_id,year,flow,amount_usd[,dollar_year]',
      });
    }
  }
  if (issues.hasErrors) return [];
  const flows: Flow[] = [];
  for (const { line, values: v } of recs) {
    const year = Number(v.year);
    if (!Number.isInteger(year) || year < 1900 || year > 2200) {
      issues.error({
        code: 'bca.ledger.year',
        file,
        line,
        column: 'year',
        value: v.year,
        message: 'year is not a calendar year',
      });
      continue;
    }
    const flow = (v.flow ?? '').toLowerCase();
    if (!flowClass(flow)) {
      issues.error({
        code: 'bca.ledger.flow',
        file,
        line,
        column: 'flow',
        value: v.flow,
        message: `unknown flow "${v.flow}"`,
        fix: 'use capital, om, rehab, residual or benefit_<name>',
      });
      continue;
    }
    if (!v.project_id) {
      issues.error({
        code: 'bca.ledger.project',
        file,
        line,
        column: 'project_id',
        message: 'project_id is blank',
      });
      continue;
    }
    let amount: number | null = null;
    if (v.amount_usd === '' || v.amount_usd === undefined) {
      issues.error({
        code: 'bca.ledger.missing_amount',
        file,
        line,
        column: 'amount_usd',
        message: `${v.project_id} ${flow} ${year}: amount is blank; the project's totals are left empty rather than counting it as zero`,
        fix: 'enter the amount (0 if it truly is zero)',
      });
    } else {
      amount = Number(v.amount_usd.replaceAll(',', '').replace(/^\$/, ''));
      if (!Number.isFinite(amount)) {
        issues.error({
          code: 'bca.ledger.amount',
          file,
          line,
          column: 'amount_usd',
          value: v.amount_usd,
          message: 'amount is not a number',
        });
        amount = null;
      }
    }
    const dy = v.dollar_year ? Number(v.dollar_year) : defaultDollarYear;
    if (!Number.isInteger(dy)) {
      issues.error({
        code: 'bca.ledger.dollar_year',
        file,
        line,
        column: 'dollar_year',
        value: v.dollar_year,
        message: 'dollar_year is not a year',
      });
      continue;
    }
    flows.push({
      project_id: v.project_id,
      alternative_id: v.alternative_id || 'build',
      flow,
      year,
      amount,
      dollar_year: dy,
      fund: v.fund || undefined,
      source: `${file}:${line}`,
    });
  }
  return flows;
}
