// A measure family's page: headline, chart (with its data as a table), map, the results, and
// "how this number is computed": the rule, the queries (with their hashes, linked to the SQL),
// the exact input dataset versions, parameters and code version of the run.
import { basename } from 'node:path';
import { html } from 'hono/html';
import { runLineage, runsOf } from '../api/results-data';
import type { Ctx } from '../context';
import { allQueries } from '../engine/runner';
import { formatValue } from './home-page';
import { fmtDate, fmtNumber, fmtPct, page } from './layout';
import { chartSeries, headlineFor, listFamilies, mapFeatures, runFor, viewFor } from './measure-data';
import { lineChart } from './svg-chart';
import { quantileClasses, svgMap } from './svg-map';

export class MeasureNotFound extends Error {}

/** Links to the eCFR for every 23 CFR section a reference names (a link, not a resource load). */
function cfrLinks(reference: string) {
  const sections = [...new Set([...reference.matchAll(/\b(490)\.(\d{3})/g)].map((m) => `${m[1]}.${m[2]}`))];
  if (sections.length === 0) return '';
  return html` Read the rule: ${sections.map(
    (sec, i) =>
      html`${i ? ', ' : ''}<a href="https://www.ecfr.gov/current/title-23/section-${sec}" rel="external noopener">23 CFR ${sec}</a>`,
  )}.`;
}

export async function measuresIndexPage(ctx: Ctx, user?: string) {
  const fams = await listFamilies(ctx);
  return page(
    { title: 'Measures', user },
    html`<h1>Measures</h1>
<ul class="cards">${fams.map(
      (
        f,
      ) => html`<li class="card"><h2 style="font-size:1.1rem;margin:0"><a href="/measures/${f.name}">${f.title}</a></h2>
<p>${f.summary}</p>${f.reference ? html`<p class="muted">Rule: ${f.reference}</p>` : ''}${f.hasResults ? '' : html`<p class="muted">Not computed yet.</p>`}</li>`,
    )}</ul>`,
  );
}

const fmt = (f: 'pct' | 'number' | 'ratio') => (v: number) =>
  f === 'pct' ? fmtPct(v, 0) : f === 'ratio' ? fmtNumber(v, 2) : fmtNumber(v, 0);

