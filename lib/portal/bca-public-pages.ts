// Public pages of published benefit-cost analyses: the list and one report with its downloads.
// Only runs in results/bca are here; staff runs appear once someone publishes them.
import { basename } from 'node:path';
import { html } from 'hono/html';
import type { Lineage } from '../catalog';
import type { ResultRun } from '../catalog/results';
import { type BcaSummary, downloadList, lineageHtml, ratio, summaryHtml, usd } from './bca-summary';
import { fmtDate, page } from './layout';

export const publicFileUrl = (run: string, name: string) =>
  `/bca/${encodeURIComponent(run)}/${encodeURIComponent(name)}`;

export function reportsPage(runs: ResultRun[], user?: string) {
  return page(
    { title: 'Benefit-cost analyses', user },
    html`<h1>Benefit-cost analyses</h1>
<p>Published analyses of transportation projects and programs: net present value, benefit-cost ratio and the selected
portfolio within the budgets, each with its full report, the year-by-year ledger and the lineage (scenario file hash,
parameter edition and code version). Also as JSON: <a href="/api/v1/bca/reports">/api/v1/bca/reports</a>.
The values every analysis can use, with their sources: <a href="/bca/parameters">benefit-cost parameters</a>.</p>
${
  runs.length
    ? html`<div class="scroll"><table><caption>${runs.length} published analysis run(s), newest first</caption>
<thead><tr><th scope="col">Scenario</th><th scope="col">Run on</th><th scope="col">Parameters</th><th scope="col" class="num">NPV</th><th scope="col" class="num">BCR</th></tr></thead>
<tbody>${runs.map((r) => {
        const s = r.summary as BcaSummary;
        return html`<tr><td><a href="/bca/${r.run_id}">${s.title ?? r.key}</a></td><td>${fmtDate(r.created_at)}</td><td>${s.edition ?? '—'}</td><td class="num">${usd(s.total?.npv_usd)}</td><td class="num">${ratio(s.total?.bcr)}</td></tr>`;
      })}</tbody></table></div>`
    : html`<p>No analysis has been published yet.</p>`
}`,
  );
}

export function reportPage(r: ResultRun, lineage: Lineage | null, user?: string) {
  const s = r.summary as BcaSummary;
  const files = [...r.files.map((k) => basename(k)), 'lineage.json'].map((name) => ({
    name,
    url: publicFileUrl(r.run_id, name),
  }));
  return page(
    { title: s.title ?? r.key, user },
    html`<p><a href="/bca">Benefit-cost analyses</a> › ${r.key}</p>
<h1>${s.title ?? r.key}</h1>
<p class="muted">Run <code>${r.run_id}</code> on ${fmtDate(r.created_at)}.</p>
${summaryHtml(s)}
<h2>Reports and data</h2>
${downloadList(files)}
${lineageHtml(lineage)}`,
  );
}
