// The scenario report for the demo region's project list: PDF and XLSX open (re-read), the HTML
// is self-contained and accessible (a table after every chart, captions, lang, no scripts).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BcaRun } from '../../lib/bca/model';
import { runBca } from '../../lib/bca/run';
import { generateBcaDemo } from '../../lib/demo/bca';
import { tempCtx } from './helpers';

let run: BcaRun;
let out: string;

beforeAll(async () => {
  const { dir, ctx } = await tempCtx();
  const demo = await generateBcaDemo(join(dir, 'demo'));
  out = join(dir, 'out');
  const r = await runBca(ctx, demo.scenarios[0]!, { out });
  expect(r.issues.issues.filter((i) => i.severity === 'error')).toEqual([]);
  run = r.run!;
});

describe('demo scenario report', () => {
  it('PDF: a real PDF with several pages and the document title', async () => {
    const pdf = readFileSync(join(out, 'report.pdf'));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.subarray(-6).toString()).toMatch(/%%EOF/);
    const pages = pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? [];
    expect(pages.length).toBeGreaterThanOrEqual(3);
    // when poppler is installed, a real PDF reader must open it and count the same pages
    if (existsSync('/usr/bin/pdfinfo')) {
      const info = execFileSync('/usr/bin/pdfinfo', [join(out, 'report.pdf')]).toString();
      expect(Number(/Pages:\s+(\d+)/.exec(info)?.[1])).toBe(pages.length);
      expect(info).toMatch(/Title:\s+FY2027/);
    }
    // text drawn with the standard fonts: every string passed through the WinAnsi mapping
    const { winAnsi } = await import('../../lib/bca/report/pdf');
    expect(winAnsi('FY2027–2030 −$5 ΔB/ΔC ≤ 1')).toBe('FY2027-2030 -$5 dB/dC <= 1');
  });

  it('XLSX: re-opens with every sheet; the ledger and summary match the run', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out, 'report.xlsx'));
    expect(wb.worksheets.map((w) => w.name)).toEqual(
      expect.arrayContaining([
        'Summary',
        'Projects',
        'Ledger',
        'Fiscal',
        'Sensitivity',
        'MonteCarlo',
        'UnitValues',
        'Issues',
        'Lineage',
      ]),
    );
    expect(wb.getWorksheet('Ledger')!.rowCount).toBe(run.ledger.length + 1);
    const npvRow = wb
      .getWorksheet('Summary')!
      .getRows(2, 20)!
      .find((r) => String(r.getCell(1).value).startsWith('Net present value'))!;
    expect(npvRow.getCell(2).value).toBeCloseTo(run.total.npv_usd!, 6);
    // The workbook says how its MonteCarlo sheet was drawn, in the words the HTML report uses.
    const mcRow = wb
      .getWorksheet('Summary')!
      .getRows(2, 30)!
      .find((r) => String(r.getCell(1).value).startsWith('Monte Carlo'))!;
    const said = String(mcRow.getCell(2).value);
    expect(said).toContain(`seed ${run.montecarlo!.spec.seed}`);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const note = /<p class="note">(Monte Carlo risk scenario[^<]*)<\/p>/.exec(html)![1]!;
    expect(note.replaceAll('&amp;', '&').replaceAll('&#39;', "'").replaceAll('&quot;', '"')).toBe(said);
  });

  it('HTML: self-contained, labelled charts each followed by a data table, no scripts', () => {
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).not.toMatch(/<script|<link |src="http|href="http|url\(http/);
    const svgs = html.match(/<svg [^>]*role="img"[^>]*aria-labelledby="[^"]+"/g) ?? [];
    expect(svgs.length).toBeGreaterThanOrEqual(4);
    for (const m of html.matchAll(/<\/figure>/g)) {
      // the next element after every chart is a table (or its explanatory paragraph then a table)
      const after = html.slice(m.index! + 9, m.index! + 400);
      expect(after).toMatch(/<table>|<figure>/);
    }
    expect((html.match(/<table>/g) ?? []).length).toBe((html.match(/<caption>/g) ?? []).length);
    expect(html).toContain(run.settings.edition.title);
    expect(html).toContain(run.lineage.run_id);
    expect(html).toMatch(/Optimal portfolio \(integer program solved to proven optimality with HiGHS\)/);
  });

  it('the demo run is fiscally constrained, optimal and carries its edition in the lineage', () => {
    expect(run.selection).toMatchObject({ method: 'milp_highs', optimal: true });
    expect(run.fiscal.every((f) => f.within_budget)).toBe(true);
    expect(run.fiscal.some((f) => f.requested_usd > f.budget_usd)).toBe(true);
    expect(run.lineage.editions?.bca_parameters).toBe('usdot-2026');
    expect(run.heuristic!.objective_npv_usd).toBeLessThanOrEqual(run.selection.objective_npv_usd + 1e-6);
    // more money never buys a worse optimal program
    const scan = [...run.budget_scan, { budget_scale: 1, npv_usd: run.selection.objective_npv_usd }].sort(
      (a, b) => a.budget_scale - b.budget_scale,
    );
    expect(scan.map((b) => b.budget_scale)).toEqual([0.75, 0.9, 1, 1.1, 1.25]);
    for (let i = 1; i < scan.length; i++)
      expect(scan[i]!.npv_usd).toBeGreaterThanOrEqual(scan[i - 1]!.npv_usd - 1e-6);
  });
});

