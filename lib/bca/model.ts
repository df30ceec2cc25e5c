// The complete result of one BCA run: what the CLI writes, the reports render and the catalog
// publishes. Plain data, so every report format reads the same thing.
import type { Lineage } from '../catalog';
import type { Issue } from '../ingest/issues';
import type { Outcome } from './calculators';
import type { IncrementStep } from './incremental';
import type { LedgerRow, ProjectResult, RunSettings } from './ledger';
import type { McSpec, McStats } from './montecarlo';
import type { SensitivityRow } from './sensitivity';

export interface ProjectInfo {
  id: string;
  title: string;
  sponsor?: string;
  category?: string;
  committed: boolean;
  alternatives: { id: string; title: string }[];
  selected_alternative: string | null;
  unquantified: string[];
}

export interface SelectionInfo {
  method: 'milp_highs' | 'greedy_bcr' | 'as_listed' | 'unconstrained';
  optimal: boolean;
  status: string;
  objective_npv_usd: number;
  seconds: number;
  /** Relative gap to the proven bound (0 when optimal), when an integer program was solved. */
  mip_gap?: number | null;
  chosen: { project_id: string; alternative_id: string }[];
}

export interface FiscalRow {
  year: number;
  fund: string;
  budget_usd: number;
  programmed_usd: number;
  remaining_usd: number;
  within_budget: boolean;
  /** Spending if every project's first alternative were programmed (the unconstrained wish list). */
  requested_usd: number;
}

/** The same selection re-solved with every budget row scaled (marginal value of budget). */
export interface BudgetScanRow {
  budget_scale: number;
  npv_usd: number;
  projects_selected: number;
  optimal: boolean;
  /** Change in portfolio NPV per dollar of change in total budget. */
  marginal_npv_per_budget_usd: number;
}

export interface BcaRun {
  source: { kind: 'scenario' | 'ledger_csv'; file: string; sha256: string };
  scenario: { id: string; title: string; description?: string; agency?: string };
  settings: RunSettings;
  created_at: string;
  issues: Issue[];
  ledger: LedgerRow[];
  outcomes: Outcome[];
  results: ProjectResult[];
  projects: ProjectInfo[];
  selection: SelectionInfo;
  heuristic: SelectionInfo | null;
  fiscal: FiscalRow[];
  budget_scan: BudgetScanRow[];
  incremental: { project_id: string; preferred: string; steps: IncrementStep[] }[];
  total: ProjectResult;
  sensitivity: SensitivityRow[];
  switching: { scope: string; benefit_multiplier: number | null; cost_multiplier: number | null }[];
  montecarlo: {
    spec: McSpec;
    source: string;
    projects: McStats[];
    portfolio: McStats;
    histogram: { from: number; to: number; count: number }[];
  } | null;
  unit_values_used: {
    category: string;
    item: string;
    value: number;
    unit: string;
    dollar_year: number | null;
    locator: string;
    verification: string;
    source: string;
  }[];
  lineage: Lineage;
}
