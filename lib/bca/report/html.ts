// The scenario report as one self-contained, accessible HTML file: headline results, charts as
// inline SVG each followed by its data table, fiscal constraint, sensitivity and risk, the
// per-project ledgers, assumptions (parameter edition and unit values with sources), issues and
// lineage. No scripts, no external assets: it can be attached to a grant application as is.
import { writeFileSync } from 'node:fs';
import type { LedgerRow } from '../ledger';
import type { BcaRun } from '../model';
import { barChart, columnChart } from './charts';
import {
  esc,
  incrementalNote,
  MC_TABLE_HEADERS,
  mcDescription,
  mcTableRows,
  num,
  pct,
  ratio,
  selectionLabel,
  usd,
} from './format';

type Cell = string | number | null | undefined;
function table(caption: string, head: string[], rows: Cell[][], numeric: boolean[] = []) {
  const th = head.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const tr = rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${esc(c)}</th>` : `<td${numeric[i] ? ' class="n"' : ''}>${esc(c)}</td>`)).join('')}</tr>`,
    )
    .join('\n');
  return `<table><caption>${esc(caption)}</caption><thead><tr>${th}</tr></thead><tbody>${tr}</tbody></table>`;
}

export function annualSeries(rows: LedgerRow[]) {
  const years = [...new Set(rows.map((r) => r.year))].sort((a, b) => a - b);
  const sum = (pred: (r: LedgerRow) => boolean, y: number) =>
    rows.filter((r) => r.year === y && pred(r)).reduce((s, r) => s + (r.amount_real ?? 0), 0);
  return years.map((y) => ({
    year: y,
    benefits: sum((r) => r.flow_class === 'benefit', y),
    residual: sum((r) => r.flow_class === 'residual', y),
    capital: sum((r) => r.flow_class === 'capital', y),
    om_rehab: sum((r) => r.flow_class === 'om' || r.flow_class === 'rehab', y),
    pv_net: rows
      .filter((r) => r.year === y)
      .reduce(
        (s, r) => s + (r.pv ?? 0) * (r.flow_class === 'benefit' || r.flow_class === 'residual' ? 1 : -1),
        0,
      ),
  }));
}

