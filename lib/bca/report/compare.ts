// Scenarios side by side: headline results, selected alternative per project and spending
// against budgets, as CSV and as one accessible HTML page.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toCsv } from '../csv';
import type { BcaRun } from '../model';
import { barChart } from './charts';
import { esc, pct, ratio, selectionLabel, usd } from './format';

/** `folders`: each run's output folder (relative to the comparison), so a row leads to its files. */
export function comparisonRows(runs: BcaRun[], folders?: string[]) {
  return runs.map((r, i) => ({
    ...(folders ? { folder: folders[i] } : {}),
    scenario_id: r.scenario.id,
    title: r.scenario.title,
    edition: r.settings.edition.id,
    discount_rate: r.settings.discountRate,
    selection: r.selection.method,
    optimal: r.selection.optimal,
    projects_selected: r.selection.chosen.length,
    npv_usd: r.total.npv_usd,
    bcr: r.total.bcr,
    irr: r.total.irr,
    benefits_pv_usd: r.total.benefits_pv_usd,
    costs_pv_usd: r.total.costs_pv_usd,
    budget_usd: r.fiscal.length ? r.fiscal.reduce((s, f) => s + f.budget_usd, 0) : null,
    programmed_usd: r.fiscal.reduce((s, f) => s + f.programmed_usd, 0),
    fiscally_constrained: r.fiscal.length ? r.fiscal.every((f) => f.within_budget) : null,
  }));
}

export function writeComparison(runs: BcaRun[], out: string, folders?: string[]): string[] {
  const rows = comparisonRows(runs, folders);
  const csv = join(out, 'comparison.csv');
  writeFileSync(csv, toCsv(Object.keys(rows[0] ?? {}), rows));
  const projects = [...new Set(runs.flatMap((r) => r.projects.map((p) => p.id)))];
  const title = (id: string) => runs.flatMap((r) => r.projects).find((p) => p.id === id)?.title ?? id;
  // two inputs can share a scenario id and title: their folders tell the columns apart
  const head = runs
    .map(
      (r, i) =>
        `<th scope="col">${esc(r.scenario.title)}${folders?.[i] ? ` (<a href="${esc(`${folders[i]}/report.html`)}">${esc(folders[i]!)}</a>)` : ''}</th>`,
    )
    .join('');
  const metric = (name: string, f: (r: BcaRun) => string) =>
    `<tr><th scope="row">${esc(name)}</th>${runs.map((r) => `<td class="n">${esc(f(r))}</td>`).join('')}</tr>`;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Scenario comparison — benefit-cost analysis</title>
<style>body{font-family:system-ui,sans-serif;max-width:1040px;margin:0 auto;padding:1rem 1.5rem;color:#1a1a1a}table{border-collapse:collapse;width:100%;margin:.6rem 0 1.2rem;font-size:.9rem}caption{text-align:left;font-weight:600}th,td{border:1px solid #c8c8c8;padding:.25rem .45rem}thead th{background:#eef3f8}td.n{text-align:right}tbody th{text-align:left;font-weight:500}</style></head><body>
<h1>Scenario comparison</h1>
<main>
<figure>${barChart(
    'c-cmp',
    'Net present value and PV costs by scenario',
    'Bars compare the NPV and the PV costs of the selected portfolio in each scenario; values are in the table below.',
    runs.map((r, i) => folders?.[i] ?? r.scenario.id),
    [
      { name: 'NPV', values: runs.map((r) => r.total.npv_usd ?? 0) },
      { name: 'PV costs', values: runs.map((r) => r.total.costs_pv_usd ?? 0) },
    ],
  )}<figcaption>NPV and PV costs by scenario.</figcaption></figure>
<table><caption>Headline results</caption><thead><tr><th scope="col">Measure</th>${head}</tr></thead><tbody>
${metric('Selection', (r) => selectionLabel(r.selection))}
${metric('Net present value', (r) => usd(r.total.npv_usd))}
${metric('Benefit-cost ratio', (r) => ratio(r.total.bcr))}
${metric('Internal rate of return', (r) => pct(r.total.irr))}
${metric('PV benefits', (r) => usd(r.total.benefits_pv_usd))}
${metric('PV costs', (r) => usd(r.total.costs_pv_usd))}
${metric('Budgets (sum of rows)', (r) => usd(r.fiscal.length ? r.fiscal.reduce((s, f) => s + f.budget_usd, 0) : null))}
${metric('Programmed', (r) => usd(r.fiscal.reduce((s, f) => s + f.programmed_usd, 0)))}
${metric('Parameter edition', (r) => `${r.settings.edition.id}, ${pct(r.settings.discountRate)}`)}
</tbody></table>
<table><caption>Selected alternative by project</caption><thead><tr><th scope="col">Project</th>${head}</tr></thead><tbody>
${projects.map((id) => `<tr><th scope="row">${esc(`${id} — ${title(id)}`)}</th>${runs.map((r) => `<td>${esc(r.projects.find((p) => p.id === id)?.selected_alternative ?? '—')}</td>`).join('')}</tr>`).join('\n')}
</tbody></table>
</main></body></html>
`;
  const htmlPath = join(out, 'comparison.html');
  writeFileSync(htmlPath, html);
  return [csv, htmlPath];
}
