// Maps as inline SVG of lon/lat points and segments: no tiles, no external requests. A simple
// equirectangular projection scaled by cos(latitude) is accurate enough at a region's scale.
// Colour encodes a value in classes with a legend; each feature has a <title> for pointer users,
// and the page lists the same values in a table for everyone else.
import { html } from 'hono/html';

export interface MapFeature {
  label: string;
  value: number | null;
  /** A point, or a segment from the first to the second coordinate. */
  coords: [number, number][];
}

export interface MapClass {
  label: string;
  colour: string;
  /** Upper bound (inclusive) of the class; the last class takes the rest. */
  max: number;
}

export function quantileClasses(values: number[], format: (v: number) => string): MapClass[] {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return [];
  const colours = ['#1a9850', '#91cf60', '#fc8d59', '#d73027'];
  const cuts = [0.25, 0.5, 0.75, 1].map((q) => v[Math.min(v.length - 1, Math.ceil(q * v.length) - 1)]!);
  let lo = v[0]!;
  return cuts.map((max, i) => {
    const c = { label: `${format(lo)} – ${format(max)}`, colour: colours[i]!, max };
    lo = max;
    return c;
  });
}

export function svgMap(
  features: MapFeature[],
  o: { title: string; classes: MapClass[]; valueLabel: string },
) {
  const pts = features.flatMap((f) => f.coords).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  if (pts.length === 0) return html`<p class="muted">No locations to map.</p>`;
  const W = 640;
  const lons = pts.map((p) => p[0]);
  const lats = pts.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  const k = Math.cos((((y0 + y1) / 2) * Math.PI) / 180);
  const spanX = (x1 - x0) * k || 0.01;
  const spanY = y1 - y0 || 0.01;
  const H = Math.max(200, Math.min(560, Math.round((W * spanY) / spanX)));
  const pad = 16;
  const s = Math.min((W - 2 * pad) / spanX, (H - 2 * pad) / spanY);
  // Centre the drawing in the frame along the axis with room to spare.
  const ox = (W - 2 * pad - spanX * s) / 2;
  const oy = (H - 2 * pad - spanY * s) / 2;
  const px = (lon: number) => pad + ox + (lon - x0) * k * s;
  const py = (lat: number) => H - pad - oy - (lat - y0) * s;
  const colour = (v: number | null) =>
    v === null ? '#9e9e9e' : ((o.classes.find((c) => v <= c.max) ?? o.classes.at(-1))?.colour ?? '#00507a');
  return html`<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${o.title}: ${features.length} features coloured by ${o.valueLabel}; the values are listed in the table below." xmlns="http://www.w3.org/2000/svg">
<rect width="${W}" height="${H}" fill="#f7f7f4"/>
${features.map((f) => {
  const c = colour(f.value);
  const t = html`<title>${f.label}: ${o.valueLabel} ${f.value ?? 'no value'}</title>`;
  if (f.coords.length >= 2) {
    const [a, b] = [f.coords[0]!, f.coords[1]!];
    return html`<line x1="${px(a[0]).toFixed(1)}" y1="${py(a[1]).toFixed(1)}" x2="${px(b[0]).toFixed(1)}" y2="${py(b[1]).toFixed(1)}" stroke="${c}" stroke-width="4" stroke-linecap="round">${t}</line>`;
  }
  const p = f.coords[0]!;
  return html`<circle cx="${px(p[0]).toFixed(1)}" cy="${py(p[1]).toFixed(1)}" r="5" fill="${c}" stroke="#fff" stroke-width="1">${t}</circle>`;
})}
</svg>
<ul style="list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:1rem;font-size:.9rem" aria-label="Map legend: ${o.valueLabel}">
${o.classes.map((c) => html`<li><span aria-hidden="true" style="display:inline-block;width:14px;height:14px;background:${c.colour};vertical-align:middle"></span> ${c.label}</li>`)}
</ul>`;
}
