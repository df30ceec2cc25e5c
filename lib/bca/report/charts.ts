// Inline SVG charts for the HTML report: no script, no external assets. Each chart is an
// <svg role="img"> with a <title> and <desc>; the report places a data table after every chart.
import { esc } from './format';

const PALETTE = ['#1b6ca8', '#e07b39', '#3a9e5c', '#b8433b', '#7a5ba6', '#8c6d31', '#c05c9e', '#5f6b73'];
export const color = (i: number) => PALETTE[i % PALETTE.length]!;

function ticks(lo: number, hi: number, n = 5): number[] {
  const span = hi - lo || 1;
  const step0 = span / n;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= step0) ?? step0;
  const out: number[] = [];
  const end = Math.ceil(hi / step - 1e-9) * step;
  for (let v = Math.floor(lo / step + 1e-9) * step; v <= end + step * 1e-6; v += step)
    out.push(Number(v.toPrecision(12)));
  return out.length > 1 ? out : [out[0] ?? 0, (out[0] ?? 0) + step];
}

const short = (v: number) => {
  const a = Math.abs(v);
  const s =
    a >= 1e9
      ? `${(a / 1e9).toFixed(1)}B`
      : a >= 1e6
        ? `${(a / 1e6).toFixed(1)}M`
        : a >= 1e3
          ? `${(a / 1e3).toFixed(0)}k`
          : a.toFixed(a < 10 && a !== 0 ? 2 : 0);
  return `${v < 0 ? '−' : ''}${s}`;
};

function frame(id: string, title: string, desc: string, w: number, h: number, body: string) {
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${id}-t ${id}-d" viewBox="0 0 ${w} ${h}" width="100%" style="max-width:${w}px" font-family="system-ui, sans-serif" font-size="12"><title id="${id}-t">${esc(title)}</title><desc id="${id}-d">${esc(desc)}</desc>${body}</svg>`;
}

/** Horizontal grouped bars: one row per category, one bar per series. */
export function barChart(
  id: string,
  title: string,
  desc: string,
  categories: string[],
  series: { name: string; values: number[] }[],
  unit = '$',
) {
  const rowH = 14 * series.length + 10;
  const left = 170;
  const w = 720;
  const h = 40 + categories.length * rowH + 30;
  const all = series.flatMap((s) => s.values).filter(Number.isFinite);
  const lo = Math.min(0, ...all);
  const hi = Math.max(0, ...all);
  const tk = ticks(lo, hi);
  const x0 = tk[0]!;
  const x1 = tk.at(-1)!;
  const sx = (v: number) => left + ((v - x0) / (x1 - x0 || 1)) * (w - left - 20);
  let b = '';
  for (const t of tk)
    b += `<line x1="${sx(t)}" x2="${sx(t)}" y1="30" y2="${h - 30}" stroke="#ddd"/><text x="${sx(t)}" y="${h - 14}" text-anchor="middle" fill="#444">${unit === '$' ? '$' : ''}${short(t)}</text>`;
  categories.forEach((c, i) => {
    const y = 36 + i * rowH;
    b += `<text x="${left - 6}" y="${y + rowH / 2}" text-anchor="end" fill="#222">${esc(c.length > 26 ? `${c.slice(0, 25)}…` : c)}</text>`;
    series.forEach((s, j) => {
      const v = s.values[i] ?? 0;
      const xa = sx(Math.min(0, v));
      b += `<rect x="${xa}" y="${y + j * 14}" width="${Math.max(1, Math.abs(sx(v) - sx(0)))}" height="12" fill="${color(j)}"><title>${esc(c)} — ${esc(s.name)}: ${short(v)}</title></rect>`;
    });
  });
  b += `<line x1="${sx(0)}" x2="${sx(0)}" y1="30" y2="${h - 30}" stroke="#333"/>`;
  series.forEach((s, j) => {
    b += `<rect x="${left + j * 170}" y="8" width="12" height="12" fill="${color(j)}"/><text x="${left + j * 170 + 16}" y="18">${esc(s.name)}</text>`;
  });
  return frame(id, title, desc, w, h, b);
}

/** Vertical columns over years, stacked by series (negative values stack downwards). */
export function columnChart(
  id: string,
  title: string,
  desc: string,
  years: number[],
  series: { name: string; values: number[] }[],
  line?: { name: string; values: number[] },
) {
  const w = 720;
  const h = 320;
  const left = 70;
  const top = 34;
  const bottom = h - 40;
  const pos = years.map((_, i) => series.reduce((s, x) => s + Math.max(0, x.values[i] ?? 0), 0));
  const neg = years.map((_, i) => series.reduce((s, x) => s + Math.min(0, x.values[i] ?? 0), 0));
  const tk = ticks(
    Math.min(0, ...neg, ...(line?.values ?? [])),
    Math.max(0, ...pos, ...(line?.values ?? [])),
  );
  const y0 = tk[0]!;
  const y1 = tk.at(-1)!;
  const sy = (v: number) => bottom - ((v - y0) / (y1 - y0 || 1)) * (bottom - top);
  const bw = (w - left - 20) / Math.max(1, years.length);
  let b = '';
  for (const t of tk)
    b += `<line x1="${left}" x2="${w - 20}" y1="${sy(t)}" y2="${sy(t)}" stroke="#ddd"/><text x="${left - 6}" y="${sy(t) + 4}" text-anchor="end" fill="#444">$${short(t)}</text>`;
  years.forEach((yr, i) => {
    let up = 0;
    let down = 0;
    const x = left + i * bw + 1;
    series.forEach((s, j) => {
      const v = s.values[i] ?? 0;
      if (v === 0) return;
      const a = v > 0 ? up : down;
      const yTop = sy(v > 0 ? a + v : a);
      const yBot = sy(v > 0 ? a : a + v);
      b += `<rect x="${x}" y="${yTop}" width="${Math.max(1, bw - 2)}" height="${Math.max(0.5, yBot - yTop)}" fill="${color(j)}"><title>${yr} ${esc(s.name)}: $${short(v)}</title></rect>`;
      if (v > 0) up += v;
      else down += v;
    });
    if (years.length <= 20 || i % Math.ceil(years.length / 15) === 0)
      b += `<text x="${x + bw / 2}" y="${bottom + 16}" text-anchor="middle" fill="#444">${yr}</text>`;
  });
  b += `<line x1="${left}" x2="${w - 20}" y1="${sy(0)}" y2="${sy(0)}" stroke="#333"/>`;
  if (line) {
    const pts = line.values.map((v, i) => `${left + i * bw + bw / 2},${sy(v)}`).join(' ');
    b += `<polyline points="${pts}" fill="none" stroke="#111" stroke-width="2" stroke-dasharray="5 3"/>`;
  }
  const legend = [...series.map((s) => s.name), ...(line ? [line.name] : [])];
  legend.forEach((n, j) => {
    const isLine = line && j === series.length;
    b += isLine
      ? `<line x1="${left + j * 130}" x2="${left + j * 130 + 14}" y1="14" y2="14" stroke="#111" stroke-width="2" stroke-dasharray="5 3"/><text x="${left + j * 130 + 18}" y="18">${esc(n)}</text>`
      : `<rect x="${left + j * 130}" y="8" width="12" height="12" fill="${color(j)}"/><text x="${left + j * 130 + 16}" y="18">${esc(n)}</text>`;
  });
  return frame(id, title, desc, w, h, b);
}
