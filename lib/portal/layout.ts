// The page shell every portal page shares: one stylesheet inline (no external fonts, scripts,
// tiles or analytics — visitors are not tracked), a skip link, landmarks and visible focus
// (WCAG 2.1 AA: 2.4.1, 2.4.7; colours below meet 4.5:1 on white).
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const CSS = `
:root { --ink:#1a1a1a; --muted:#4a4a4a; --line:#c8c8c8; --link:#0b57d0; --bg:#fff; --accent:#00507a; --ok:#1e6b34; --bad:#a4161a; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--bg); margin: 0; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; z-index: 9; }
header.site { background: var(--accent); color: #fff; padding: .6rem 1rem; }
header.site a { color: #fff; text-decoration: none; font-weight: 600; margin-right: 1.2rem; }
header.site a:hover, header.site a:focus { text-decoration: underline; }
header.site nav { max-width: 64rem; margin: 0 auto; display: flex; flex-wrap: wrap; align-items: center; gap: .2rem; }
main { max-width: 64rem; margin: 0 auto; padding: 1rem; }
footer { max-width: 64rem; margin: 2rem auto; padding: 1rem; color: var(--muted); border-top: 1px solid var(--line); font-size: .9rem; }
a { color: var(--link); } a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .95rem; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: 1rem; padding: 0; list-style: none; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .8rem 1rem; }
.big { font-size: 2rem; font-weight: 700; line-height: 1.2; }
.muted { color: var(--muted); }
.ok { color: var(--ok); } .bad { color: var(--bad); }
.tag { display: inline-block; border: 1px solid var(--line); border-radius: 1rem; padding: 0 .6rem; margin: 0 .3rem .3rem 0; font-size: .85rem; }
form.search { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin: 1rem 0; }
label { font-weight: 600; display: block; }
input, select, button { font: inherit; padding: .4rem .6rem; border: 1px solid #767676; border-radius: 4px; }
button { background: var(--accent); color: #fff; border-color: var(--accent); cursor: pointer; }
figure { margin: 1rem 0; } figcaption { color: var(--muted); font-size: .9rem; }
svg { max-width: 100%; height: auto; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.issue-error { color: var(--bad); } .notice { background: #fff4ce; border: 1px solid #c9a500; padding: .5rem 1rem; border-radius: 4px; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .9em; } pre { overflow-x: auto; background: #f4f4f4; padding: .6rem; }
@media (max-width: 40rem) { .big { font-size: 1.6rem; } th, td { padding: .3rem; } }
`;

export interface PageOptions {
  title: string;
  /** Signed-in staff user, shown in the header. */
  user?: string;
  scripts?: string[];
}

export function page(opts: PageOptions, body: Html) {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title} · Corridor</title>
<style>${CSS}</style>
${(opts.scripts ?? []).map((s) => html`<script src="${s}" defer></script>`)}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site"><nav aria-label="Site">
<a href="/">Corridor</a><a href="/datasets">Datasets</a><a href="/measures">Measures</a><a href="/bca">Analyses</a><a href="/api/docs">API</a><a href="/staff">${opts.user ? `Staff (${opts.user})` : 'Staff sign-in'}</a>
</nav></header>
<main id="main">
${body}
</main>
<footer>Open data from the region's metropolitan planning organization, published with Corridor. No cookies or tracking for visitors.
Machine-readable catalog: <a href="/data.json">data.json</a> (DCAT-US 1.1) · <a href="/openapi.json">OpenAPI</a>.</footer>
</body>
</html>`;
}

export function fmtNumber(v: unknown, digits = 0) {
  const n = typeof v === 'number' ? v : Number(v);
  if (v === null || v === undefined || v === '' || Number.isNaN(n)) return '—';
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function fmtPct(v: unknown, digits = 1) {
  const n = typeof v === 'number' ? v : Number(v);
  if (v === null || v === undefined || v === '' || Number.isNaN(n)) return '—';
  return `${(n * 100).toFixed(digits)}%`;
}

export function fmtDate(iso: string | null | undefined) {
  return iso ? iso.slice(0, 10) : '—';
}