const CSS = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1040px;margin:0 auto;padding:1rem 1.5rem;color:#1a1a1a;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2rem;border-bottom:2px solid #1b6ca8;padding-bottom:.2rem}h3{margin-top:1.4rem}
table{border-collapse:collapse;margin:.6rem 0 1.2rem;font-size:.88rem;width:100%}caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid #c8c8c8;padding:.25rem .45rem;vertical-align:top}thead th{background:#eef3f8}td.n{text-align:right;font-variant-numeric:tabular-nums}
tbody th{text-align:left;font-weight:500}.kpi{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}.kpi div{border:1px solid #c8c8c8;border-radius:6px;padding:.5rem .8rem;min-width:9rem}
.kpi b{display:block;font-size:1.25rem}.note{background:#fff8e1;border-left:4px solid #e0a800;padding:.5rem .8rem}.ok{background:#eaf6ec;border-left:4px solid #3a9e5c;padding:.5rem .8rem}
.bad{background:#fdecea;border-left:4px solid #b8433b;padding:.5rem .8rem}details{margin:.4rem 0}summary{cursor:pointer;font-weight:600}
figure{margin:1rem 0}figcaption{font-size:.9rem;color:#333}a{color:#0b5394}@media print{details{display:block}details>summary{display:none}}`;

export function renderHtml(run: BcaRun): string {
  const s = run.settings;
  const t = run.total;
  const sel = new Map(run.selection.chosen.map((c) => [c.project_id, c.alternative_id]));
  const selected = run.results.filter((r) => sel.get(r.project_id) === r.alternative_id);
  const title = (pid: string) => run.projects.find((p) => p.id === pid)?.title ?? pid;
  const errors = run.issues.filter((i) => i.severity === 'error');
  const parts: string[] = [];
  parts.push(
    `<header><h1>${esc(run.scenario.title)}</h1><p>Benefit-cost analysis · scenario <code>${esc(run.scenario.id)}</code>${run.scenario.agency ? ` · ${esc(run.scenario.agency)}` : ''} · generated ${esc(run.created_at.slice(0, 10))}</p>${run.scenario.description ? `<p>${esc(run.scenario.description)}</p>` : ''}</header>`,
  );
  parts.push(
    '<nav aria-label="Sections"><ul><li><a href="#summary">Summary</a></li><li><a href="#projects">Projects</a></li><li><a href="#annual">Annual streams</a></li><li><a href="#fiscal">Fiscal constraint</a></li><li><a href="#sensitivity">Sensitivity and risk</a></li><li><a href="#outcomes">Physical outcomes</a></li><li><a href="#ledgers">Project ledgers</a></li><li><a href="#assumptions">Assumptions</a></li><li><a href="#lineage">Lineage</a></li></ul></nav>',
  );

  parts.push('<main>');
  parts.push(`<section id="summary" aria-labelledby="h-summary"><h2 id="h-summary">Summary</h2>`);
  parts.push(
    `<p class="${errors.length ? 'bad' : 'ok'}">${errors.length ? `${errors.length} error(s) — results marked “—” could not be computed; see Issues.` : 'No errors.'} ${esc(selectionLabel(run.selection))}.</p>`,
  );
  parts.push(
    `<div class="kpi"><div>Net present value<b>${usd(t.npv_usd)}</b></div><div>Benefit-cost ratio<b>${ratio(t.bcr)}</b></div><div>PV benefits (BCR numerator)<b>${usd(t.benefits_pv_usd)}</b></div><div>PV costs (BCR denominator)<b>${usd(t.costs_pv_usd)}</b></div><div>Internal rate of return<b>${pct(t.irr)}</b></div><div>Discounted payback<b>${t.payback_year ?? '—'}</b></div></div>`,
  );
  parts.push(
    `<p>Constant ${s.dollarYear} dollars, discounted at ${pct(s.discountRate)} real per year to ${s.baseYear} (end-of-year flows). Parameter edition: <strong>${esc(s.edition.title)}</strong> (<code>${esc(s.edition.id)}</code>). BCR convention: ${s.costConvention === 'capital_only' ? 'capital costs in the denominator; O&amp;M, rehabilitation and residual value in the numerator' : 'all agency costs (capital, O&amp;M, rehabilitation) in the denominator'}. NPV does not depend on the convention.</p>`,
  );
  if (run.heuristic) {
    parts.push(
      `<p>For comparison, ranking projects by BCR and funding down the list until a budget runs out (a heuristic) gives a net benefit of ${usd(run.heuristic.objective_npv_usd)} against ${usd(run.selection.objective_npv_usd)} for the selected portfolio.</p>`,
    );
  }
  parts.push('</section>');

  // projects
  parts.push(
    `<section id="projects" aria-labelledby="h-projects"><h2 id="h-projects">Projects and alternatives</h2>`,
  );
  parts.push(
    table(
      'Results by project alternative (present values)',
      ['Project', 'Alternative', 'Selected', 'PV benefits', 'PV costs', 'NPV', 'BCR', 'IRR', 'Payback'],
      run.results.map((r) => [
        `${r.project_id} — ${title(r.project_id)}`,
        r.alternative_id,
        sel.get(r.project_id) === r.alternative_id ? 'yes' : 'no',
        usd(r.benefits_pv_usd),
        usd(r.costs_pv_usd),
        usd(r.npv_usd),
        ratio(r.bcr),
        pct(r.irr),
        r.payback_year ?? '—',
      ]),
      [false, false, false, true, true, true, true, true, true],
    ),
  );
  const cats = selected.map((r) => r.project_id);
  parts.push(
    `<figure>${barChart(
      'c-pv',
      'Present value of benefits and costs by selected project',
      'Horizontal bars compare PV benefits with PV costs for each selected project; the table below lists the values.',
      cats,
      [
        { name: 'PV benefits', values: selected.map((r) => r.benefits_pv_usd ?? 0) },
        { name: 'PV costs', values: selected.map((r) => r.costs_pv_usd ?? 0) },
      ],
    )}<figcaption>PV benefits and costs by selected project (values in the table above).</figcaption></figure>`,
  );
  const types = [...new Set(selected.flatMap((r) => Object.keys(r.benefits_by_type)))].sort();
  if (types.length) {
    parts.push(
      `<figure>${barChart(
        'c-types',
        'Present value of benefits by type and project',
        'Bars show each benefit type per selected project; negative values are disbenefits.',
        cats,
        types.map((ty) => ({
          name: ty.replaceAll('_', ' '),
          values: selected.map((r) => r.benefits_by_type[ty] ?? 0),
        })),
      )}<figcaption>Benefits by type.</figcaption></figure>`,
    );
    parts.push(
      table(
        'PV of benefits by type (selected alternatives)',
        ['Project', ...types.map((x) => x.replaceAll('_', ' '))],
        selected.map((r) => [r.project_id, ...types.map((ty) => usd(r.benefits_by_type[ty] ?? null))]),
        [false, ...types.map(() => true)],
      ),
    );
  }
  for (const inc of run.incremental) {
    const sel = run.projects.find((p) => p.id === inc.project_id)?.selected_alternative ?? null;
    parts.push(`<p>${esc(incrementalNote(inc, sel))}</p>`);
    parts.push(
      table(
        `Incremental analysis of mutually exclusive alternatives — ${inc.project_id} (preferred: ${inc.preferred})`,
        ['Alternative', 'Compared with', 'ΔPV benefits', 'ΔPV costs', 'Incremental BCR', 'Accepted'],
        inc.steps.map((st) => [
          st.alternative_id,
          st.compared_with,
          usd(st.delta_benefits),
          usd(st.delta_costs),
          ratio(st.incremental_bcr),
          st.accepted ? 'yes' : 'no',
        ]),
        [false, false, true, true, true, false],
      ),
    );
  }
  const unq = run.projects.filter((p) => p.unquantified.length);
  if (unq.length)
    parts.push(
      `<h3>Unquantified benefits</h3><ul>${unq.map((p) => `<li><strong>${esc(p.id)}</strong>: ${p.unquantified.map(esc).join('; ')}</li>`).join('')}</ul>`,
    );
  parts.push('</section>');

  // annual streams
  const sRows = run.ledger.filter((r) => sel.get(r.project_id) === r.alternative_id);
  const annual = annualSeries(sRows);
  let cum = 0;
  const cumPv = annual.map((a) => (cum += a.pv_net));
  parts.push(
    `<section id="annual" aria-labelledby="h-annual"><h2 id="h-annual">Annual benefit and cost streams (selected portfolio)</h2>`,
  );
  parts.push(
    `<figure>${columnChart(
      'c-annual',
      'Annual constant-dollar streams and cumulative discounted net benefit',
      'Columns above zero are benefits and residual value, below zero capital and O&M; the dashed line is the cumulative present value of net benefits.',
      annual.map((a) => a.year),
      [
        { name: 'Benefits', values: annual.map((a) => a.benefits) },
        { name: 'Residual value', values: annual.map((a) => a.residual) },
        { name: 'Capital', values: annual.map((a) => -a.capital) },
        { name: 'O&M + rehab', values: annual.map((a) => -a.om_rehab) },
      ],
      { name: 'Cumulative PV net', values: cumPv },
    )}<figcaption>Annual streams (undiscounted, constant ${s.dollarYear} dollars) and the cumulative discounted net benefit.</figcaption></figure>`,
  );
  parts.push(
    table(
      `Annual streams, constant ${s.dollarYear} dollars`,
      ['Year', 'Benefits', 'Residual value', 'Capital', 'O&M + rehab', 'PV of net', 'Cumulative PV'],
      annual.map((a, i) => [
        a.year,
        usd(a.benefits),
        usd(a.residual),
        usd(a.capital),
        usd(a.om_rehab),
        usd(a.pv_net),
        usd(cumPv[i]),
      ]),
      [false, true, true, true, true, true, true],
    ),
  );
  parts.push('</section>');

  // fiscal
  parts.push(
    `<section id="fiscal" aria-labelledby="h-fiscal"><h2 id="h-fiscal">Fiscal constraint by year and fund source</h2>`,
  );
  if (run.fiscal.length) {
    const labels = run.fiscal.map((f) => `${f.year} ${f.fund}`);
    parts.push(
      `<p class="${run.fiscal.every((f) => f.within_budget) ? 'ok' : 'bad'}">${run.fiscal.every((f) => f.within_budget) ? 'The selected program is within every budget.' : 'The program exceeds at least one budget.'} Costs are compared with budgets as entered in the scenario (usually year-of-expenditure dollars), not restated to constant dollars.</p>`,
    );
    parts.push(
      `<figure>${barChart(
        'c-fiscal',
        'Budget, programmed and requested spending by year and fund source',
        'For each year and fund source: the budget, the amount programmed by the selected portfolio, and the amount all projects request.',
        labels,
        [
          { name: 'Budget', values: run.fiscal.map((f) => f.budget_usd) },
          { name: 'Programmed', values: run.fiscal.map((f) => f.programmed_usd) },
          { name: 'Requested (all projects)', values: run.fiscal.map((f) => f.requested_usd) },
        ],
      )}<figcaption>Fiscal constraint.</figcaption></figure>`,
    );
    parts.push(
      table(
        'Budget and programmed spending',
        ['Year · fund', 'Budget', 'Programmed', 'Remaining', 'Within budget', 'Requested (all projects)'],
        run.fiscal.map((f) => [
          `${f.year} ${f.fund}`,
          usd(f.budget_usd),
          usd(f.programmed_usd),
          usd(f.remaining_usd),
          f.within_budget ? 'yes' : 'NO',
          usd(f.requested_usd),
        ]),
        [false, true, true, true, false, true],
      ),
    );
    if (run.budget_scan.length) {
      parts.push(
        table(
          'Marginal value of budget: the optimal program re-solved with every budget row scaled',
          ['Budget scale', 'Portfolio NPV', 'Projects selected', 'Optimal', 'ΔNPV per Δ$ of budget'],
          run.budget_scan.map((b) => [
            `${Math.round(b.budget_scale * 100)}%`,
            usd(b.npv_usd),
            b.projects_selected,
            b.optimal ? 'yes' : 'no',
            ratio(b.marginal_npv_per_budget_usd),
          ]),
          [false, true, true, false, true],
        ),
      );
    }
  } else parts.push('<p>The scenario states no budgets.</p>');
  parts.push('</section>');

  // sensitivity and risk
  parts.push(`<section id="sensitivity" aria-labelledby="h-sens"><h2 id="h-sens">Sensitivity and risk</h2>`);
  parts.push(
    table(
      'Deterministic sensitivity cases',
      ['Scope', 'Case', 'Discount rate', 'NPV', 'BCR'],
      run.sensitivity.map((r) => [r.scope, r.case, pct(r.discount_rate), usd(r.npv_usd), ratio(r.bcr)]),
      [false, false, true, true, true],
    ),
  );
  parts.push(
    table(
      'Switching values (multiplier at which NPV = 0)',
      ['Scope', 'Benefits multiplier', 'Costs multiplier'],
      run.switching.map((w) => [w.scope, ratio(w.benefit_multiplier), ratio(w.cost_multiplier)]),
      [false, true, true],
    ),
  );
  if (run.montecarlo) {
    const mc = run.montecarlo;
    parts.push(`<p class="note">${esc(mcDescription(mc))}</p>`);
    parts.push(
      `<figure>${columnChart(
        'c-mc',
        'Distribution of portfolio NPV across Monte Carlo draws',
        'Histogram: number of draws in each NPV band.',
        mc.histogram.map((_, i) => i + 1),
        [{ name: 'Draws', values: mc.histogram.map((h) => h.count) }],
      )}<figcaption>Portfolio NPV histogram (bands listed in the table below; the vertical axis counts draws).</figcaption></figure>`,
    );
    parts.push(
      table(
        'Portfolio NPV histogram',
        ['Band', 'From', 'To', 'Draws'],
        mc.histogram.map((h, i) => [i + 1, usd(h.from), usd(h.to), h.count]),
        [false, true, true, true],
      ),
    );
    parts.push(
      table('Monte Carlo percentiles', MC_TABLE_HEADERS, mcTableRows(mc), [
        false,
        true,
        true,
        true,
        true,
        true,
        true,
        true,
      ]),
    );
  }
  parts.push('</section>');

  // outcomes
  parts.push(
    `<section id="outcomes" aria-labelledby="h-out"><h2 id="h-out">Physical outcomes (selected portfolio, whole analysis period)</h2>`,
  );
  const outc = new Map<string, { unit: string; change: number }>();
  for (const o of run.outcomes.filter((o) => sel.get(o.project_id) === o.alternative_id)) {
    const k = `${o.project_id}|${o.measure}`;
    outc.set(k, { unit: o.unit, change: (outc.get(k)?.change ?? 0) + o.change });
  }
  parts.push(
    outc.size
      ? table(
          'Reductions (No-Build minus Build), summed over years',
          ['Project', 'Measure', 'Change', 'Unit'],
          [...outc].map(([k, v]) => [
            k.split('|')[0],
            k.split('|')[1]!.replaceAll('_', ' '),
            num(v.change, 2),
            v.unit,
          ]),
          [false, false, true, false],
        )
      : '<p>No physical outcomes were declared.</p>',
  );
  parts.push('</section>');

  // ledgers
  parts.push(
    `<section id="ledgers" aria-labelledby="h-led"><h2 id="h-led">Project ledgers</h2><p>One row per flow and year: No-Build and Build quantities, unit value, price factor to ${s.dollarYear} dollars, discount factor to ${s.baseYear}, present value. The same rows are in <code>ledger.csv</code> and the Excel workbook.</p>`,
  );
  for (const r of run.results) {
    const rows = run.ledger.filter(
      (l) => l.project_id === r.project_id && l.alternative_id === r.alternative_id,
    );
    parts.push(
      `<details><summary>${esc(r.project_id)} / ${esc(r.alternative_id)} — ${esc(title(r.project_id))} (${rows.length} rows)</summary>${table(
        `Ledger of ${r.project_id} / ${r.alternative_id}`,
        [
          'Flow',
          'Year',
          'No-Build',
          'Build',
          'Change',
          'Unit',
          'Unit value',
          'Amount',
          'Dollar year',
          'Price factor',
          'Discount factor',
          'PV',
        ],
        rows.map((l) => [
          l.flow,
          l.year,
          num(l.quantity_nb, 3),
          num(l.quantity_b, 3),
          num(l.quantity, 3),
          l.unit ?? '',
          num(l.unit_value, 2),
          usd(l.amount),
          l.dollar_year,
          num(l.price_factor, 4),
          num(l.discount_factor, 4),
          usd(l.pv),
        ]),
        [false, true, true, true, true, false, true, true, true, true, true, true],
      )}</details>`,
    );
  }
  parts.push('</section>');

  // assumptions
  parts.push(
    `<section id="assumptions" aria-labelledby="h-ass"><h2 id="h-ass">Assumptions and parameters</h2>`,
  );
  parts.push(
    table(
      'Run settings',
      ['Setting', 'Value'],
      [
        ['Parameter edition', `${s.edition.title} (${s.edition.id}, published ${s.edition.published})`],
        ['Edition source', s.edition.source],
        ['Edition verification', s.edition.verification],
        ['Dollar year of results', s.dollarYear],
        ['Discount reference (base) year', s.baseYear],
        ['Real discount rate', pct(s.discountRate, 2)],
        ['BCR cost convention', s.costConvention],
        ['Maximum operating years (edition)', s.edition.maxOperatingYears],
        [
          'Price index',
          'GDP implicit price deflator (data/bca/price_index.csv; see its verification column)',
        ],
      ],
    ),
  );
  parts.push(
    table(
      'Unit values used',
      ['Category', 'Item', 'Value', 'Unit', 'Dollar year', 'Locator', 'Verification', 'Source'],
      run.unit_values_used.map((u) => [
        u.category,
        u.item,
        num(u.value, 2),
        u.unit,
        u.dollar_year ?? '',
        u.locator,
        u.verification,
        u.source,
      ]),
    ),
  );
  parts.push(
    `<h3 id="issues">Issues</h3>${
      run.issues.length
        ? table(
            'Problems found in the inputs',
            ['Severity', 'Code', 'Where', 'Message', 'What to do'],
            run.issues.map((i) => [
              i.severity,
              i.code,
              [i.file, i.line, i.column].filter((x) => x !== undefined && x !== '').join(' '),
              i.message,
              i.fix ?? '',
            ]),
          )
        : '<p>None.</p>'
    }`,
  );
  parts.push('</section>');

  parts.push(
    `<section id="lineage" aria-labelledby="h-lin"><h2 id="h-lin">Lineage</h2>${table(
      'Where these numbers come from',
      ['Item', 'Value'],
      [
        ['Run id', run.lineage.run_id],
        ['Input', `${run.source.file} (sha256 ${run.source.sha256})`],
        ['Parameter tables', JSON.stringify(run.lineage.editions)],
        ['Code version', run.lineage.code_version],
        ['Created', run.lineage.created_at],
        [
          'Selection',
          `${run.selection.method}; status ${run.selection.status}; ${run.selection.seconds.toFixed(3)} s`,
        ],
      ],
    )}</section>`,
  );
  parts.push('</main>');
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(run.scenario.title)} — benefit-cost analysis</title><style>${CSS}</style></head><body>\n${parts.join('\n')}\n</body></html>\n`;
}

export function writeHtmlReport(run: BcaRun, path: string) {
  writeFileSync(path, renderHtml(run));
}
