// The system performance report (PDF, pdfkit's built-in fonts: nothing fetched). For each federal
// measure: the value, baseline and targets, whether the target is met, a small trend chart, and
// the lineage of the number (run, input dataset versions, query hashes, code version).
import PDFDocument from 'pdfkit';
import type { Lineage } from '../catalog/results';
import type { MeasureRow } from './measure-table';

const fmt = (v: number | null, unit: string) =>
  v === null
    ? '—'
    : unit === 'percent'
      ? `${v.toFixed(1)}%`
      : unit === 'index'
        ? v.toFixed(2)
        : v.toLocaleString('en-US', { maximumFractionDigits: 1 });

export function performanceReportPdf(
  rows: MeasureRow[],
  lineages: Lineage[],
  meta: { region: string; generatedAt: string; codeVersion: string },
): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: 54,
    info: {
      Title: `${meta.region} system performance report`,
      Author: 'Corridor',
      Subject: '23 CFR 490 system performance report',
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  doc.font('Helvetica-Bold').fontSize(20).text(`${meta.region}`, { align: 'left' });
  doc
    .font('Helvetica')
    .fontSize(14)
    .text('System performance report: federal performance measures and targets');
  doc
    .moveDown(0.5)
    .fontSize(9)
    .fillColor('#444')
    .text(
      `Generated ${meta.generatedAt} by Corridor (code ${meta.codeVersion}). Each number below lists the computation run, input dataset versions and query hashes it comes from; the same figures are in measures.csv and measures.xlsx of this package.`,
    );
  doc.fillColor('#000').moveDown();

  doc.font('Helvetica-Bold').fontSize(12).text('Summary');
  doc.moveDown(0.3);
  const cols = [
    { w: 210, t: 'Measure' },
    { w: 70, t: 'Latest' },
    { w: 70, t: 'Baseline' },
    { w: 60, t: '2-yr target' },
    { w: 60, t: '4-yr target' },
    { w: 60, t: 'Status' },
  ];
  let y = doc.y;
  const row = (cells: string[], bold = false) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8.5);
    let x = doc.page.margins.left;
    const h = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: cols[i]!.w - 6 })));
    if (y + h > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      y = doc.page.margins.top;
    }
    cells.forEach((c, i) => {
      doc.text(c, x, y, { width: cols[i]!.w - 6 });
      x += cols[i]!.w;
    });
    y += h + 4;
    doc
      .moveTo(doc.page.margins.left, y - 2)
      .lineTo(doc.page.margins.left + 530, y - 2)
      .strokeColor('#ccc')
      .lineWidth(0.5)
      .stroke();
  };
  row(
    cols.map((c) => c.t),
    true,
  );
  for (const r of rows) {
    row([
      `${r.measure} (${r.rule})`,
      r.latest_year ? `${fmt(r.latest, r.unit)} (${r.latest_year})` : 'not computed',
      r.baseline_year ? `${fmt(r.baseline, r.unit)} (${r.baseline_year})` : fmt(r.baseline, r.unit),
      fmt(r.target_2yr, r.unit),
      fmt(r.target_4yr, r.unit),
      r.status,
    ]);
  }
  doc.x = doc.page.margins.left;
  doc.y = y + 10;

  for (const r of rows) {
    if (doc.y > doc.page.height - 260) doc.addPage();
    doc.font('Helvetica-Bold').fontSize(11).text(r.measure, doc.page.margins.left, doc.y);
    doc.font('Helvetica').fontSize(9).text(`${r.rule} · applies to ${r.applies_to} · unit: ${r.unit}`);
    if (r.history.length >= 2) trend(doc, r);
    else
      doc
        .moveDown(0.3)
        .text(
          r.history.length
            ? `Value ${fmt(r.latest, r.unit)} in ${r.latest_year}.`
            : 'Not computed yet: its inputs are not in the catalog or the measure family has not run.',
        );
    doc.moveDown(0.3).fontSize(8).fillColor('#444');
    if (r.run_id)
      doc.text(
        `Lineage: run ${r.run_id}; inputs ${r.inputs || '—'}; queries ${r.queries || '—'}; code ${r.code_version ?? '—'}.`,
      );
    doc.fillColor('#000').moveDown();
  }

  doc.addPage().font('Helvetica-Bold').fontSize(12).text('Lineage of every run used');
  doc.font('Helvetica').fontSize(8);
  for (const l of lineages) {
    doc
      .moveDown(0.4)
      .font('Helvetica-Bold')
      .text(`${l.family} run ${l.run_id} (${l.key}), ${l.created_at}, code ${l.code_version}`);
    doc.font('Helvetica');
    for (const i of l.inputs)
      doc.text(
        `input ${i.dataset_id} version ${i.version}${i.content_hash ? ` sha256 ${i.content_hash.slice(0, 16)}…` : ''}`,
      );
    for (const q of l.queries)
      doc.text(`query ${q.name} sha256 ${q.sha256}${q.reference ? ` — ${q.reference}` : ''}`);
  }
  doc.end();
  return done;
}

function trend(doc: PDFKit.PDFDocument, r: MeasureRow) {
  const x0 = doc.page.margins.left + 30;
  const y0 = doc.y + 8;
  const W = 300;
  const H = 90;
  const vals = r.history
    .map((p) => p.value)
    .concat([r.target_2yr, r.target_4yr].filter((v): v is number => v !== null));
  const [lo, hi] = [Math.min(...vals), Math.max(...vals)];
  const pad = (hi - lo) * 0.1 || 1;
  const sy = (v: number) => y0 + H - ((v - lo + pad) / (hi - lo + 2 * pad)) * H;
  const xs = r.history.map((p) => p.year);
  const sx = (x: number) => x0 + ((x - Math.min(...xs)) / (Math.max(...xs) - Math.min(...xs) || 1)) * W;
  doc.rect(x0, y0, W, H).strokeColor('#999').lineWidth(0.5).stroke();
  for (const [i, p] of r.history.entries()) {
    if (i) doc.lineTo(sx(p.year), sy(p.value));
    else doc.moveTo(sx(p.year), sy(p.value));
  }
  doc.strokeColor('#00507a').lineWidth(1.5).stroke();
  for (const p of r.history) doc.circle(sx(p.year), sy(p.value), 2).fill('#00507a');
  const goal = r.target_4yr ?? r.target_2yr;
  if (goal !== null) {
    doc
      .moveTo(x0, sy(goal))
      .lineTo(x0 + W, sy(goal))
      .dash(3, { space: 3 })
      .strokeColor('#a4161a')
      .stroke()
      .undash();
    doc
      .fillColor('#a4161a')
      .fontSize(7)
      .text(`target ${fmt(goal, r.unit)}`, x0 + W + 4, sy(goal) - 4);
  }
  doc.fillColor('#000').fontSize(7);
  doc.text(fmt(hi, r.unit), x0 - 30, y0 - 3, { width: 26, align: 'right' });
  doc.text(fmt(lo, r.unit), x0 - 30, y0 + H - 6, { width: 26, align: 'right' });
  doc.text(String(Math.min(...xs)), x0, y0 + H + 2);
  doc.text(String(Math.max(...xs)), x0 + W - 20, y0 + H + 2);
  doc.x = doc.page.margins.left;
  doc.y = y0 + H + 14;
  doc
    .fontSize(9)
    .text(`Latest ${fmt(r.latest, r.unit)} (${r.latest_year}); status against target: ${r.status}.`);
}
