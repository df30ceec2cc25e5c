// The home page: the region's headline measures with their trend (and target, where the family
// publishes one), then the newest datasets.
import { html } from 'hono/html';
import { listDatasets } from '../catalog/catalog';
import { FEDERAL_MEASURES } from '../compliance/federal-measures';
import { measureTable } from '../compliance/measure-table';
import type { Ctx } from '../context';
import { fmtDate, fmtNumber, fmtPct, page } from './layout';
import { type Headline, headlineFor, listFamilies } from './measure-data';

export function formatValue(v: number | null, f: Headline['format']) {
  return f === 'pct' ? fmtPct(v) : f === 'ratio' ? fmtNumber(v, 2) : fmtNumber(v, 1);
}

function trendText(h: Headline) {
  const prev = h.trend.at(-2);
  const last = h.trend.at(-1);
  if (!prev || !last) return '';
  const better = h.higherIsBetter ? last.y > prev.y : last.y < prev.y;
  const word = last.y === prev.y ? 'unchanged' : better ? 'improving' : 'worsening';
  return `${word} since ${prev.x} (${formatValue(prev.y, h.format)})`;
}

function spark(h: Headline) {
  if (h.trend.length < 2) return '';
  const W = 160;
  const H = 36;
  const ys = h.trend.map((p) => p.y);
  const [lo, hi] = [Math.min(...ys), Math.max(...ys)];
  const d = h.trend
    .map(
      (p, i) =>
        `${i ? 'L' : 'M'}${((i / (h.trend.length - 1)) * (W - 4) + 2).toFixed(1)} ${(H - 2 - ((p.y - lo) / (hi - lo || 1)) * (H - 4)).toFixed(1)}`,
    )
    .join('');
  return html`<svg width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" aria-hidden="true"><path d="${d}" fill="none" stroke="#00507a" stroke-width="2"/></svg>`;
}

export async function homePage(ctx: Ctx, user?: string) {
  const fams = await listFamilies(ctx);
  // Federal measures first, region-wide and against the MPO's targets; then other families' headlines.
  const federal = (await measureTable(ctx)).rows
    .filter((r) => r.latest !== null)
    .map((r): Headline => {
      const def = FEDERAL_MEASURES.find((m) => m.id === r.measure_id);
      const k = r.unit === 'percent' ? 0.01 : 1;
      const goal = r.target_4yr ?? r.target_2yr;
      return {
        family: def?.family ?? '',
        label: `${r.measure} (${r.rule})`,
        value: r.latest === null ? null : r.latest * k,
        format: r.unit === 'percent' ? 'pct' : r.unit === 'index' ? 'ratio' : 'number',
        trend: r.history.map((p) => ({ x: p.year, y: p.value * k })),
        target: goal === null ? null : goal * k,
        higherIsBetter: def?.higherIsBetter ?? true,
        runId: r.run_id ?? '',
      };
    });
  const covered = new Set(federal.map((h) => h.family));
  const others = (
    await Promise.all(
      fams
        .filter((f) => f.hasResults && !covered.has(f.name))
        .map((f) => headlineFor(ctx, f.name).catch(() => null)),
    )
  ).filter((h): h is Headline => h !== null);
  const heads = [...federal, ...others];
  const datasets = (await listDatasets(ctx.storage)).sort((a, b) => b.updated_at.localeCompare(a.updated_at));
  return page(
    { title: 'Regional transportation performance', user },
    html`<h1>Regional transportation performance</h1>
<p>Federal performance measures, transit service and project analyses for the region — each number traceable to the data and the rule it comes from.</p>
<form class="search" action="/datasets" method="get" role="search">
  <div><label for="q">Search the data</label><input id="q" name="q" type="search" placeholder="e.g. commute, NPMRDS, GTFS"></div>
  <button type="submit">Search</button>
</form>
<h2>Headline measures</h2>
${
  heads.length === 0
    ? html`<p class="muted">No measures have been computed yet.</p>`
    : html`<ul class="cards">${heads.map(
        (h) => html`<li class="card">
  <h3 style="margin:0 0 .3rem;font-size:1rem"><a href="/measures/${h.family}">${h.label}</a></h3>
  <p class="big">${formatValue(h.value, h.format)}</p>
  ${h.target !== null ? html`<p>Target ${formatValue(h.target, h.format)}: <strong class="${(h.higherIsBetter ? (h.value ?? 0) >= h.target : (h.value ?? 0) <= h.target) ? 'ok' : 'bad'}">${(h.higherIsBetter ? (h.value ?? 0) >= h.target : (h.value ?? 0) <= h.target) ? 'met' : 'not met'}</strong></p>` : ''}
  ${spark(h)}
  <p class="muted" style="margin:0">${[h.trend.length ? `${h.trend.at(-1)?.x}` : '', trendText(h)].filter(Boolean).join(': ')}</p>
</li>`,
      )}</ul>`
}
<h2>Measures</h2>
<ul>${fams.map((f) => html`<li><a href="/measures/${f.name}">${f.title}</a>${f.hasResults ? '' : html` <span class="muted">(not computed yet)</span>`}</li>`)}</ul>
<h2>Recently updated data</h2>
<ul>${datasets.slice(0, 6).map((d) => html`<li><a href="/datasets/${d.id}">${d.title}</a> <span class="muted">updated ${fmtDate(d.updated_at)}</span></li>`)}</ul>
<p><a href="/datasets">All ${datasets.length} datasets</a></p>`,
  );
}
