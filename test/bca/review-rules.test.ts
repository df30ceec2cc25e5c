// Acceptance checks of the BCA rules on whole runs, as a programming analyst or grant reviewer
// would read the outputs: every ledger row's PV is amount × price factor × discount factor to
// the stated base year; totals add up; IRR and payback are empty (not numbers) when they do not
// exist; "fiscally constrained" is only claimed when there were budgets to check; incremental
// analysis says which alternatives it could not compare.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvRecords } from '../../lib/bca/csv';
import { runBca } from '../../lib/bca/run';
import { tempCtx } from './helpers';

async function runText(name: string, text: string) {
  const { dir, ctx } = await tempCtx();
  const f = join(dir, name);
  writeFileSync(f, text);
  const out = join(dir, 'out');
  const r = await runBca(ctx, f, {
    out,
    baseYear: name.endsWith('.csv') ? 2026 : undefined,
    reports: false,
    publish: false,
  });
  const read = (n: string) => readFileSync(join(out, n), 'utf8');
  return { r, out, read, summary: JSON.parse(read('summary.json')) };
}

const LEDGER = [
  'project_id,year,flow,amount_usd,dollar_year',
  'P1,2026,capital,1000,2020',
  'P1,2027,benefit_travel_time,400,',
  'P1,2028,benefit_travel_time,400,',
  'P1,2029,benefit_travel_time,400,',
  'P2,2027,benefit_safety,50,', // no cost: no sign change, so no IRR
  'P3,2026,capital,1000,',
  'P3,2027,benefit_voc,10,', // never pays back
].join('\n');

