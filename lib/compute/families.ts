// Measure families plug in here: `corridor compute <family>`, the API and the portal list them
// from this table. A family module exports `family: ComputeFamily`.
import type { Ctx } from '../context';

export interface ComputeOptions {
  year?: number;
  date?: string;
  out?: string;
  /** Every other --flag given on the command line, as strings (or true). */
  flags: Record<string, string | boolean>;
}

export interface ComputeResult {
  /** Files written to `out` (and published under results/<family>/<run_id>/). */
  files: string[];
  summary: Record<string, unknown>;
  runId: string;
}

export interface ComputeFamily {
  name: string;
  title: string;
  summary: string;
  /** The rule or spec it implements, e.g. "23 CFR 490 Subpart E". */
  reference?: string;
  run(ctx: Ctx, opts: ComputeOptions): Promise<ComputeResult>;
}

/** Lazy loaders, so a command only imports the family it runs. */
export const families: Record<string, () => Promise<ComputeFamily>> = {
  commute_mode: async () => (await import('../measures/commute-mode')).family,
  pm3: async () => (await import('../measures/pm3/family')).family,
  congestion: async () => (await import('../measures/pm3/congestion-family')).family,
  transit: async () => (await import('../transit/transit-family')).family,
  accessibility: async () => (await import('../transit/accessibility-family')).family,
};

export async function getFamily(name: string) {
  const load = families[name];
  if (!load) throw new Error(`unknown family ${name}; known: ${Object.keys(families).join(', ')}`);
  return load();
}

/** Result families produced by other commands (not `corridor compute`), for listings. */
export const resultOnlyFamilies: Record<string, { title: string; summary: string; reference?: string }> = {
  bca: {
    title: 'Benefit-cost analysis of plan scenarios',
    summary:
      'NPV, BCR, IRR and payback per project and scenario, with the selected portfolio under the budgets',
    reference: 'USDOT Benefit-Cost Analysis Guidance for Discretionary Grant Programs',
  },
};
