// What every benefit calculator shares: the edition to value with, where problems go, and the
// years over which an annual quantity recurs (with optional compound growth).
import type { IssueCollector } from '../../ingest/issues';
import type { Flow } from '../ledger';
import { type Edition, loadParameters, type ParameterSet, type UnitValue, unitValue } from '../params';
import { issueAt, type Place } from '../source-location';

export interface CalcCtx {
  edition: Edition;
  params: ParameterSet;
  issues: IssueCollector;
  project_id: string;
  alternative_id: string;
  /** Where the effect was declared (file, path and its line), for issue messages. */
  at: Place;
}

/** A physical outcome reported beside the dollars (hours, crashes, tons), monetised or not. */
export interface Outcome {
  project_id: string;
  alternative_id: string;
  measure: string;
  year: number;
  nb: number;
  b: number;
  change: number;
  unit: string;
}

export interface CalcOut {
  flows: Flow[];
  outcomes: Outcome[];
}

export interface Recurring {
  /** First and last year (inclusive) in which the annual effect occurs. */
  years: [number, number];
  /** Compound annual growth of the quantities after the first year (e.g. 0.01). */
  growth?: number;
}

export function eachYear(r: Recurring): { year: number; scale: number }[] {
  const [a, b] = r.years;
  const out: { year: number; scale: number }[] = [];
  for (let y = a; y <= b; y++) out.push({ year: y, scale: (1 + (r.growth ?? 0)) ** (y - a) });
  return out;
}

export function calcCtx(
  edition: Edition,
  issues: IssueCollector,
  ids: { project_id: string; alternative_id: string },
  where: string | Place,
  params: ParameterSet = loadParameters(),
): CalcCtx {
  return {
    edition,
    params,
    issues,
    at: typeof where === 'string' ? { file: where, path: [] } : where,
    ...ids,
  };
}

/** Look a value up in the edition; report (once per call site) and return null when it is absent. */
export function requireValue(
  c: CalcCtx,
  category: string,
  item: string,
  year?: number,
  valueSet?: string,
): UnitValue | null {
  const v = unitValue(valueSet ?? c.edition, category, item, year, c.params);
  if (!v) {
    c.issues.error({
      code: 'bca.value.missing',
      ...issueAt(
        c.at,
        `project ${c.project_id}: ${valueSet ?? c.edition.id} lists no ${category} value for "${item}"${year ? ` in ${year}` : ''}; the benefit is left unvalued (not zero)`,
      ),
      fix: 'choose an edition that lists it, or give the unit value explicitly in the effect with its source',
    });
  }
  return v;
}

export const emptyOut = (): CalcOut => ({ flows: [], outcomes: [] });
