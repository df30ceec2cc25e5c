// A plain ledger CSV for users whose benefits come from a travel model:
// project_id,year,flow,amount_usd[,dollar_year][,alternative_id][,fund]. Every bad cell is an
// issue with its line, column and what to do; a blank amount stays missing (null), never zero;
// a row that cannot be read at all is listed in `rejected` so its project's totals stay empty
// instead of silently leaving the row out.
import type { IssueCollector } from '../ingest/issues';
import { didYouMean, meant, parseUsd } from './cells';
import { columnName, csvRecords, parseCsv } from './csv';
import { type Flow, flowClass } from './ledger';

const REQUIRED = ['project_id', 'year', 'flow', 'amount_usd'] as const;
const OPTIONAL = ['dollar_year', 'alternative_id', 'fund'] as const;
const KNOWN: readonly string[] = [...REQUIRED, ...OPTIONAL];
// pandas writes a year column holding any blank as floats: 2027.0 is still the year 2027
const YEAR = /^\d{4}(\.0+)?$/;
const COLUMNS = 'project_id,year,flow,amount_usd[,dollar_year][,alternative_id][,fund]';

export interface LedgerCsv {
  flows: Flow[];
  /** Lines that could not become a ledger row, by "project\0alternative". */
  rejected: Map<string, number[]>;
}

/** The header is checked on its own: a wrong delimiter, a misspelt or missing column. */
function checkHeader(header: string[], file: string, issues: IssueCollector): boolean {
  const names = header.map(columnName);
  if (names.length === 1 && /[;\t|]/.test(names[0]!)) {
    const d = names[0]!.match(/[;\t|]/)![0];
    issues.error({
      code: 'bca.ledger.delimiter',
      file,
      line: 1,
      message: `the columns are separated by "${d === '\t' ? 'tab' : d}", not commas`,
      fix: `save the file as "CSV UTF-8 (comma delimited)" (columns: ${COLUMNS}); write decimals with a point`,
    });
    return false;
  }
  let ok = true;
  for (const n of names) {
    if (n === '' || KNOWN.includes(n)) continue;
    const m = didYouMean(n, KNOWN);
    // a near miss of a ledger column means its values would be ignored: refuse; else just say so
    if (m && !names.includes(m) && !(REQUIRED as readonly string[]).includes(m)) {
      ok = false;
      issues.error({
        code: 'bca.ledger.column',
        file,
        line: 1,
        column: n,
        message: `column "${n}" is not a ledger column${meant(n, KNOWN)} (its values would be ignored)`,
        fix: `rename the column; columns: ${COLUMNS}`,
      });
    } else {
      issues.warn({
        code: 'bca.ledger.column.ignored',
        file,
        line: 1,
        column: n,
        message: `column "${n}" is not used`,
        fix: `columns read: ${COLUMNS}`,
      });
    }
  }
  for (const col of REQUIRED) {
    if (names.includes(col)) continue;
    ok = false;
    const near = names.find((n) => didYouMean(n, [col]) === col);
    issues.error({
      code: 'bca.ledger.column',
      file,
      line: 1,
      column: col,
      message: `missing column ${col}${near ? ` (found "${near}": rename it to ${col})` : ''}`,
      fix: `columns: ${COLUMNS}`,
    });
  }
  return ok;
}

