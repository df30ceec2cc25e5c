// Staff pages for BCA runs: the list (who ran what, when, with which edition; published or not),
// one run (its results, reports, lineage and the publish button) and two runs side by side.
import { html } from 'hono/html';
import type { StaffBcaRun } from '../api/staff-bca-store';
import type { Principal } from '../auth/principal';
import type { ResultRun } from '../catalog/results';
import { type BcaSummary, downloadList, lineageHtml, ratio, summaryHtml, usd } from './bca-summary';
import { fmtPct, page } from './layout';

const when = (iso: string) => iso.replace('T', ' ').slice(0, 16);
export const staffFileUrl = (run: string, name: string) =>
  `/api/v1/staff/bca/runs/${encodeURIComponent(run)}/files/${encodeURIComponent(name)}`;

export function runsPage(who: Principal, runs: StaffBcaRun[], cliRuns: ResultRun[], canRun: boolean) {
  const options = [
    ...runs.map((r) => ({ v: r.run_id, t: `${r.title} — ${when(r.created_at)}` })),
    ...cliRuns.map((r) => ({
      v: `published:${r.run_id}`,
      t: `${String(r.summary.title ?? r.key)} — ${when(r.created_at)} (published)`,
    })),
  ];
  return page(
    { title: 'Scenario runs', user: who.user },
    html`<p><a href="/staff">Staff</a> › Scenario runs</p><h1>Benefit-cost scenario runs</h1>
${canRun ? html`<p><a href="/staff/bca">Build and run a scenario</a></p>` : ''}
<div class="scroll"><table><caption>${runs.length} run(s) from the staff area, newest first</caption>
<thead><tr><th scope="col">Scenario</th><th scope="col">Run by</th><th scope="col">When (UTC)</th><th scope="col">Edition</th><th scope="col" class="num">NPV</th><th scope="col" class="num">BCR</th><th scope="col">Public</th><th scope="col">Lineage and downloads</th></tr></thead>
<tbody>${runs.map(
      (r) =>
        html`<tr><td><a href="/staff/bca/runs/${r.run_id}">${r.title}</a><br><span class="muted">${r.source}</span></td><td>${r.user} (${r.role})</td><td>${when(r.created_at)}</td><td>${r.edition}, ${fmtPct(r.discount_rate)}</td><td class="num">${usd(r.npv_usd)}</td><td class="num">${ratio(r.bcr)}</td><td>${r.published ? html`<a href="/bca/${r.run_id}">Yes</a>` : 'No'}</td><td><a href="${staffFileUrl(r.run_id, 'lineage.json')}">lineage</a> · <a href="${staffFileUrl(r.run_id, 'report.html')}">report</a> · <a href="${staffFileUrl(r.run_id, 'report.pdf')}">PDF</a> · <a href="${staffFileUrl(r.run_id, 'report.xlsx')}">Excel</a> · <a href="${staffFileUrl(r.run_id, 'ledger.csv')}">ledger</a></td></tr>`,
    )}</tbody></table></div>
${
  cliRuns.length
    ? html`<h2>Published from the command line or the demo</h2><ul>${cliRuns.map((r) => html`<li><a href="/bca/${r.run_id}">${String(r.summary.title ?? r.key)}</a> (${when(r.created_at)})</li>`)}</ul>`
    : ''
}
${
  options.length > 1
    ? html`<h2 id="compare-h">Compare two runs</h2>
<form method="get" action="/staff/bca/compare" class="search" aria-labelledby="compare-h">
<div><label for="cmp-a">First run</label><select id="cmp-a" name="a">${options.map((x, i) => html`<option value="${x.v}" ${i === 0 ? html`selected` : ''}>${x.t}</option>`)}</select></div>
<div><label for="cmp-b">Second run</label><select id="cmp-b" name="b">${options.map((x, i) => html`<option value="${x.v}" ${i === 1 ? html`selected` : ''}>${x.t}</option>`)}</select></div>
<button type="submit">Compare</button></form>`
    : ''
}`,
  );
}

