// What a BCA run's summary.json (lib/bca/outputs.ts summaryOf) looks like on a page: headline
// numbers, the projects with the selected alternatives marked, and the report downloads. Shared by
// the staff run page and the public report page so both say the same thing.
import { html } from 'hono/html';
import type { Lineage } from '../catalog';
import { fmtNumber, fmtPct } from './layout';

export interface BcaSummary {
  scenario_id?: string;
  title?: string;
  edition?: string;
  dollar_year?: number;
  base_year?: number;
  discount_rate?: number;
  cost_convention?: string;
  selection?: { method: string; optimal: boolean; status: string };
  projects?: {
    project_id: string;
    title: string;
    alternative_id: string;
    selected: boolean;
    npv_usd: number | null;
    bcr: number | null;
    benefits_pv_usd: number | null;
    costs_pv_usd: number | null;
  }[];
  total?: {
    npv_usd: number | null;
    bcr: number | null;
    irr: number | null;
    benefits_pv_usd: number | null;
    costs_pv_usd: number | null;
  };
  fiscally_constrained?: boolean;
}

export const usd = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : `${v < 0 ? '-' : ''}$${fmtNumber(Math.abs(v))}`;
export const ratio = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : fmtNumber(v, 2);

const LABELS: Record<string, string> = {
  'report.html': 'Report (web page)',
  'report.pdf': 'Report (PDF)',
  'report.xlsx': 'Report (Excel)',
  'ledger.csv': 'Ledger of every cost and benefit by year (CSV)',
  'projects.csv': 'Results by project (CSV)',
  'lineage.json': 'Lineage: inputs, parameter edition, code version (JSON)',
};
const ORDER = Object.keys(LABELS);

export function downloadList(files: { name: string; url: string }[]) {
  const sorted = [...files].sort(
    (a, b) =>
      (ORDER.indexOf(a.name) + 1 || 99) - (ORDER.indexOf(b.name) + 1 || 99) || a.name.localeCompare(b.name),
  );
  return html`<ul class="downloads">${sorted.map((f) => html`<li><a href="${f.url}">${LABELS[f.name] ?? f.name}</a></li>`)}</ul>`;
}

export function summaryHtml(s: BcaSummary) {
  const t = s.total;
  const selected = (s.projects ?? []).filter((p) => p.selected);
  return html`<ul class="cards">
<li class="card"><div class="muted">Net present value</div><div class="big" id="npv">${usd(t?.npv_usd)}</div></li>
<li class="card"><div class="muted">Benefit-cost ratio</div><div class="big" id="bcr">${ratio(t?.bcr)}</div></li>
<li class="card"><div class="muted">PV benefits / PV costs</div><div>${usd(t?.benefits_pv_usd)} / ${usd(t?.costs_pv_usd)}</div><div class="muted">IRR ${fmtPct(t?.irr)}</div></li>
<li class="card"><div class="muted">Settings</div><div>${s.edition ?? '—'}; discount year ${s.base_year ?? '—'}, ${fmtPct(s.discount_rate)}; ${s.dollar_year ?? '—'} dollars</div>
<div class="muted">${selected.length} project(s) selected${s.fiscally_constrained === false ? ' — over budget' : ''}</div></li>
</ul>
<div class="scroll"><table><caption>Projects and alternatives (selected ones marked)</caption>
<thead><tr><th scope="col">Project</th><th scope="col">Alternative</th><th scope="col">Selected</th><th scope="col" class="num">NPV</th><th scope="col" class="num">BCR</th><th scope="col" class="num">PV benefits</th><th scope="col" class="num">PV costs</th></tr></thead>
<tbody>${(s.projects ?? []).map(
    (p) =>
      html`<tr><td>${p.project_id} — ${p.title}</td><td>${p.alternative_id}</td><td>${p.selected ? 'Yes' : 'No'}</td><td class="num">${usd(p.npv_usd)}</td><td class="num">${ratio(p.bcr)}</td><td class="num">${usd(p.benefits_pv_usd)}</td><td class="num">${usd(p.costs_pv_usd)}</td></tr>`,
  )}</tbody></table></div>`;
}

export function lineageHtml(l: Lineage | null) {
  if (!l) return '';
  return html`<details><summary>Lineage</summary><dl>
<dt>Run</dt><dd><code>${l.run_id}</code>, ${l.created_at}</dd>
<dt>Input</dt><dd>${l.inputs.map((i) => html`<code>${i.dataset_id}</code> (sha-256 ${(i.content_hash ?? i.version).slice(0, 12)}) `)}</dd>
<dt>Parameters</dt><dd>${Object.entries(l.editions ?? {}).map(([k, v]) => html`${k}: <code>${v}</code>; `)}</dd>
<dt>Code version</dt><dd><code>${l.code_version}</code></dd></dl></details>`;
}