export async function measurePage(ctx: Ctx, family: string, user?: string) {
  const info = (await listFamilies(ctx)).find((f) => f.name === family);
  if (!info) throw new MeasureNotFound(`no measure family ${family}`);
  const run = await runFor(ctx, family);
  if (!run) {
    return page(
      { title: info.title, user },
      html`<h1>${info.title}</h1><p>${info.summary}</p><p class="notice">This measure has not been computed yet.</p>`,
    );
  }
  const [v, lineage, runs, head] = await Promise.all([
    viewFor(ctx, family, run),
    runLineage(ctx, family, run),
    runsOf(ctx, family),
    headlineFor(ctx, family).catch(() => null),
  ]);
  const view = v?.view;
  const rows = v?.rows ?? [];
  const series = view ? chartSeries(view, rows) : [];
  const map = view ? await mapFeatures(ctx, run, view, rows).catch(() => null) : null;
  const cols = view?.columns ?? Object.keys(rows[0] ?? {});
  const queries = allQueries();
  const chartFmt = fmt(view?.chart?.format ?? 'number');
  // One number of decimals per column (the most any shown value needs, at most 3), so a column
  // reads evenly. `*_pct` columns already hold percentages; `*share*` columns hold fractions.
  const decimals = (v: number) =>
    Number.isInteger(v) ? 0 : Math.min(3, (String(v).split('.')[1] ?? '').length);
  const colDigits = Object.fromEntries(
    cols.map((c) => [
      c,
      Math.max(
        0,
        ...rows.slice(0, 200).map((r) => (typeof r[c] === 'number' ? decimals(r[c] as number) : 0)),
      ),
    ]),
  );
  const cell = (c: string, val: unknown) =>
    typeof val === 'number'
      ? /share/.test(c)
        ? fmtPct(val)
        : /_pct$/.test(c)
          ? `${fmtNumber(val, Math.min(1, colDigits[c] ?? 0))}%`
          : fmtNumber(val, colDigits[c] ?? 0)
      : val === null || val === undefined
        ? ''
        : String(val);
  return page(
    { title: info.title, user },
    html`<p><a href="/measures">Measures</a> › ${info.title}</p>
<h1>${info.title}</h1>
<p>${info.summary}</p>
${head ? html`<p><span class="big">${formatValue(head.value, head.format)}</span><br><span class="muted">${head.label}${head.trend.length ? `, ${head.trend.at(-1)?.x}` : ''}</span></p>` : ''}
${
  view?.chart && series.length
    ? html`<h2 id="chart">${view.chart.title}</h2>
<figure>${lineChart(series, { title: view.chart.title, yLabel: view.chart.yLabel, format: chartFmt })}
<figcaption>Source: run ${run.run_id}, file ${view.file}.</figcaption></figure>
<details><summary>Chart data as a table</summary><div class="scroll"><table>
<caption>${view.chart.title}</caption>
<thead><tr><th scope="col">${view.chart.series ?? 'Series'}</th>${[...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort().map((x) => html`<th scope="col" class="num">${x}</th>`)}</tr></thead>
<tbody>${series.map((s) => {
        const xs = [...new Set(series.flatMap((q) => q.points.map((p) => p.x)))].sort();
        return html`<tr><th scope="row">${s.name}</th>${xs.map(
          (x) =>
            html`<td class="num">${(() => {
              const p = s.points.find((q) => q.x === x);
              return p ? chartFmt(p.y) : '—';
            })()}</td>`,
        )}</tr>`;
      })}</tbody></table></div></details>`
    : ''
}
${
  view?.map
    ? html`<h2 id="map">${view.map.title}</h2>
${
  map?.features.length
    ? html`<figure>${svgMap(map.features, {
        title: view.map.title,
        valueLabel: view.map.valueLabel,
        classes: quantileClasses(
          map.features.map((f) => f.value ?? Number.NaN),
          (x) => fmtNumber(x, 2),
        ),
      })}<figcaption>${map.source ? html`Locations from <a href="/datasets/${map.source.id}?version=${map.source.version}">${map.source.id}</a> version ${map.source.version}.` : ''}</figcaption></figure>
<details><summary>Map data as a table</summary><div class="scroll"><table><caption>${view.map.valueLabel} by feature</caption><thead><tr><th scope="col">Feature</th><th scope="col" class="num">${view.map.valueLabel}</th></tr></thead>
<tbody>${map.features.slice(0, 500).map((f) => html`<tr><td>${f.label}</td><td class="num">${f.value === null ? '—' : fmtNumber(f.value, 2)}</td></tr>`)}</tbody></table></div></details>`
    : html`<p class="muted">No locations to map: the dataset with the geometry (${view.map.kind === 'tmc' ? 'NPMRDS TMC identification' : view.map.kind === 'stops' ? 'GTFS stops' : 'lon/lat columns'}) is not in the catalog.</p>`
}`
    : ''
}
<h2 id="results">Results</h2>
<div class="scroll"><table>
<caption>${view ? view.file : 'Results'} — ${fmtNumber(rows.length)} rows${rows.length > 200 ? ' (first 200 shown; download for all)' : ''}</caption>
<thead><tr>${cols.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
<tbody>${rows.slice(0, 200).map((r) => html`<tr>${cols.map((c) => html`<td${typeof r[c] === 'number' ? html` class="num"` : ''}>${cell(c, r[c])}</td>`)}</tr>`)}</tbody>
</table></div>
<h3>Downloads</h3>
<ul>${run.files.map((k) => html`<li><a href="/results/${family}/${run.run_id}/${basename(k)}" download>${basename(k)}</a></li>`)}
<li><a href="/results/${family}/${run.run_id}/lineage.json">lineage.json</a></li></ul>
${view ? html`<p class="muted">API: <code>GET /api/v1/measures/${family}/files/${view.file}/rows?limit=100&amp;offset=0</code> (add <code>&amp;format=csv</code> for CSV, <code>&amp;column=value</code> to filter).</p>` : ''}
<section id="how" aria-labelledby="method">
<h2 id="method">How this number is computed</h2>
${info.reference ? html`<p>Rule: <strong>${info.reference}</strong>.${cfrLinks(info.reference)}</p>` : ''}
${
  lineage
    ? html`<p>Run <code>${lineage.run_id}</code> (${lineage.key}) on ${fmtDate(lineage.created_at)} with code <code>${lineage.code_version}</code>${Object.keys(lineage.params).length ? html`, parameters <code>${JSON.stringify(lineage.params)}</code>` : ''}.</p>
<h3>Input data</h3>
<ul>${lineage.inputs.map((i) => html`<li><a href="/datasets/${i.dataset_id}?version=${i.version}">${i.dataset_id}</a> version <code>${i.version}</code></li>`)}</ul>
<h3>Queries</h3>
<ol>${lineage.queries.map((q) => {
        const current = queries.get(q.name);
        return html`<li><a href="/api/v1/queries/${q.name}">${q.name}.sql</a>${q.reference ? html` — ${q.reference}` : ''}<br><span class="muted">SHA-256 <code>${q.sha256.slice(0, 16)}…</code>${current && current.sha256 !== q.sha256 ? ' (the query has changed since this run)' : ''}</span></li>`;
      })}</ol>
${lineage.notes?.length ? html`<h3>Notes</h3><ul>${lineage.notes.map((n) => html`<li>${n}</li>`)}</ul>` : ''}`
    : html`<p class="muted">This run has no lineage record.</p>`
}
</section>
<h3>Earlier runs</h3>
<ul>${[...runs]
      .reverse()
      .slice(0, 10)
      .map((r) => html`<li><code>${r.run_id}</code> (${r.key}) ${fmtDate(r.created_at)}</li>`)}</ul>`,
  );
}
