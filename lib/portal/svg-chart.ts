// Line charts as inline SVG, drawn on the server: no chart library or script, readable without
// colour (markers differ per series), and always paired with the data as a table (WCAG 1.1.1).
import { html } from 'hono/html';

export interface Series {
  name: string;
  points: { x: number; y: number }[];
}

const PALETTE = ['#00507a', '#b34700', '#1e6b34', '#6a1b9a', '#a4161a', '#3d3d3d', '#005f73', '#7a5c00'];
const MARKERS = ['circle', 'square', 'diamond', 'triangle'];

function marker(kind: string, x: number, y: number, colour: string) {
  if (kind === 'square')
    return html`<rect x="${x - 3.5}" y="${y - 3.5}" width="7" height="7" fill="${colour}"/>`;
  if (kind === 'diamond')
    return html`<path d="M${x} ${y - 5}L${x + 5} ${y}L${x} ${y + 5}L${x - 5} ${y}Z" fill="${colour}"/>`;
  if (kind === 'triangle')
    return html`<path d="M${x} ${y - 5}L${x + 5} ${y + 4}L${x - 5} ${y + 4}Z" fill="${colour}"/>`;
  return html`<circle cx="${x}" cy="${y}" r="4" fill="${colour}"/>`;
}

function ticks(lo: number, hi: number, n = 5) {
  const span = hi - lo || 1;
  const step = 10 ** Math.floor(Math.log10(span / n));
  const nice = [1, 2, 2.5, 5, 10].map((m) => m * step).find((s) => span / s <= n) ?? step * 10;
  const out: number[] = [];
  for (let v = Math.ceil(lo / nice) * nice; v <= hi + 1e-9; v += nice) out.push(Number(v.toPrecision(12)));
  return out;
}

export interface LineChartOptions {
  title: string;
  yLabel: string;
  format: (v: number) => string;
  /** Horizontal reference lines, e.g. targets. */
  targets?: { label: string; y: number }[];
}

export function lineChart(series: Series[], o: LineChartOptions) {
  const W = 640;
  const H = 300;
  const m = { l: 64, r: 16, t: 16, b: 40 };
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return html`<p class="muted">No data to chart.</p>`;
  const xs = all.map((p) => p.x);
  const ys = [...all.map((p) => p.y), ...(o.targets ?? []).map((t) => t.y)];
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const pad = (y1 - y0) * 0.1 || Math.abs(y1) * 0.1 || 1;
  y0 -= pad;
  y1 += pad;
  const sx = (x: number) => m.l + ((x - x0) / (x1 - x0 || 1)) * (W - m.l - m.r);
  const sy = (y: number) => H - m.b - ((y - y0) / (y1 - y0 || 1)) * (H - m.t - m.b);
  const id = `c${Math.abs(hash(o.title))}`;
  const xt = [...new Set(xs)].sort((a, b) => a - b);
  const xStep = Math.ceil(xt.length / 10);
  return html`<svg viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${id}-t ${id}-d" xmlns="http://www.w3.org/2000/svg">
<title id="${id}-t">${o.title}</title>
<desc id="${id}-d">Line chart of ${o.yLabel} by year for ${series.map((s) => s.name).join(', ')}. The same numbers are in the table below the chart.</desc>
${ticks(y0, y1).map((v) => html`<line x1="${m.l}" x2="${W - m.r}" y1="${sy(v)}" y2="${sy(v)}" stroke="#e0e0e0"/><text x="${m.l - 6}" y="${sy(v) + 4}" text-anchor="end" font-size="11" fill="#4a4a4a">${o.format(v)}</text>`)}
${xt.filter((_, i) => i % xStep === 0).map((v) => html`<text x="${sx(v)}" y="${H - m.b + 16}" text-anchor="middle" font-size="11" fill="#4a4a4a">${v}</text>`)}
<line x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}" stroke="#767676"/>
${(o.targets ?? []).map((t) => html`<line x1="${m.l}" x2="${W - m.r}" y1="${sy(t.y)}" y2="${sy(t.y)}" stroke="#a4161a" stroke-dasharray="6 4"/><text x="${W - m.r}" y="${sy(t.y) - 4}" text-anchor="end" font-size="11" fill="#a4161a">${t.label}</text>`)}
${series.map((s, i) => {
  const c = PALETTE[i % PALETTE.length]!;
  const pts = [...s.points].sort((a, b) => a.x - b.x);
  return html`<g><path d="${pts.map((p, j) => `${j ? 'L' : 'M'}${sx(p.x).toFixed(1)} ${sy(p.y).toFixed(1)}`).join('')}" fill="none" stroke="${c}" stroke-width="2"/>
${pts.map((p) => marker(MARKERS[i % MARKERS.length]!, sx(p.x), sy(p.y), c))}</g>`;
})}
<text x="14" y="${H / 2}" transform="rotate(-90 14 ${H / 2})" text-anchor="middle" font-size="12" fill="#4a4a4a">${o.yLabel}</text>
</svg>
<ul class="legend" aria-hidden="true" style="list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:1rem;font-size:.9rem">
${series.map((s, i) => html`<li><svg width="14" height="14" viewBox="-7 -7 14 14" aria-hidden="true" focusable="false">${marker(MARKERS[i % MARKERS.length]!, 0, 0, PALETTE[i % PALETTE.length]!)}</svg> ${s.name}</li>`)}
</ul>`;
}

function hash(s: string) {
  let h = 0;
  for (const ch of s) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return h;
}
