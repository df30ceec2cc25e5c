// Safety benefits from crash history × CMF by severity (research/bca.md §4): avoided = N_sev ×
// (1 − CMF_sev), valued with a value of the SAME basis as the counts. USDOT Table A-1 KABCO values
// are per injured person; crash records count crashes by maximum severity. Crash counts are only
// valued with per-crash values (the edition's fatal/injury/PDO crash rows, or FHWA-SA-25-021 per
// crash by KABCO); person counts only with per-person values. Mixing them is refused.
import { issueAt } from '../source-location';
import { type CalcCtx, type CalcOut, eachYear, emptyOut, type Recurring, requireValue } from './common';

export const SEVERITIES = ['K', 'A', 'B', 'C', 'O', 'U'] as const;
export type Severity = (typeof SEVERITIES)[number];
type BySeverity = Partial<Record<Severity, number>>;

export interface SafetyEffect extends Recurring {
  kind: 'safety';
  /** What the counts count: crashes by maximum severity, or injured persons by KABCO. */
  basis: 'crash' | 'person';
  /** Expected annual counts without the project (e.g. 3-5 year observed average or EB estimate). */
  counts_nb: BySeverity;
  /** One CMF for all severities, one per severity, or several countermeasures to combine. */
  cmf: number | BySeverity | number[];
  /** How several CMFs combine: HSM product (independence) or only the most effective one. */
  combine?: 'multiply' | 'most_effective';
  /** Per-crash value set when basis is crash: the edition's fatal/injury/PDO rows, or FHWA-SA-25-021. */
  crash_values?: 'edition' | 'fhwa-sa-25-021';
  cmf_source?: string;
}

const CRASH_ITEM: Record<Severity, string> = {
  K: 'fatal',
  A: 'injury',
  B: 'injury',
  C: 'injury',
  O: 'pdo',
  U: 'injury',
};

export function cmfFor(e: SafetyEffect, sev: Severity): number | null {
  if (typeof e.cmf === 'number') return e.cmf;
  if (Array.isArray(e.cmf)) {
    if (e.cmf.length === 0) return null;
    return (e.combine ?? 'multiply') === 'multiply' ? e.cmf.reduce((a, b) => a * b, 1) : Math.min(...e.cmf);
  }
  return e.cmf[sev] ?? null;
}

export function safetyBenefits(e: SafetyEffect, c: CalcCtx): CalcOut {
  const out = emptyOut();
  for (const sev of SEVERITIES) {
    const n = e.counts_nb[sev];
    if (n === undefined || n === 0) continue;
    const cmf = cmfFor(e, sev);
    if (cmf === null || !(cmf >= 0)) {
      c.issues.error({
        code: 'bca.safety.cmf',
        ...issueAt(c.at, `project ${c.project_id}: no CMF for severity ${sev}`),
      });
    }
    let value = null as ReturnType<typeof requireValue>;
    if (e.basis === 'person') {
      value = requireValue(c, 'kabco_person', sev);
    } else if (e.crash_values === 'fhwa-sa-25-021') {
      value = requireValue(c, 'per_crash_kabco', sev, undefined, 'fhwa-sa-25-021');
    } else {
      value = requireValue(c, 'per_crash', CRASH_ITEM[sev]);
      if (!value) {
        c.issues.info({
          code: 'bca.safety.basis',
          ...issueAt(
            c.at,
            `${c.edition.id} lists per-person KABCO values only; they are not applied to crash counts`,
          ),
          fix: 'convert crashes to injured persons (basis: person) or set crash_values: fhwa-sa-25-021',
        });
      }
    }
    if (value && e.basis === 'crash' && !/per crash/.test(value.unit))
      throw new Error(`per-crash value expected, got ${value.unit}`);
    if (value && e.basis === 'person' && /per crash/.test(value.unit))
      throw new Error(`per-person value expected, got ${value.unit}`);
    for (const { year, scale } of eachYear(e)) {
      const nb = n * scale;
      const b = cmf === null ? Number.NaN : nb * cmf;
      const avoided = nb - b;
      out.flows.push({
        project_id: c.project_id,
        alternative_id: c.alternative_id,
        flow: 'benefit_safety',
        year,
        quantity_nb: nb,
        quantity_b: b,
        quantity: avoided,
        unit: e.basis === 'crash' ? `${sev} crashes` : `${sev} persons`,
        unit_value: value?.value ?? null,
        amount: value && cmf !== null ? avoided * value.value : null,
        dollar_year: value?.dollarYear ?? c.edition.dollarYear,
        source: `CMF ${cmf}${e.cmf_source ? ` (${e.cmf_source})` : ''}; ${value ? `${value.editionId} ${value.category} ${value.item} (${value.locator})` : 'no value'}`,
      });
      out.outcomes.push({
        project_id: c.project_id,
        alternative_id: c.alternative_id,
        measure: e.basis === 'crash' ? `crashes_avoided_${sev}` : `persons_avoided_${sev}`,
        year,
        nb,
        b,
        change: avoided,
        unit: e.basis === 'crash' ? 'crashes' : 'persons',
      });
    }
  }
  return out;
}
