// `corridor bca run|select|editions`: benefit-cost analysis of plan programs (lib/bca).
import { join, resolve } from 'node:path';
import { strategyLibrary } from '../../lib/bca/calculators/operations';
import type { BcaRun } from '../../lib/bca/model';
import { outputFolders } from '../../lib/bca/output-folders';
import { loadParameters } from '../../lib/bca/params';
import { writeComparison } from '../../lib/bca/report/compare';
import { loadScenario, runBca } from '../../lib/bca/run';
import { writeScenarioXlsx } from '../../lib/bca/scenario-xlsx';
import { runSelect } from '../../lib/bca/select-csv';
import { formatIssue, IssueCollector } from '../../lib/ingest/issues';
import { flagString } from '../cli/args';
import type { Command } from '../cli/types';

const USAGE = `corridor bca run <scenario.(yaml|json|xlsx)|ledger.csv>... --out DIR [--edition ID] [--discount-rate R] [--base-year Y] [--dollar-year Y] [--no-publish]
      (several files: one folder each under DIR, named after the file; <parent>-<name> when two share a name)
  corridor bca select --alternatives FILE.csv --budget USD --out DIR
  corridor bca editions        (list parameter editions and the operations strategy library)
  corridor bca template --out FILE.xlsx [--from scenario.yaml]   (an Excel scenario: the demo, or a converted file)`;

const numFlag = (v: string | undefined, name: string) => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${v}`);
  return n;
};

export const command: Command = {
  name: 'bca',
  summary: 'benefit-cost analysis: scenario ledgers, optimal portfolios under budgets, sensitivity, reports',
  usage: USAGE,
  async run(args, ctx) {
    const [sub, ...files] = args.positionals;
    if (sub === 'editions') {
      const p = loadParameters();
      for (const e of p.editions)
        console.log(
          `${e.isDefault ? '*' : ' '} ${e.id.padEnd(20)} ${e.dollarYear}$  ${(e.discountRate * 100).toFixed(1)}%  ${e.costConvention.padEnd(12)} ${e.title}`,
        );
      console.log('\noperations strategies:');
      for (const s of strategyLibrary())
        console.log(
          `  ${s.strategy_id.padEnd(26)} ${s.measure.padEnd(26)} ${s.value ?? '(no verified default)'}`,
        );
      return 0;
    }
    if (sub === 'template') {
      const out = flagString(args, 'out');
      if (!out || !/\.xlsx$/i.test(out)) {
        console.error(`usage: ${USAGE}`);
        return 2;
      }
      let from = flagString(args, 'from');
      if (!from) {
        const { mkdtemp } = await import('node:fs/promises');
        const { tmpdir } = await import('node:os');
        const { generateBcaDemo } = await import('../../lib/demo/bca');
        from = (await generateBcaDemo(await mkdtemp(join(tmpdir(), 'bca-template-')))).scenarios[0]!;
      }
      const issues = new IssueCollector('bca');
      const sc = await loadScenario(resolve(from), issues);
      for (const i of issues.issues) console.error(formatIssue(i));
      if (!sc) return 1;
      await writeScenarioXlsx(sc, resolve(out));
      console.log(`wrote ${resolve(out)} (scenario ${sc.id}, ${sc.projects.length} projects)`);
      return 0;
    }
    if (sub === 'select') {
      const alt = flagString(args, 'alternatives');
      const budget = flagString(args, 'budget'); // "1,000,000" and "$1e6" too: parsed by runSelect
      const out = flagString(args, 'out');
      if (!alt || budget === undefined || !out) {
        console.error(`usage: ${USAGE}`);
        return 2;
      }
      const issues = new IssueCollector('bca');
      const summary = await runSelect(resolve(alt), budget, resolve(out), issues);
      for (const i of issues.issues) console.error(formatIssue(i));
      if (!summary) return 1;
      console.log(JSON.stringify(summary, null, 2));
      return 0;
    }
    if (sub !== 'run' || files.length === 0) {
      console.error(`usage: ${USAGE}`);
      return 2;
    }
    const out = resolve(flagString(args, 'out') ?? 'out/bca');
    let code = 0;
    const runs: BcaRun[] = [];
    const folders: string[] = [];
    const names = outputFolders(files);
    for (const [k, f] of files.entries()) {
      const dir = files.length > 1 ? resolve(out, names[k]!) : out;
      const r = await runBca(ctx, resolve(f), {
        out: dir,
        edition: flagString(args, 'edition'),
        discountRate: numFlag(flagString(args, 'discount-rate'), 'discount-rate'),
        baseYear: numFlag(flagString(args, 'base-year'), 'base-year'),
        dollarYear: numFlag(flagString(args, 'dollar-year'), 'dollar-year'),
        publish: !args.flags['no-publish'],
      });
      for (const i of r.issues.issues) console.error(formatIssue(i));
      if (!r.run) {
        code = 2;
        continue;
      }
      runs.push(r.run);
      folders.push(names[k]!);
      const t = r.run.total;
      console.log(
        `${r.run.scenario.id}: NPV ${t.npv_usd === null ? '— (incomplete, see the errors)' : `${Math.round(t.npv_usd).toLocaleString('en-US')} USD`}, BCR ${t.bcr?.toFixed(2) ?? '—'} (${r.run.selection.method}${r.run.selection.optimal ? ', optimal' : ''}); ${r.files.length} files in ${dir}${r.published ? `; published as bca/${r.run.scenario.id}` : ''}`,
      );
      if (r.issues.hasErrors) code = Math.max(code, 1);
    }
    if (runs.length > 1) {
      const [csv] = writeComparison(runs, out, folders);
      console.log(`side-by-side comparison: ${csv} and comparison.html`);
    }
    return code;
  },
};
