// The scenario report as PDF (pdfkit): the summary a board packet needs, the results, fiscal
// constraint, sensitivity and risk, annual ledgers per selected project, assumptions and lineage.
import { createWriteStream } from 'node:fs';
import PDFDocument from 'pdfkit';
import type { BcaRun } from '../model';
import {
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
import { annualSeries } from './html';

type Doc = InstanceType<typeof PDFDocument>;

/** The standard PDF fonts are WinAnsi-encoded: spell out the few characters outside it. */
export const winAnsi = (text: string) =>
  text
    .replace(/[−–—]/g, '-')
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/…/g, '...')
    .replace(/Δ/g, 'd')
    .replace(/×/g, 'x')
    .replace(/≤/g, '<=')
    .replace(/≥/g, '>=')
    .replace(/→/g, '->')
    .replace(/[^\x20-\x7e\xa0-\xff\n]/g, '?');

function heading(doc: Doc, text: string, size = 14) {
  if (doc.y > doc.page.height - 120) doc.addPage();
  doc
    .moveDown(0.6)
    .font('Helvetica-Bold')
    .fontSize(size)
    .fillColor('#1b6ca8')
    .text(text)
    .fillColor('black')
    .font('Helvetica')
    .fontSize(9)
    .moveDown(0.3);
}

function table(doc: Doc, head: string[], rows: string[][], widths: number[]) {
  const left = doc.page.margins.left;
  const total = widths.reduce((a, b) => a + b, 0);
  const usable = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const w = widths.map((x) => (x / total) * usable);
  const drawRow = (cells: string[], bold: boolean) => {
    const h =
      Math.max(
        ...cells.map((c, i) =>
          doc
            .font(bold ? 'Helvetica-Bold' : 'Helvetica')
            .fontSize(8)
            .heightOfString(c, { width: w[i]! - 4 }),
        ),
      ) + 4;
    if (doc.y + h > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      if (!bold) drawRow(head, true);
    }
    const y = doc.y;
    let x = left;
    if (bold) doc.rect(left, y, usable, h).fill('#eef3f8').fillColor('black');
    cells.forEach((c, i) => {
      doc
        .font(bold ? 'Helvetica-Bold' : 'Helvetica')
        .fontSize(8)
        .text(c, x + 2, y + 2, { width: w[i]! - 4, align: i > 0 && /^[−$\d.%-]/.test(c) ? 'right' : 'left' });
      x += w[i]!;
    });
    doc
      .moveTo(left, y + h)
      .lineTo(left + usable, y + h)
      .lineWidth(0.3)
      .strokeColor('#bbbbbb')
      .stroke();
    doc.x = left;
    doc.y = y + h;
  };
  drawRow(head, true);
  for (const r of rows) drawRow(r, false);
  doc.moveDown(0.5);
}

/** Horizontal bars of PV benefits and PV costs per selected project (vector, no raster). */
function pvChart(doc: Doc, rows: { label: string; benefits: number; costs: number }[]) {
  if (rows.length === 0) return;
  const left = doc.page.margins.left;
  const labelW = 110;
  const width = doc.page.width - left - doc.page.margins.right - labelW - 10;
  const barH = 7;
  const rowH = barH * 2 + 6;
  const h = rows.length * rowH + 24;
  if (doc.y + h > doc.page.height - doc.page.margins.bottom) doc.addPage();
  const top = doc.y;
  const max = Math.max(1, ...rows.flatMap((r) => [r.benefits, r.costs]));
  const x0 = left + labelW;
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    doc
      .fillColor('black')
      .font('Helvetica')
      .fontSize(7)
      .text(r.label, left, y + 3, { width: labelW - 6, align: 'right', lineBreak: false });
    doc.rect(x0, y, (Math.max(0, r.benefits) / max) * width, barH).fill('#1b6ca8');
    doc.rect(x0, y + barH + 1, (Math.max(0, r.costs) / max) * width, barH).fill('#e07b39');
  });
  const ly = top + rows.length * rowH + 6;
  doc.rect(x0, ly, 8, 8).fill('#1b6ca8');
  doc
    .fillColor('black')
    .fontSize(7)
    .text('PV benefits (BCR numerator)', x0 + 12, ly, { lineBreak: false });
  doc.rect(x0 + 150, ly, 8, 8).fill('#e07b39');
  doc
    .fillColor('black')
    .text(`PV costs (BCR denominator); longest bar = ${usd(max)}`, x0 + 162, ly, { lineBreak: false });
  doc.x = left;
  doc.y = ly + 16;
}