export function readLedgerCsv(
  text: string,
  file: string,
  defaultDollarYear: number,
  issues: IssueCollector,
): LedgerCsv {
  const rejected = new Map<string, number[]>();
  const [header] = parseCsv(text);
  if (!header || !checkHeader(header, file, issues)) return { flows: [], rejected };
  const recs = csvRecords(text, columnName);
  if (recs.length === 0) {
    issues.error({
      code: 'bca.ledger.empty',
      file,
      message: 'the file has a header but no rows',
      fix: `add one row per project, flow and year (${COLUMNS})`,
    });
    return { flows: [], rejected };
  }
  const flows: Flow[] = [];
  const seen = new Map<string, number>();
  for (const { line, values: v } of recs) {
    const alt = v.alternative_id || 'build';
    const reject = (i: Parameters<IssueCollector['error']>[0]) => {
      issues.error({ file, line, ...i });
      if (v.project_id) {
        const k = `${v.project_id}\u0000${alt}`;
        rejected.set(k, [...(rejected.get(k) ?? []), line]);
      }
    };
    if (!v.project_id) {
      // without a project the row belongs to no total; it is still an error that stops publishing
      issues.error({
        code: 'bca.ledger.project',
        file,
        line,
        column: 'project_id',
        message: 'project_id is blank',
        fix: 'enter the project id the amount belongs to',
      });
      continue;
    }
    const year = Number(v.year);
    if (!YEAR.test(v.year ?? '') || year < 1900 || year > 2200) {
      reject({
        code: 'bca.ledger.year',
        column: 'year',
        value: v.year,
        message: `year "${v.year}" is not a calendar year (1900–2200)`,
        fix: 'enter the four-digit year in which the amount occurs (end-of-year convention)',
      });
      continue;
    }
    const flow = (v.flow ?? '').toLowerCase();
    if (!flowClass(flow)) {
      reject({
        code: 'bca.ledger.flow',
        column: 'flow',
        value: v.flow,
        message: `unknown flow "${v.flow}"${meant(flow, ['capital', 'om', 'rehab', 'residual'])}`,
        fix: 'use capital, om, rehab, residual or benefit_<name> (e.g. benefit_travel_time)',
      });
      continue;
    }
    let dy = defaultDollarYear;
    if (v.dollar_year) {
      dy = Number(v.dollar_year);
      if (!YEAR.test(v.dollar_year)) {
        reject({
          code: 'bca.ledger.dollar_year',
          column: 'dollar_year',
          value: v.dollar_year,
          message: `dollar_year "${v.dollar_year}" is not a year`,
          fix: `enter the four-digit year whose dollars the amount is in, or leave it blank for ${defaultDollarYear}`,
        });
        continue;
      }
    }
    const key = [v.project_id, alt, flow, year, v.fund ?? '', dy].join('\u0000');
    const first = seen.get(key);
    if (first !== undefined) {
      reject({
        code: 'bca.ledger.duplicate',
        value: `${v.project_id} ${flow} ${year}`,
        message: `${v.project_id} ${flow} ${year} is already on line ${first}: the amount would be counted twice`,
        fix: 'combine the two rows into one (sum the amounts) or delete the repeated line',
      });
      continue;
    }
    seen.set(key, line);
    let amount: number | null = null;
    if (!v.amount_usd) {
      issues.error({
        code: 'bca.ledger.missing_amount',
        file,
        line,
        column: 'amount_usd',
        message: `${v.project_id} ${flow} ${year}: amount is blank; the project's totals are left empty rather than counting it as zero`,
        fix: 'enter the amount (0 if it truly is zero)',
      });
    } else {
      const p = parseUsd(v.amount_usd);
      if ('error' in p) {
        issues.error({
          code: 'bca.ledger.amount',
          file,
          line,
          column: 'amount_usd',
          value: v.amount_usd,
          message: `${v.project_id} ${flow} ${year}: ${p.error}; the project's totals are left empty`,
          fix: 'write the amount in US dollars as a plain number, e.g. 1234.50 or "$1,234.50"',
        });
      } else if ((flow === 'capital' || flow === 'residual') && p.value < 0) {
        // a cash-flow sign convention (costs negative) would turn the cost into a gain here; a
        // residual is what the asset is still worth at the end, so a negative one is a sign error too
        issues.error({
          code: 'bca.ledger.sign',
          file,
          line,
          column: 'amount_usd',
          value: v.amount_usd,
          message:
            flow === 'capital'
              ? `${v.project_id} capital ${year}: a negative capital cost would raise the NPV; the project's totals are left empty`
              : `${v.project_id} residual ${year}: a residual is the positive value left at the end of the analysis; a negative one would count as a cost, so the project's totals are left empty`,
          fix:
            flow === 'capital'
              ? 'enter costs as positive amounts (a saving belongs in a benefit_ flow or as a negative om)'
              : 'enter the residual as a positive amount (a removal or disposal cost belongs in an om or rehab row)',
        });
      } else amount = p.value;
    }
    flows.push({
      project_id: v.project_id,
      alternative_id: alt,
      flow,
      year,
      amount,
      dollar_year: dy,
      fund: v.fund || undefined,
      source: `${file}:${line}`,
    });
  }
  return { flows, rejected };
}
