// Scenario files (YAML/JSON) as people edit them: misspelt keys, inverted year ranges, a budget
// row given twice, costs beside alternatives. Each is refused with the file, the line, the key
// and what to do; none may silently change the result.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBca } from '../../lib/bca/run';
import { parseScenarioText, ScenarioSchema } from '../../lib/bca/scenario';
import { tempCtx } from './helpers';

const base = (body: string) =>
  [
    'id: t',
    'base_year: 2026',
    'selection: optimal',
    'budgets:',
    '  - { year: 2027, fund: STBG, amount_usd: 1000000 }',
    body,
  ].join('\n');

const project = [
  'projects:',
  '  - id: P1',
  '    costs:',
  '      - { type: capital, year: 2027, amount_usd: 900000, fund: STBG }',
  '    effects:',
  '      - { kind: other, name: health, years: [2029, 2048], amount_usd: 310000, source: x }',
].join('\n');

describe('scenario keys and ranges', () => {
  it('the demo-shaped scenario parses without errors', () => {
    const { scenario, errors } = parseScenarioText(base(project), 't.yaml');
    expect(errors).toEqual([]);
    expect(scenario?.projects).toHaveLength(1);
  });

  it('a misspelt key is an error with its line and the key it resembles, not dropped', () => {
    const text = base(project)
      .replace('base_year: 2026', 'base_year: 2026\ndolar_year: 2020')
      .replace('fund: STBG }', 'fund: STBG, dolar_year: 2020 }');
    const { scenario, errors } = parseScenarioText(text, 't.yaml');
    expect(scenario).toBeNull();
    expect(errors).toEqual([
      expect.objectContaining({ code: 'bca.scenario.key', path: 'dolar_year', line: 3 }),
      expect.objectContaining({ code: 'bca.scenario.key', path: 'projects.0.costs.0.dolar_year', line: 10 }),
    ]);
    expect(errors[0]!.message).toContain('did you mean dollar_year');
    expect(errors[0]!.fix).toContain('dollar_year');
  });

  it('misspelt keys inside effects, residual and risk are found too (each in its own shape)', () => {
    const text = base(project)
      .replace('source: x }', 'sorce: x }')
      .replace(
        '    effects:',
        '    residual: { service_life_years: 25, in_service_year: 2029, end_yr: 2048 }\n    effects:',
      )
      .replace(
        'selection: optimal',
        'selection: optimal\nrisk: { iterations: 10, by_type: { safety: [0.6, 1, 1.3] }, sed: 3 }',
      );
    const { errors } = parseScenarioText(text, 't.yaml');
    const keys = errors.filter((e) => e.code === 'bca.scenario.key').map((e) => [e.path, e.message]);
    expect(keys).toEqual([
      ['risk.sed', expect.stringContaining('did you mean seed')],
      ['projects.0.residual.end_yr', expect.stringContaining('did you mean end_year')],
      ['projects.0.effects.0.sorce', expect.stringContaining('did you mean source')],
    ]);
  });

  it('JSON scenarios get lines as well', () => {
    const json = JSON.stringify(
      { id: 't', base_year: 2026, projects: [{ id: 'P1', comitted: true }] },
      null,
      2,
    );
    const { errors } = parseScenarioText(json, 't.json');
    expect(errors).toEqual([
      expect.objectContaining({
        path: 'projects.0.comitted',
        line: 7,
        message: expect.stringContaining('committed'),
      }),
    ]);
  });

  it('an inverted year range is refused (it would recur over no year: a cost or benefit lost in silence)', () => {
    const { errors } = parseScenarioText(base(project).replace('[2029, 2048]', '[2048, 2029]'), 't.yaml');
    expect(errors).toEqual([expect.objectContaining({ path: 'projects.0.effects.0.years', line: 11 })]);
    const c = parseScenarioText(
      base(project).replace('year: 2027, amount_usd: 900000', 'years: [2040, 2029], amount_usd: 9000'),
      't.yaml',
    );
    expect(c.errors.map((e) => e.path)).toEqual(['projects.0.costs.0.years']);
  });

  it('a budget given twice for one year and fund is refused rather than read as two limits', () => {
    const text = base(project).replace(
      '  - { year: 2027, fund: STBG, amount_usd: 1000000 }',
      '  - { year: 2027, fund: STBG, amount_usd: 1000000 }\n  - { year: 2027, fund: STBG, amount_usd: 500000 }',
    );
    const { errors } = parseScenarioText(text, 't.yaml');
    expect(errors).toEqual([expect.objectContaining({ path: 'budgets.1', line: 6 })]);
  });

  it('costs beside alternatives, and two alternatives with one id, are refused', () => {
    const text = base(
      [
        'projects:',
        '  - id: P1',
        '    costs: [{ type: capital, year: 2027, amount_usd: 5 }]',
        '    alternatives:',
        '      - { id: a, costs: [{ type: capital, year: 2027, amount_usd: 1 }] }',
        '      - { id: a, costs: [{ type: capital, year: 2027, amount_usd: 2 }] }',
      ].join('\n'),
    );
    const { errors } = parseScenarioText(text, 't.yaml');
    expect(errors.map((e) => e.path).sort()).toEqual(['projects.0.alternatives.1.id', 'projects.0.costs']);
  });

  it('the run reports the file, line, key and fix', async () => {
    const { dir, ctx } = await tempCtx();
    const f = join(dir, 'typo.yaml');
    writeFileSync(f, base(project).replace('base_year: 2026', 'base_year: 2026\ndiscount_rat: 0.03'));
    const r = await runBca(ctx, f, { out: join(dir, 'out'), reports: false, publish: false });
    expect(r.run).toBeNull();
    expect(r.issues.issues).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'bca.scenario.key',
        file: f,
        line: 3,
        column: 'discount_rat',
        fix: 'rename it to discount_rate',
      }),
    ]);
  });
  it('a two-digit year is refused, not discounted over two thousand years', () => {
    const { errors } = parseScenarioText(base(project).replace('base_year: 2026', 'base_year: 26'), 't.yaml');
    expect(errors).toEqual([expect.objectContaining({ path: 'base_year', line: 2 })]);
  });

  it('an unknown edition is an error naming the edition it resembles, not a crash', async () => {
    const { dir, ctx } = await tempCtx();
    const f = join(dir, 'ed.yaml');
    writeFileSync(f, base(project).replace('base_year: 2026', 'base_year: 2026\nedition: usdot_2026'));
    const r = await runBca(ctx, f, { out: join(dir, 'out'), reports: false, publish: false });
    expect(r.run).toBeNull();
    expect(r.issues.issues).toEqual([
      expect.objectContaining({
        code: 'bca.edition',
        column: 'edition',
        message: expect.stringContaining('did you mean usdot-2026'),
      }),
    ]);
    const cli = await runBca(ctx, f.replace('ed.yaml', 'ed.yaml'), {
      out: join(dir, 'o2'),
      edition: 'calbc',
      reports: false,
      publish: false,
    });
    expect(cli.issues.issues[0]).toMatchObject({ code: 'bca.edition', column: 'edition (--edition)' });
  });
  it('a prerequisite that is not in the scenario is refused (it would keep its project out in silence)', () => {
    const text = base(project).replace('  - id: P1', '  - id: P1\n    requires: [P9]');
    const { errors } = parseScenarioText(text, 't.yaml');
    expect(errors).toEqual([
      expect.objectContaining({
        path: 'projects.0.requires.0',
        line: 8,
        message: expect.stringContaining('P9'),
      }),
    ]);
  });
  it('percent typed where a fraction belongs, negative quantities and a disordered triangle are refused', () => {
    const text = base(
      [
        'risk: { benefits: [1.2, 1, 0.7] }',
        'sensitivity: { discount_rates: [3] }',
        'projects:',
        '  - id: P1',
        '    costs: [{ type: capital, year: 2027, amount_usd: 900 }]',
        '    effects:',
        '      - { kind: voc, years: [2029, 2030], growth: 1, vmt_nb: 1000, vmt_b: -5 }',
        '      - { kind: safety, years: [2029, 2030], basis: crash, counts_nb: { O: -3 }, cmf: 0.8 }',
      ].join('\n'),
    );
    const { errors } = parseScenarioText(text, 't.yaml');
    expect(errors.map((e) => e.path).sort()).toEqual([
      'projects.0.effects.0.growth',
      'projects.0.effects.0.vmt_b',
      'projects.0.effects.1.counts_nb.O',
      'risk.benefits',
      'sensitivity.discount_rates.0',
    ]);
  });
  it('an .xls or other file type is named as such, not parsed as YAML', async () => {
    const { dir, ctx } = await tempCtx();
    const f = join(dir, 'tip.xls');
    writeFileSync(f, 'not really excel');
    const r = await runBca(ctx, f, { out: join(dir, 'out'), reports: false, publish: false });
    expect(r.run).toBeNull();
    expect(r.issues.issues).toEqual([
      expect.objectContaining({ code: 'bca.file_type', fix: expect.stringContaining('.xlsx') }),
    ]);
  });
  it('a negative capital cost is refused in a scenario too', () => {
    const { errors } = parseScenarioText(
      base(project).replace('amount_usd: 900000', 'amount_usd: -900000'),
      't.yaml',
    );
    expect(errors).toEqual([expect.objectContaining({ path: 'projects.0.costs.0.amount_usd', line: 9 })]);
  });
  it('ScenarioSchema itself refuses unknown keys, so the staff builder and JSON API check agree with the run', () => {
    const r = ScenarioSchema.safeParse({
      id: 't',
      base_year: 2026,
      projects: [{ id: 'P1', comitted: true }],
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues).toEqual([
      expect.objectContaining({
        path: ['projects', 0, 'comitted'],
        message: expect.stringContaining('did you mean committed'),
      }),
    ]);
    expect(
      ScenarioSchema.safeParse({ id: 't', base_year: 2026, projects: [{ id: 'P1', committed: true }] })
        .success,
    ).toBe(true);
  });
  it('a residual whose asset enters service after the analysis ends is refused (it valued 120% of capital)', () => {
    const text = base(project).replace(
      '    effects:',
      '    residual: { service_life_years: 25, in_service_year: 2035, end_year: 2029 }\n    effects:',
    );
    const { errors } = parseScenarioText(text, 't.yaml');
    expect(errors.map((e) => e.path)).toEqual(['projects.0.residual.in_service_year']);
  });
});