describe('demo generator', () => {
  it('is deterministic', async () => {
    const { dir } = await tempCtx();
    const a = await generateBcaDemo(join(dir, 'a'));
    const b = await generateBcaDemo(join(dir, 'b'));
    for (const [x, y] of [[a.projects, b.projects], ...a.scenarios.map((s, i) => [s, b.scenarios[i]!])] as [
      string,
      string,
    ][]) {
      expect(readFileSync(x, 'utf8')).toBe(readFileSync(y, 'utf8'));
    }
    expect(a.scenarios).toHaveLength(2);
  });
});

describe('scenario comparison', () => {
  it('the two demo scenarios side by side: more revenue, more projects and no lower NPV', async () => {
    const { dir, ctx } = await tempCtx();
    const demo = await generateBcaDemo(join(dir, 'demo'));
    const runs = [];
    for (const s of demo.scenarios)
      runs.push(
        (await runBca(ctx, s, { out: join(dir, s.replace(/^.*\//, '')), reports: false, publish: false }))
          .run!,
      );
    const { writeComparison } = await import('../../lib/bca/report/compare');
    const [csv, html] = writeComparison(runs, dir);
    const rows = readFileSync(csv!, 'utf8').trim().split('\n');
    expect(rows).toHaveLength(3);
    expect(runs[1]!.total.npv_usd!).toBeGreaterThan(runs[0]!.total.npv_usd!);
    expect(runs[1]!.selection.chosen.length).toBeGreaterThan(runs[0]!.selection.chosen.length);
    expect(readFileSync(html!, 'utf8')).toContain('Selected alternative by project');
  });
});

describe('Excel scenario template', () => {
  it('the demo scenario written as a workbook and read back gives the same ledger totals and selection', async () => {
    const { dir, ctx } = await tempCtx();
    const demo = await generateBcaDemo(join(dir, 'demo'));
    const { writeScenarioXlsx } = await import('../../lib/bca/scenario-xlsx');
    const { loadScenario } = await import('../../lib/bca/run');
    const { IssueCollector } = await import('../../lib/ingest/issues');
    const sc = (await loadScenario(demo.scenarios[0]!, new IssueCollector()))!;
    const xlsx = join(dir, 'scenario.xlsx');
    await writeScenarioXlsx(sc, xlsx);
    const back = (await runBca(ctx, xlsx, { out: join(dir, 'x'), reports: false, publish: false })).run!;
    expect(back.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(back.total.npv_usd).toBeCloseTo(run.total.npv_usd!, 4);
    expect(back.selection.chosen).toEqual(run.selection.chosen);
    expect(back.ledger.length).toBe(run.ledger.length);
    expect(back.settings.baseYear).toBe(run.settings.baseYear);
    expect(back.montecarlo?.spec).toEqual(run.montecarlo?.spec);
  });
});

describe('demo loading', () => {
  it('runs and publishes both scenarios once; a second load with identical files is skipped', async () => {
    const { dir, ctx } = await tempCtx();
    const { runBcaDemo } = await import('../../lib/demo/bca');
    const first = await runBcaDemo(ctx, join(dir, 'demo'));
    expect(first.map((r) => r.skipped)).toEqual([false, false]);
    const second = await runBcaDemo(ctx, join(dir, 'demo'));
    expect(second.map((r) => r.skipped)).toEqual([true, true]);
    expect(second.map((r) => r.run_id)).toEqual(first.map((r) => r.run_id));
  }, 120_000);
});
