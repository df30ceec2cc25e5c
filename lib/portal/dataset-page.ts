// One dataset: what it is, its data dictionary (from the dataset kind's table specs), versions
// with dates, lineage, a preview and downloads in CSV, Parquet and GeoJSON (when rows have
// coordinates). Download links name the version, so they are stable and cacheable.
import { html } from 'hono/html';
import { geometryOf, readRows, resolveDataset } from '../api/table-data';
import type { Ctx } from '../context';
import { datasetTypes } from '../datasets/registry';
import { dataDictionary } from '../datasets/spec';
import { fmtDate, fmtNumber, page } from './layout';

export async function datasetDictionary(type: string) {
  const load = datasetTypes[type];
  if (!load) return {};
  const t = await load();
  return Object.fromEntries(t.tables.map((s) => [s.name, dataDictionary(s)]));
}

export function downloadUrl(id: string, version: string, table: string, fmt: 'csv' | 'parquet' | 'geojson') {
  return `/download/${id}/${version}/${table}.${fmt}`;
}

export async function datasetPage(ctx: Ctx, id: string, requested: string | undefined, user?: string) {
  const { manifest: m, version: v } = await resolveDataset(ctx, id, requested);
  const dict = await datasetDictionary(m.type);
  const previews = await Promise.all(
    v.tables.map((t) => readRows(ctx, t, { limit: 10, offset: 0, where: {} })),
  );
  return page(
    { title: m.title, user },
    html`<p><a href="/datasets">Datasets</a> › ${m.title}</p>
<h1>${m.title}</h1>
<p>${m.description}</p>
<dl>
  <dt>Identifier</dt><dd><code>${m.id}</code></dd>
  <dt>Source</dt><dd>${m.source}</dd>
  <dt>License</dt><dd>${m.license}</dd>
  <dt>Publisher</dt><dd>${m.publisher}</dd>
  <dt>Last updated</dt><dd>${fmtDate(m.updated_at)}</dd>
  <dt>Version shown</dt><dd><code>${v.version}</code>${v.version === m.current_version ? ' (current)' : html` — <a href="/datasets/${m.id}">see the current version</a>`}</dd>
  <dt>Topics</dt><dd>${m.keywords.map((k) => html`<a class="tag" href="/datasets?keyword=${encodeURIComponent(k)}">${k}</a>`)}</dd>
</dl>
<h2 id="downloads">Downloads</h2>
${v.tables.map((t) => {
  const geo = geometryOf(t);
  return html`<h3>${t.name} <span class="muted">(${fmtNumber(t.rows)} rows)</span></h3>
<ul>
  <li><a href="${downloadUrl(m.id, v.version, t.name, 'csv')}" download>CSV</a></li>
  <li><a href="${downloadUrl(m.id, v.version, t.name, 'parquet')}" download>Parquet</a></li>
  ${geo ? html`<li><a href="${downloadUrl(m.id, v.version, t.name, 'geojson')}" download>GeoJSON</a> (points from ${geo.lon}, ${geo.lat})</li>` : ''}
</ul>
<p class="muted">API: <code>GET /api/v1/datasets/${m.id}/tables/${t.name}/rows?limit=100&amp;offset=0</code> (add <code>&amp;format=csv</code> for CSV, <code>&amp;column=value</code> to filter).</p>`;
})}
<h2 id="preview">Preview</h2>
${v.tables.map((t, i) => {
  const rows = previews[i]?.rows ?? [];
  const cols = t.columns.map((c) => c.name);
  return html`<div class="scroll"><table>
<caption>First ${rows.length} of ${fmtNumber(t.rows)} rows of ${t.name}</caption>
<thead><tr>${cols.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
<tbody>${rows.map((r) => html`<tr>${cols.map((c) => html`<td>${r[c] === null || r[c] === undefined ? '' : String(r[c])}</td>`)}</tr>`)}</tbody>
</table></div>`;
})}
<h2 id="dictionary">Data dictionary</h2>
${v.tables.map((t) => {
  const entries =
    dict[t.name] ??
    t.columns.map((c) => ({
      name: c.name,
      type: c.type,
      description: c.description ?? '',
      unit: c.unit,
      required: false,
    }));
  return html`<div class="scroll"><table>
<caption>Columns of ${t.name}</caption>
<thead><tr><th scope="col">Column</th><th scope="col">Type</th><th scope="col">Unit</th><th scope="col">Description</th></tr></thead>
<tbody>${entries.map((c) => html`<tr><td><code>${c.name}</code></td><td>${c.type}</td><td>${c.unit ?? ''}</td><td>${c.description}</td></tr>`)}</tbody>
</table></div>`;
})}
<h2 id="versions">Versions</h2>
<div class="scroll"><table>
<caption>Every published version (immutable; older versions stay downloadable)</caption>
<thead><tr><th scope="col">Version</th><th scope="col">Published</th><th scope="col" class="num">Rows</th><th scope="col">Content hash (SHA-256)</th></tr></thead>
<tbody>${[...m.versions]
      .reverse()
      .map(
        (x) =>
          html`<tr><td><a href="/datasets/${m.id}?version=${x.version}">${x.version}</a>${x.version === m.current_version ? ' (current)' : ''}</td><td>${fmtDate(x.created_at)}</td><td class="num">${fmtNumber(x.rows)}</td><td><code>${x.content_hash.slice(0, 16)}…</code></td></tr>`,
      )}</tbody>
</table></div>
<h2 id="lineage">Lineage of this version</h2>
<p>Ingested ${fmtDate(v.created_at)} by <code>${v.lineage.ingested_by}</code> with code <code>${v.lineage.code_version}</code>.
Validation: ${v.issues.errors} errors, ${v.issues.warnings} warnings, ${v.issues.quarantined_rows} rows quarantined.</p>
<div class="scroll"><table>
<caption>Source files</caption>
<thead><tr><th scope="col">File</th><th scope="col" class="num">Bytes</th><th scope="col">SHA-256</th></tr></thead>
<tbody>${v.lineage.sources.map((s) => html`<tr><td>${s.file}</td><td class="num">${fmtNumber(s.bytes)}</td><td><code>${s.sha256.slice(0, 16)}…</code></td></tr>`)}</tbody>
</table></div>`,
  );
}
