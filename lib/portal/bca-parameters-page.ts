// /bca/parameters: every value a benefit-cost analysis here can use — the USDOT guidance editions,
// their unit values, the price index and the operations-strategy library — with how far each was
// verified and where it came from. A grant reviewer checking a published report's "edition
// usdot-2026" finds the figures behind it here, and the tables themselves as CSV downloads.
import { html } from 'hono/html';
import { strategyLibrary } from '../bca/calculators/operations';
import { type Edition, loadParameters, type UnitValue } from '../bca/params';
import { fmtNumber, fmtPct, page } from './layout';

/** The data/bca tables offered for download (they are the whole parameter set, nothing else). */
export const PARAMETER_FILES = [
  'editions.csv',
  'unit_values.csv',
  'price_index.csv',
  'operations_strategies.csv',
] as const;

/** Source notes carry URLs; show them as links and everything else as escaped text. */
function linked(text: string) {
  const parts = text.split(/(https?:\/\/[^\s;,)"]+)/);
  return parts.map((p, i) => (i % 2 === 1 ? html`<a href="${p}" rel="noopener">${p}</a>` : html`${p}`));
}

const years = (u: UnitValue) =>
  u.yearFrom === null
    ? ''
    : u.yearTo === null || u.yearTo === u.yearFrom
      ? `${u.yearFrom}`
      : `${u.yearFrom}–${u.yearTo}`;

function editionRow(e: Edition) {
  return html`<tr><th scope="row"><a href="#${e.id}">${e.id}</a>${e.isDefault ? html` <strong>(default)</strong>` : ''}</th>
<td>${e.title}</td><td>${e.published}</td><td class="num">${e.dollarYear}</td>
<td class="num">${fmtPct(e.discountRate)}${e.altDiscountRate === null ? '' : ` (${fmtPct(e.altDiscountRate)} alt.)`}</td>
<td>${e.costConvention === 'capital_only' ? 'capital only' : 'all costs'}</td><td>${e.co2Policy}</td>
<td>${e.verification}</td></tr>`;
}

function editionValues(e: Edition, values: UnitValue[]) {
  const own = values.filter((u) => u.editionId === e.id);
  const from = e.valuesFrom ? values.filter((u) => u.editionId === e.valuesFrom) : [];
  const rows = own.length ? own : from;
  return html`<details id="${e.id}"><summary>${e.id}: ${rows.length} unit value(s)${
    !own.length && from.length ? ` (taken from ${e.valuesFrom})` : ''
  }</summary>
<p>Source: ${linked(e.source)}</p>
${
  rows.length
    ? html`<div class="scroll"><table><caption>Unit values of ${e.id}, ${e.dollarYear} dollars unless the row says otherwise</caption>
<thead><tr><th scope="col">Category</th><th scope="col">Item</th><th scope="col">Years</th><th scope="col" class="num">Value</th><th scope="col">Unit</th><th scope="col">Where in the guidance</th><th scope="col">Verification</th><th scope="col">Source</th></tr></thead>
<tbody>${rows.map(
        (u) =>
          html`<tr><td>${u.category}</td><td>${u.item}</td><td>${years(u)}</td><td class="num">${fmtNumber(u.value, u.value < 100 ? 2 : 0)}</td><td>${u.unit}${u.dollarYear && u.dollarYear !== e.dollarYear ? ` (${u.dollarYear}$)` : ''}</td><td>${u.locator}</td><td>${u.verification}</td><td>${linked(u.source)}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p>No unit values are recorded for this edition: its calculators refuse to value benefits (an error, never a zero); a ledger of amounts already in dollars still runs.</p>`
}</details>`;
}

export function parametersPage(user?: string) {
  const { editions, unitValues, priceIndex } = loadParameters();
  const strategies = strategyLibrary();
  return page(
    { title: 'Benefit-cost parameters', user },
    html`<p><a href="/bca">Benefit-cost analyses</a> › Parameters</p>
<h1>Benefit-cost parameters</h1>
<p>Every analysis pins one edition of the USDOT benefit-cost guidance and records it, with a hash of these tables, in
its lineage. Each value says how far it was checked: <em>primary</em> (seen in the agency's own document or an exact
copy), <em>secondary</em> (transcribed by a public source that cites the table; "2 sources" when two independent
copies agree) or <em>unverified</em>. Check secondary values against the guidance before a grant submission.</p>
<p>Download the tables: ${PARAMETER_FILES.map(
      (f, i) => html`${i ? ' · ' : ''}<a href="/bca/parameters/${f}">${f}</a>`,
    )}.</p>
<h2>Guidance editions</h2>
<div class="scroll"><table><caption>${editions.length} editions; the default is used when a scenario names none</caption>
<thead><tr><th scope="col">Edition</th><th scope="col">Title</th><th scope="col">Published</th><th scope="col" class="num">Dollar year</th><th scope="col" class="num">Real discount rate</th><th scope="col">BCR denominator</th><th scope="col">CO₂</th><th scope="col">Verification</th></tr></thead>
<tbody>${editions.map(editionRow)}</tbody></table></div>
<h2>Unit values by edition</h2>
${editions.map((e) => editionValues(e, unitValues))}
<h2 id="operations">Operations strategies</h2>
<p>Default impact factors of the operations-strategy library, from published evaluations. A blank default means no
defensible published figure was found: a scenario using that strategy must give its own factor and source.</p>
<div class="scroll"><table><caption>${strategies.length} strategy measures</caption>
<thead><tr><th scope="col">Strategy</th><th scope="col">Measure</th><th scope="col" class="num">Default</th><th scope="col" class="num">Range</th><th scope="col">Applies to</th><th scope="col">Verification</th><th scope="col">Source</th></tr></thead>
<tbody>${strategies.map(
      (s) =>
        html`<tr><th scope="row">${s.title}</th><td>${s.measure}</td><td class="num">${s.value === null ? '—' : fmtNumber(s.value, 3)}</td><td class="num">${rangeOf(s)}</td><td>${s.applies_to}</td><td>${linked(s.verification)}</td><td>${linked(s.source)}</td></tr>`,
    )}</tbody></table></div>
<h2>Price index</h2>
<details><summary>${priceIndex.length} rows: restating dollars between years</summary>
<div class="scroll"><table><caption>Price index by year (a run multiplies an amount by index(dollar year) / index(its year))</caption>
<thead><tr><th scope="col">Series</th><th scope="col" class="num">Year</th><th scope="col" class="num">Index</th><th scope="col">Verification</th></tr></thead>
<tbody>${priceIndex.map(
      (p) =>
        html`<tr><td>${p.series}</td><td class="num">${p.year}</td><td class="num">${fmtNumber(p.value, 3)}</td><td>${p.verification}</td></tr>`,
    )}</tbody></table></div>
<p>Source: ${linked(priceIndex[0]?.source ?? '')}</p></details>`,
  );
}

function rangeOf(s: { low?: number | null; high?: number | null }) {
  const { low, high } = s;
  if ((low ?? null) === null && (high ?? null) === null) return '—';
  return `${low === null || low === undefined ? '…' : fmtNumber(low, 3)}–${high === null || high === undefined ? '…' : fmtNumber(high, 3)}`;
}