describe('rules on a whole run', () => {
  it('each ledger row: pv = amount × price factor × discount factor, end of year, to the base year', async () => {
    const { read } = await runText('ledger.csv', LEDGER);
    const rows = csvRecords(read('ledger.csv')).map((r) => r.values);
    expect(rows).toHaveLength(7);
    for (const r of rows) {
      expect(Number(r.discount_factor)).toBeCloseTo(1 / 1.07 ** (Number(r.year) - 2026), 12);
      expect(Number(r.pv)).toBeCloseTo(
        Number(r.amount) * Number(r.price_factor) * Number(r.discount_factor),
        9,
      );
    }
    const cap = rows.find((r) => r.project_id === 'P1' && r.flow === 'capital')!;
    expect(cap.dollar_year).toBe('2020');
    expect(Number(cap.price_factor)).toBeGreaterThan(1.1); // 2020 dollars restated to 2024 (GDP deflator)
    expect(rows.find((r) => r.project_id === 'P3' && r.flow === 'capital')!.price_factor).toBe('1');
  });

  it('IRR without a sign change and a payback never reached are empty, not numbers', async () => {
    const { summary, read } = await runText('ledger.csv', LEDGER);
    const p = (id: string) => summary.projects.find((x: { project_id: string }) => x.project_id === id);
    expect(p('P2')).toMatchObject({ irr: null, bcr: null, npv_usd: 46.73 });
    expect(p('P3')).toMatchObject({ payback_year: null });
    expect(p('P1').irr).toBeGreaterThan(0);
    const csv = csvRecords(read('projects.csv')).map((r) => r.values);
    expect(csv.find((r) => r.project_id === 'P2')!.irr).toBe('');
    expect(csv.find((r) => r.project_id === 'P3')!.payback_year).toBe('');
    // totals add up over the programmed projects
    const sum = summary.projects.reduce((a: number, x: { npv_usd: number }) => a + x.npv_usd, 0);
    expect(summary.total.npv_usd).toBeCloseTo(sum, 1);
  });

  it('a run without budgets does not claim to be fiscally constrained', async () => {
    const { summary } = await runText('ledger.csv', LEDGER);
    expect(summary.fiscally_constrained).toBeNull();
  });

  it('incremental analysis names an alternative it had to leave out for missing values', async () => {
    const yaml = [
      'id: inc',
      'base_year: 2026',
      'selection: as_listed',
      'projects:',
      '  - id: P2',
      '    alternatives:',
      '      - id: a',
      '        costs: [{ type: capital, year: 2027, amount_usd: 100 }]',
      '        effects: [{ kind: other, name: h, years: [2029, 2030], amount_usd: 1000, source: x }]',
      '      - id: b',
      '        costs: [{ type: capital, year: 2027, amount_usd: null }]',
      '        effects: [{ kind: other, name: h, years: [2029, 2030], amount_usd: 5000, source: x }]',
    ].join('\n');
    const { r } = await runText('inc.yaml', yaml);
    expect(r.run!.incremental[0]!.steps.map((s) => s.alternative_id)).toEqual(['a']);
    expect(r.issues.issues).toContainEqual(
      expect.objectContaining({
        code: 'bca.incremental.incomplete',
        message: expect.stringContaining('P2/b'),
      }),
    );
  });
  it('flows before the base year and benefits past the operating period are warned about', async () => {
    const early = await runText(
      'ledger.csv',
      LEDGER.replace('P3,2026,capital,1000,', 'P3,2024,capital,1000,'),
    );
    expect(early.r.issues.issues).toContainEqual(
      expect.objectContaining({
        code: 'bca.base_year.after_flows',
        severity: 'warning',
        message: expect.stringContaining('P3 capital 2024'),
      }),
    );
    const long = await runText(
      'ledger.csv',
      [
        'project_id,year,flow,amount_usd',
        'P1,2026,capital,1000',
        'P1,2027,benefit_x,100',
        'P1,2070,benefit_x,100',
      ].join('\n'),
    );
    expect(long.r.issues.issues).toContainEqual(
      expect.objectContaining({ code: 'bca.horizon', severity: 'warning' }),
    );
  });
  it('a cost charged to a misspelt fund is an error, not spending outside every budget', async () => {
    const yaml = [
      'id: fund',
      'base_year: 2026',
      'budgets:',
      '  - { year: 2027, fund: STBG, amount_usd: 100 }',
      'projects:',
      '  - id: P1',
      '    costs: [{ type: capital, year: 2027, amount_usd: 900, fund: stbg }]',
      '    effects: [{ kind: other, name: h, years: [2029, 2030], amount_usd: 1000, source: x }]',
    ].join('\n');
    const { r, summary } = await runText('fund.yaml', yaml);
    expect(r.issues.issues).toContainEqual(
      expect.objectContaining({
        code: 'bca.budget.fund',
        severity: 'error',
        message: expect.stringContaining('did you mean STBG'),
      }),
    );
    expect(r.published).toBe(false);
    expect(summary.issues.errors).toBe(1);
  });
  it('a dollar year the price index lacks is one error per year with the first row, and the totals are empty', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => `P1,${2027 + i},om,10,2031`);
    const { r, summary } = await runText('ledger.csv', [LEDGER, ...rows].join('\n'));
    const errs = r.issues.issues.filter((i) => i.code === 'bca.price_index.missing');
    expect(errs).toEqual([
      expect.objectContaining({
        value: '2031',
        count: 12,
        file: 'ledger.csv:9',
        message: expect.stringContaining('P1 om 2027'),
      }),
    ]);
    expect(summary.projects.find((p: { project_id: string }) => p.project_id === 'P1').npv_usd).toBeNull();
  });
  it('a selection that had to leave out an alternative without values is not called optimal', async () => {
    const yaml = [
      'id: opt',
      'base_year: 2026',
      'projects:',
      '  - id: P1',
      '    costs: [{ type: capital, year: 2027, amount_usd: 900 }]',
      '    effects: [{ kind: other, name: h, years: [2029, 2030], amount_usd: 1000, source: x }]',
      '  - id: P2',
      '    costs: [{ type: capital, year: 2027, amount_usd: null }]',
      '    effects: [{ kind: other, name: h, years: [2029, 2030], amount_usd: 5000, source: x }]',
    ].join('\n');
    const { summary } = await runText('opt.yaml', yaml);
    expect(summary.selection.method).toBe('milp_highs');
    expect(summary.selection.optimal).toBe(false);
    expect(summary.selection.status).toContain('1 of 2 alternatives');
  });
  it('the report explains when incremental BCR prefers an alternative the budget-constrained portfolio does not take', async () => {
    const { dir, ctx } = await tempCtx();
    const f = join(dir, 'inc.yaml');
    writeFileSync(
      f,
      [
        'id: inc',
        'base_year: 2026',
        'budgets: [{ year: 2027, fund: STBG, amount_usd: 500 }]',
        'projects:',
        '  - id: P1',
        '    alternatives:',
        '      - id: small',
        '        costs: [{ type: capital, year: 2027, amount_usd: 400, fund: STBG }]',
        '        effects: [{ kind: other, name: h, years: [2028, 2030], amount_usd: 1000, source: x }]',
        '      - id: large',
        '        costs: [{ type: capital, year: 2027, amount_usd: 900, fund: STBG }]',
        '        effects: [{ kind: other, name: h, years: [2028, 2030], amount_usd: 2000, source: x }]',
      ].join('\n'),
    );
    const r = await runBca(ctx, f, { out: join(dir, 'out'), publish: false });
    expect(r.run!.incremental[0]!.preferred).toBe('large');
    expect(r.run!.projects[0]!.selected_alternative).toBe('small');
    const html = readFileSync(join(dir, 'out', 'report.html'), 'utf8');
    expect(html).toContain('This test ignores budgets: the selected portfolio takes small of P1.');
  });
  it('a risk range for a benefit type the run does not have (a typo) is reported, not silently unused', async () => {
    const yaml = [
      'id: risk',
      'base_year: 2026',
      'risk: { iterations: 50, by_type: { safty: [0.6, 1, 1.3] } }',
      'projects:',
      '  - id: P1',
      '    costs: [{ type: capital, year: 2027, amount_usd: 900 }]',
      '    effects: [{ kind: other, name: safety, years: [2029, 2030], amount_usd: 1000, source: x }]',
    ].join('\n');
    const { r } = await runText('risk.yaml', yaml);
    expect(r.issues.issues).toContainEqual(
      expect.objectContaining({
        code: 'bca.risk.by_type',
        message: expect.stringContaining('did you mean safety'),
      }),
    );
  });
});