export function runPage(who: Principal, r: StaffBcaRun, canPublish: boolean, notice?: string) {
  return page(
    { title: r.title, user: who.user },
    html`<p><a href="/staff">Staff</a> › <a href="/staff/bca/runs">Scenario runs</a> › ${r.scenario_id}</p>
<h1>${r.title}</h1>
${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
<p>Run <code>${r.run_id}</code> by ${r.user} (${r.role}) on ${when(r.created_at)} UTC, from ${r.source}.
${r.published ? html`Published on ${when(r.published.at)} by ${r.published.user}: <a href="/bca/${r.run_id}">public report page</a>.` : 'Not public: only staff can see it.'}</p>
${summaryHtml(r.summary as BcaSummary)}
<h2>Reports and data</h2>
${downloadList(r.files.map((name) => ({ name, url: staffFileUrl(r.run_id, name) })))}
${lineageHtml(r.lineage)}
${
  r.issues.length
    ? html`<details><summary>${r.issues.length} note(s) from the analysis</summary><ul>${r.issues.map((i) => html`<li>${i.severity}: ${i.message} <code>${i.code}</code></li>`)}</ul></details>`
    : ''
}
${
  canPublish && !r.published
    ? html`<h2 id="publish-h">Publish</h2><form method="post" action="/staff/bca/runs/${r.run_id}/publish" aria-labelledby="publish-h">
<p>Publishing puts this run's reports on the public site and in the API (<code>/bca</code>, <code>/api/v1/bca/reports</code>). It is recorded in the audit log.</p>
<button type="submit">Publish this run</button></form>`
    : ''
}
${r.input_file && !r.input_file.endsWith('.csv') ? html`<p><a href="/staff/bca?from=run:${r.run_id}">Start a new scenario from a copy of this one</a></p>` : ''}`,
  );
}

export interface CompareSide {
  run_id: string;
  title: string;
  created_at: string;
  summary: BcaSummary;
}

export function comparePage(who: Principal, a: CompareSide, b: CompareSide) {
  const sides = [a, b];
  const row = (name: string, f: (s: BcaSummary) => string) =>
    html`<tr><th scope="row">${name}</th>${sides.map((s) => html`<td class="num">${f(s.summary)}</td>`)}</tr>`;
  const projects = [
    ...new Map(
      sides.flatMap((s) =>
        (s.summary.projects ?? []).map((p) => [p.project_id, `${p.project_id} — ${p.title}`] as const),
      ),
    ),
  ];
  const chosen = (s: BcaSummary, id: string) =>
    (s.projects ?? [])
      .filter((p) => p.project_id === id && p.selected)
      .map((p) => p.alternative_id)
      .join(', ') || '—';
  const head = html`<th scope="col">${a.title}<br><span class="muted">${when(a.created_at)}</span></th><th scope="col">${b.title}<br><span class="muted">${when(b.created_at)}</span></th>`;
  return page(
    { title: 'Compare runs', user: who.user },
    html`<p><a href="/staff">Staff</a> › <a href="/staff/bca/runs">Scenario runs</a> › Compare</p>
<h1>Two runs side by side</h1>
<div class="scroll"><table><caption>Headline results</caption><thead><tr><th scope="col">Measure</th>${head}</tr></thead><tbody>
${row('Net present value', (s) => usd(s.total?.npv_usd))}
${row('Benefit-cost ratio', (s) => ratio(s.total?.bcr))}
${row('Internal rate of return', (s) => fmtPct(s.total?.irr))}
${row('PV benefits', (s) => usd(s.total?.benefits_pv_usd))}
${row('PV costs', (s) => usd(s.total?.costs_pv_usd))}
${row('Projects selected', (s) => String((s.projects ?? []).filter((p) => p.selected).length))}
${row('Parameter edition', (s) => `${s.edition ?? '—'}, ${fmtPct(s.discount_rate)}`)}
${row('Selection', (s) => (s.selection ? `${s.selection.method}${s.selection.optimal ? ' (optimal)' : ''}` : '—'))}
</tbody></table></div>
<div class="scroll"><table><caption>Selected alternative by project</caption><thead><tr><th scope="col">Project</th>${head}</tr></thead><tbody>
${projects.map(([id, label]) => html`<tr><th scope="row">${label}</th>${sides.map((s) => html`<td>${chosen(s.summary, id)}</td>`)}</tr>`)}
</tbody></table></div>`,
  );
}
