// The dataset catalog with keyword search and filters (keyword, dataset kind), as visitors of
// CKAN or Socrata portals expect (research/ecosystem.md §5.4). Filtering is in memory: a
// region's catalog holds tens of datasets, not millions.
import { html } from 'hono/html';
import { listDatasets } from '../catalog/catalog';
import type { Manifest } from '../catalog/types';
import type { Ctx } from '../context';
import { fmtDate, fmtNumber, page } from './layout';

export interface CatalogQuery {
  q?: string;
  keyword?: string;
  type?: string;
}

export function matches(m: Manifest, q: CatalogQuery) {
  if (q.type && m.type !== q.type) return false;
  if (q.keyword && !m.keywords.some((k) => k.toLowerCase() === q.keyword!.toLowerCase())) return false;
  if (q.q) {
    const hay = [m.id, m.title, m.description, m.source, ...m.keywords].join(' ').toLowerCase();
    return q.q
      .toLowerCase()
      .split(/\s+/)
      .filter(Boolean)
      .every((w) => hay.includes(w));
  }
  return true;
}

export async function searchDatasets(ctx: Ctx, q: CatalogQuery) {
  const all = await listDatasets(ctx.storage);
  return { all, hits: all.filter((m) => matches(m, q)) };
}

export async function catalogPage(ctx: Ctx, q: CatalogQuery, user?: string) {
  const { all, hits } = await searchDatasets(ctx, q);
  const keywords = [...new Set(all.flatMap((m) => m.keywords))].sort();
  const types = [...new Set(all.map((m) => m.type))].sort();
  const rows = (m: Manifest) => m.versions.find((v) => v.version === m.current_version)?.rows ?? 0;
  return page(
    { title: 'Datasets', user },
    html`<h1>Datasets</h1>
<form class="search" action="/datasets" method="get" role="search" aria-label="Search datasets">
  <div><label for="q">Search</label><input id="q" name="q" type="search" value="${q.q ?? ''}"></div>
  <div><label for="keyword">Topic</label><select id="keyword" name="keyword"><option value="">Any topic</option>${keywords.map((k) => html`<option value="${k}" ${k === q.keyword ? 'selected' : ''}>${k}</option>`)}</select></div>
  <div><label for="type">Kind</label><select id="type" name="type"><option value="">Any kind</option>${types.map((t) => html`<option value="${t}" ${t === q.type ? 'selected' : ''}>${t}</option>`)}</select></div>
  <button type="submit">Filter</button>
</form>
<p role="status">${hits.length} of ${all.length} datasets${q.q ? html` matching “${q.q}”` : ''}.</p>
<ul class="cards">
${hits.map(
  (m) => html`<li class="card">
  <h2 style="font-size:1.1rem;margin:0 0 .3rem"><a href="/datasets/${m.id}">${m.title}</a></h2>
  <p style="margin:.2rem 0">${m.description.length > 220 ? `${m.description.slice(0, 217)}…` : m.description}</p>
  <p class="muted" style="margin:.2rem 0">${fmtNumber(rows(m))} rows · updated ${fmtDate(m.updated_at)} · ${m.versions.length} version${m.versions.length === 1 ? '' : 's'}</p>
  <p style="margin:0">${m.keywords.map((k) => html`<a class="tag" href="/datasets?keyword=${encodeURIComponent(k)}">${k}</a>`)}</p>
</li>`,
)}
</ul>`,
  );
}
