// The scenario report as an Excel workbook (exceljs): summary, projects, the full ledger,
// fiscal constraint, sensitivity, Monte Carlo, outcomes, unit values, issues and lineage — values
// a reviewer can re-total, one table per sheet with a frozen header row.
import ExcelJS from 'exceljs';
import type { BcaRun } from '../model';
import { MC_COLUMNS } from '../montecarlo';
import { mcDescription, selectionLabel } from './format';

function sheet(
  wb: ExcelJS.Workbook,
  name: string,
  columns: { header: string; key: string; width?: number; fmt?: string }[],
  rows: Record<string, unknown>[],
) {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({
    header: c.header,
    key: c.key,
    width: c.width ?? Math.max(12, c.header.length + 2),
    style: c.fmt ? { numFmt: c.fmt } : {},
  }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(Object.fromEntries(columns.map((c) => [c.key, r[c.key] ?? null])));
  return ws;
}

const USD = '"$"#,##0;[Red]-"$"#,##0';

export async function writeXlsxReport(run: BcaRun, path: string) {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Corridor';
  wb.created = new Date(run.created_at);
  const s = run.settings;
  const t = run.total;
  sheet(
    wb,
    'Summary',
    [
      { header: 'Measure', key: 'k', width: 40 },
      { header: 'Value', key: 'v', width: 70 },
    ],
    [
      { k: 'Scenario', v: `${run.scenario.title} (${run.scenario.id})` },
      { k: 'Selection', v: selectionLabel(run.selection) },
      { k: 'Net present value (USD)', v: t.npv_usd },
      { k: 'Benefit-cost ratio', v: t.bcr },
      { k: 'PV benefits, BCR numerator (USD)', v: t.benefits_pv_usd },
      { k: 'PV costs, BCR denominator (USD)', v: t.costs_pv_usd },
      { k: 'Internal rate of return', v: t.irr },
      { k: 'Discounted payback year', v: t.payback_year },
      { k: 'Parameter edition', v: `${s.edition.title} (${s.edition.id})` },
      { k: 'Dollar year', v: s.dollarYear },
      { k: 'Discount base year', v: s.baseYear },
      { k: 'Real discount rate', v: s.discountRate },
      { k: 'BCR cost convention', v: s.costConvention },
      {
        k: 'BCR-ranked heuristic net benefit (USD, comparison only)',
        v: run.heuristic?.objective_npv_usd ?? null,
      },
      ...(run.montecarlo ? [{ k: 'Monte Carlo (sheet MonteCarlo)', v: mcDescription(run.montecarlo) }] : []),
      { k: 'Errors', v: run.issues.filter((i) => i.severity === 'error').length },
    ],
  );
  const sel = new Map(run.selection.chosen.map((c) => [c.project_id, c.alternative_id]));
  sheet(
    wb,
    'Projects',
    [
      { header: 'project_id', key: 'project_id' },
      { header: 'title', key: 'title', width: 36 },
      { header: 'alternative_id', key: 'alternative_id' },
      { header: 'selected', key: 'selected' },
      { header: 'benefits_pv_usd', key: 'benefits_pv_usd', fmt: USD },
      { header: 'costs_pv_usd', key: 'costs_pv_usd', fmt: USD },
      { header: 'npv_usd', key: 'npv_usd', fmt: USD },
      { header: 'bcr', key: 'bcr', fmt: '0.00' },
      { header: 'irr', key: 'irr', fmt: '0.0%' },
      { header: 'payback_year', key: 'payback_year' },
    ],
    run.results.map((r) => ({
      ...r,
      title: run.projects.find((p) => p.id === r.project_id)?.title,
      selected: sel.get(r.project_id) === r.alternative_id,
    })),
  );
  sheet(
    wb,
    'Ledger',
    [
      { header: 'project_id', key: 'project_id' },
      { header: 'alternative_id', key: 'alternative_id' },
      { header: 'flow', key: 'flow', width: 20 },
      { header: 'year', key: 'year', width: 8 },
      { header: 'quantity_nb', key: 'quantity_nb', fmt: '#,##0.000' },
      { header: 'quantity_b', key: 'quantity_b', fmt: '#,##0.000' },
      { header: 'quantity', key: 'quantity', fmt: '#,##0.000' },
      { header: 'unit', key: 'unit', width: 24 },
      { header: 'unit_value', key: 'unit_value', fmt: '#,##0.00' },
      { header: 'amount', key: 'amount', fmt: USD },
      { header: 'dollar_year', key: 'dollar_year' },
      { header: 'price_factor', key: 'price_factor', fmt: '0.0000' },
      { header: 'amount_real', key: 'amount_real', fmt: USD },
      { header: 'discount_factor', key: 'discount_factor', fmt: '0.000000' },
      { header: 'pv', key: 'pv', fmt: USD },
      { header: 'fund', key: 'fund' },
      { header: 'source', key: 'source', width: 60 },
    ],
    run.ledger as unknown as Record<string, unknown>[],
  );
  if (run.fiscal.length) {
    sheet(
      wb,
      'Fiscal',
      ['year', 'fund', 'budget_usd', 'programmed_usd', 'remaining_usd', 'within_budget', 'requested_usd'].map(
        (k) => ({ header: k, key: k, fmt: k.endsWith('usd') ? USD : undefined }),
      ),
      run.fiscal as unknown as Record<string, unknown>[],
    );
  }
  if (run.budget_scan.length) {
    sheet(
      wb,
      'BudgetScan',
      ['budget_scale', 'npv_usd', 'projects_selected', 'optimal', 'marginal_npv_per_budget_usd'].map((k) => ({
        header: k,
        key: k,
        fmt: k === 'npv_usd' ? USD : undefined,
      })),
      run.budget_scan as unknown as Record<string, unknown>[],
    );
  }
  sheet(
    wb,
    'Sensitivity',
    [
      { header: 'scope', key: 'scope', width: 24 },
      { header: 'case', key: 'case', width: 24 },
      { header: 'discount_rate', key: 'discount_rate', fmt: '0.0%' },
      { header: 'npv_usd', key: 'npv_usd', fmt: USD },
      { header: 'bcr', key: 'bcr', fmt: '0.00' },
    ],
    run.sensitivity as unknown as Record<string, unknown>[],
  );
  if (run.montecarlo) {
    sheet(
      wb,
      'MonteCarlo',
      [...MC_COLUMNS].map((k) => ({
        header: k,
        key: k,
        fmt: k.startsWith('npv') ? USD : k.startsWith('bcr') ? '0.00' : undefined,
      })),
      [...run.montecarlo.projects, run.montecarlo.portfolio] as unknown as Record<string, unknown>[],
    );
  }
  if (run.outcomes.length)
    sheet(
      wb,
      'Outcomes',
      ['project_id', 'alternative_id', 'measure', 'year', 'nb', 'b', 'change', 'unit'].map((k) => ({
        header: k,
        key: k,
      })),
      run.outcomes as unknown as Record<string, unknown>[],
    );
  sheet(
    wb,
    'UnitValues',
    ['category', 'item', 'value', 'unit', 'dollar_year', 'locator', 'verification', 'source'].map((k) => ({
      header: k,
      key: k,
      width: k === 'source' ? 70 : undefined,
    })),
    run.unit_values_used as unknown as Record<string, unknown>[],
  );
  sheet(
    wb,
    'Issues',
    ['severity', 'code', 'file', 'line', 'column', 'message', 'fix'].map((k) => ({
      header: k,
      key: k,
      width: k === 'message' ? 80 : undefined,
    })),
    run.issues as unknown as Record<string, unknown>[],
  );
  sheet(
    wb,
    'Lineage',
    [
      { header: 'item', key: 'k', width: 20 },
      { header: 'value', key: 'v', width: 100 },
    ],
    Object.entries(run.lineage).map(([k, v]) => ({ k, v: typeof v === 'string' ? v : JSON.stringify(v) })),
  );
  await wb.xlsx.writeFile(path);
}