export function renderPdf(run: BcaRun, doc: Doc) {
  const s = run.settings;
  const t = run.total;
  const sel = new Map(run.selection.chosen.map((c) => [c.project_id, c.alternative_id]));
  doc.info.Title = `${run.scenario.title} — benefit-cost analysis`;
  doc.info.Subject = `Scenario ${run.scenario.id}`;
  doc.font('Helvetica-Bold').fontSize(20).text(run.scenario.title);
  doc
    .font('Helvetica')
    .fontSize(10)
    .text(
      `Benefit-cost analysis · scenario ${run.scenario.id}${run.scenario.agency ? ` · ${run.scenario.agency}` : ''} · ${run.created_at.slice(0, 10)}`,
    );
  if (run.scenario.description) doc.moveDown(0.3).text(run.scenario.description);
  heading(doc, 'Summary');
  doc.fontSize(10).text(selectionLabel(run.selection));
  doc.moveDown(0.3);
  table(
    doc,
    ['Measure', 'Value'],
    [
      ['Net present value', usd(t.npv_usd)],
      ['Benefit-cost ratio', ratio(t.bcr)],
      ['PV benefits (BCR numerator)', usd(t.benefits_pv_usd)],
      ['PV costs (BCR denominator)', usd(t.costs_pv_usd)],
      ['Internal rate of return', pct(t.irr)],
      ['Discounted payback year', String(t.payback_year ?? '—')],
      [
        'Dollars / discounting',
        `constant ${s.dollarYear} dollars, ${pct(s.discountRate)} real, end-of-year to ${s.baseYear}`,
      ],
      ['Parameter edition', `${s.edition.title} (${s.edition.id})`],
      [
        'BCR convention',
        s.costConvention === 'capital_only'
          ? 'capital in denominator; O&M, rehab, residual in numerator'
          : 'all agency costs in denominator',
      ],
      ...(run.heuristic
        ? [
            [
              'BCR-ranked heuristic (comparison)',
              `${usd(run.heuristic.objective_npv_usd)} net benefit vs ${usd(run.selection.objective_npv_usd)} selected`,
            ],
          ]
        : []),
      [
        'Errors / warnings',
        `${run.issues.filter((i) => i.severity === 'error').length} / ${run.issues.filter((i) => i.severity === 'warning').length}`,
      ],
    ],
    [2, 3],
  );
  heading(doc, 'Present values of the selected projects');
  pvChart(
    doc,
    run.results
      .filter((r) => sel.get(r.project_id) === r.alternative_id)
      .map((r) => ({
        label: `${r.project_id} / ${r.alternative_id}`,
        benefits: r.benefits_pv_usd ?? 0,
        costs: r.costs_pv_usd ?? 0,
      })),
  );
  heading(doc, 'Projects and alternatives');
  table(
    doc,
    ['Project', 'Alt.', 'Sel.', 'PV benefits', 'PV costs', 'NPV', 'BCR', 'IRR', 'Payback'],
    run.results.map((r) => [
      r.project_id,
      r.alternative_id,
      sel.get(r.project_id) === r.alternative_id ? 'yes' : '',
      usd(r.benefits_pv_usd),
      usd(r.costs_pv_usd),
      usd(r.npv_usd),
      ratio(r.bcr),
      pct(r.irr),
      String(r.payback_year ?? '—'),
    ]),
    [1.3, 0.9, 0.5, 1.3, 1.3, 1.3, 0.6, 0.7, 0.7],
  );
  for (const inc of run.incremental) {
    doc
      .fontSize(9)
      .font('Helvetica-Bold')
      .text(`Incremental analysis — ${inc.project_id} (preferred: ${inc.preferred})`)
      .font('Helvetica')
      .text(
        incrementalNote(inc, run.projects.find((p) => p.id === inc.project_id)?.selected_alternative ?? null),
      );
    table(
      doc,
      ['Alternative', 'vs', 'ΔB', 'ΔC', 'ΔB/ΔC', 'Accepted'],
      inc.steps.map((st) => [
        st.alternative_id,
        st.compared_with,
        usd(st.delta_benefits),
        usd(st.delta_costs),
        ratio(st.incremental_bcr),
        st.accepted ? 'yes' : 'no',
      ]),
      [1, 1, 1.2, 1.2, 0.7, 0.7],
    );
  }
  if (run.fiscal.length) {
    heading(doc, 'Fiscal constraint by year and fund source');
    table(
      doc,
      ['Year', 'Fund', 'Budget', 'Programmed', 'Remaining', 'Within', 'Requested'],
      run.fiscal.map((f) => [
        String(f.year),
        f.fund,
        usd(f.budget_usd),
        usd(f.programmed_usd),
        usd(f.remaining_usd),
        f.within_budget ? 'yes' : 'NO',
        usd(f.requested_usd),
      ]),
      [0.6, 0.8, 1.2, 1.2, 1.2, 0.6, 1.2],
    );
  }
  if (run.budget_scan.length) {
    doc
      .fontSize(9)
      .font('Helvetica-Bold')
      .text('Marginal value of budget (every budget row scaled)')
      .font('Helvetica');
    table(
      doc,
      ['Budget scale', 'Portfolio NPV', 'Projects', 'Optimal', 'ΔNPV per Δ$'],
      run.budget_scan.map((b) => [
        `${Math.round(b.budget_scale * 100)}%`,
        usd(b.npv_usd),
        String(b.projects_selected),
        b.optimal ? 'yes' : 'no',
        ratio(b.marginal_npv_per_budget_usd),
      ]),
      [1, 1.4, 0.8, 0.8, 1],
    );
  }
  heading(doc, 'Sensitivity');
  table(
    doc,
    ['Scope', 'Case', 'Rate', 'NPV', 'BCR'],
    run.sensitivity.map((r) => [r.scope, r.case, pct(r.discount_rate), usd(r.npv_usd), ratio(r.bcr)]),
    [1.5, 1.5, 0.6, 1.3, 0.6],
  );
  table(
    doc,
    ['Scope', 'Benefits multiplier at NPV = 0', 'Costs multiplier at NPV = 0'],
    run.switching.map((w) => [w.scope, ratio(w.benefit_multiplier), ratio(w.cost_multiplier)]),
    [2, 1.5, 1.5],
  );
  if (run.montecarlo) {
    const mc = run.montecarlo;
    heading(doc, 'Monte Carlo risk scenario', 12);
    doc.fontSize(8).text(mcDescription(mc));
    doc.moveDown(0.3);
    table(doc, MC_TABLE_HEADERS, mcTableRows(mc), [1.5, 1.2, 1.2, 1.2, 0.6, 0.6, 0.6, 0.7]);
  }
  heading(doc, `Annual streams of selected projects (constant ${s.dollarYear} dollars)`);
  for (const c of run.selection.chosen) {
    const rows = run.ledger.filter(
      (l) => l.project_id === c.project_id && l.alternative_id === c.alternative_id,
    );
    doc
      .fontSize(9)
      .font('Helvetica-Bold')
      .text(
        `${c.project_id} / ${c.alternative_id} — ${run.projects.find((p) => p.id === c.project_id)?.title ?? ''}`,
      )
      .font('Helvetica');
    table(
      doc,
      ['Year', 'Benefits', 'Residual', 'Capital', 'O&M + rehab', 'PV of net'],
      annualSeries(rows).map((a) => [
        String(a.year),
        usd(a.benefits),
        usd(a.residual),
        usd(a.capital),
        usd(a.om_rehab),
        usd(a.pv_net),
      ]),
      [0.6, 1.2, 1, 1.2, 1.1, 1.2],
    );
  }
  heading(doc, 'Assumptions and unit values');
  table(
    doc,
    ['Category', 'Item', 'Value', 'Unit', '$ year', 'Verification / source'],
    run.unit_values_used.map((u) => [
      u.category,
      u.item,
      num(u.value, 2),
      u.unit,
      String(u.dollar_year ?? ''),
      `${u.verification}; ${u.locator}; ${u.source}`,
    ]),
    [0.9, 0.9, 0.9, 1.1, 0.5, 3],
  );
  doc.fontSize(8).text(`Edition source: ${s.edition.source}. Verification: ${s.edition.verification}.`);
  if (run.issues.length) {
    heading(doc, 'Issues');
    table(
      doc,
      ['Severity', 'Code', 'Message'],
      run.issues.map((i) => [i.severity, i.code, `${i.message}${i.fix ? ` — ${i.fix}` : ''}`]),
      [0.7, 1.3, 4],
    );
  }
  heading(doc, 'Lineage');
  table(
    doc,
    ['Item', 'Value'],
    [
      ['Run id', run.lineage.run_id],
      ['Input', `${run.source.file} (sha256 ${run.source.sha256})`],
      ['Parameter tables', JSON.stringify(run.lineage.editions)],
      ['Code version', run.lineage.code_version],
      ['Created', run.lineage.created_at],
    ],
    [1, 4],
  );
}

export function writePdfReport(run: BcaRun, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'LETTER',
      margin: 50,
      info: { Producer: 'Corridor', Creator: 'corridor bca' },
    });
    const out = createWriteStream(path);
    out.on('finish', () => resolve());
    out.on('error', reject);
    doc.pipe(out);
    const text = doc.text.bind(doc);
    doc.text = ((t: unknown, ...rest: unknown[]) =>
      (text as (...a: unknown[]) => Doc)(typeof t === 'string' ? winAnsi(t) : t, ...rest)) as typeof doc.text;
    renderPdf(run, doc);
    doc.end();
  });
}
