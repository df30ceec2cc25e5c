// What the acceptance review of the BCA inputs left open: a project's committed/requires given
// differently on two Excel rows, a negative residual, a CMF written as a percentage, where an
// evaluation problem is (line, or sheet and row), and two inputs of one name run together.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { command } from '../../bin/commands/bca';
import { csvRecords } from '../../lib/bca/csv';
import { outputFolders } from '../../lib/bca/output-folders';
import { runBca } from '../../lib/bca/run';
import { parseScenarioText } from '../../lib/bca/scenario';
import { writeScenarioXlsx } from '../../lib/bca/scenario-xlsx';
import { formatIssue, type Issue } from '../../lib/ingest/issues';
import { tempCtx } from './helpers';
import { editedWorkbook, errorsOf } from './xlsx-edit';

const TWO_ALTERNATIVES = `
id: t
base_year: 2026
dollar_year: 2024
projects:
  - id: P1
    alternatives:
      - id: small
        costs: [{ type: capital, year: 2027, amount_usd: 500000 }]
        effects: [{ kind: other, name: health, years: [2029, 2038], amount_usd: 90000, source: x }]
      - id: large
        costs: [{ type: capital, year: 2027, amount_usd: 900000 }]
        effects: [{ kind: other, name: health, years: [2029, 2038], amount_usd: 150000, source: x }]
  - id: P2
    costs: [{ type: capital, year: 2027, amount_usd: 100000 }]
    effects: [{ kind: other, name: health, years: [2029, 2038], amount_usd: 30000, source: x }]
`;

const workbook = editedWorkbook;

describe('Excel: committed and requires are one value per project', () => {
  // projects sheet: row 2 = P1/small, row 3 = P1/large, row 4 = P2/build; G = committed, H = requires
  it('a later row that says otherwise is an error naming both cells', async () => {
    const { scenario, issues } = await workbook(TWO_ALTERNATIVES, (wb) => {
      const ws = wb.getWorksheet('projects')!;
      ws.getCell('G3').value = true; // G2 says FALSE
      ws.getCell('H2').value = 'P2';
      ws.getCell('H3').value = 'P3';
    });
    expect(scenario).toBeNull();
    const errors = errorsOf(issues);
    expect(errors.map((e) => [e.code, e.line, e.column])).toEqual([
      ['bca.xlsx.project_conflict', 3, 'committed'],
      ['bca.xlsx.project_conflict', 3, 'requires'],
    ]);
    expect(errors[0]!.message).toContain('G2');
    expect(errors[0]!.message).toContain('G3');
    expect(errors[1]!.message).toContain('H2');
    expect(errors[1]!.message).toContain('H3');
    expect(errors[0]!.fix).toMatch(/same value on every row/);
  });

  it('identical repeats and blank later cells are accepted', async () => {
    const { scenario, issues } = await workbook(TWO_ALTERNATIVES, (wb) => {
      const ws = wb.getWorksheet('projects')!;
      ws.getCell('G2').value = true;
      ws.getCell('G3').value = 'TRUE';
      ws.getCell('H2').value = 'P2';
      ws.getCell('H3').value = ' P2 ';
      ws.getCell('G4').value = null;
    });
    expect(errorsOf(issues)).toEqual([]);
    expect(scenario!.projects[0]).toMatchObject({ committed: true, requires: ['P2'] });
  });

  it('sponsor, category and unquantified are project-wide too', async () => {
    // E = sponsor, F = category, I = unquantified
    const { scenario, issues } = await workbook(TWO_ALTERNATIVES, (wb) => {
      const ws = wb.getWorksheet('projects')!;
      ws.getCell('E2').value = 'City';
      ws.getCell('E3').value = 'County';
    });
    expect(scenario).toBeNull();
    expect(errorsOf(issues).map((e) => [e.code, e.line, e.column])).toEqual([
      ['bca.xlsx.project_conflict', 3, 'sponsor'],
    ]);
    const later = await workbook(TWO_ALTERNATIVES, (wb) => {
      const ws = wb.getWorksheet('projects')!;
      ws.getCell('F3').value = 'Safety';
      ws.getCell('I2').value = 'noise; views';
      ws.getCell('I3').value = 'noise;views';
    });
    expect(errorsOf(later.issues)).toEqual([]);
    expect(later.scenario!.projects[0]).toMatchObject({
      category: 'Safety',
      unquantified: ['noise', 'views'],
    });
  });

  it('a value given only on a later row applies to the project', async () => {
    const { scenario, issues } = await workbook(TWO_ALTERNATIVES, (wb) => {
      const ws = wb.getWorksheet('projects')!;
      ws.getCell('G2').value = null;
      ws.getCell('G3').value = true;
    });
    expect(errorsOf(issues)).toEqual([]);
    expect(scenario!.projects[0]!.committed).toBe(true);
  });
});

const ONE_PROJECT = `
id: t
base_year: 2026
dollar_year: 2024
projects:
  - id: P1
    costs:
      - { type: capital, year: 2027, amount_usd: 900000 }
    residual: { year: 2046, amount_usd: 120000 }
    effects:
      - { kind: safety, years: [2029, 2038], basis: crash, counts_nb: { A: 1.2, O: 19 }, cmf: 0.78 }
`;

describe('values no one means', () => {
  it('a negative residual is refused with its line and a fix (sign convention)', () => {
    const { scenario, errors } = parseScenarioText(ONE_PROJECT.replace('120000', '-120000'), 't.yaml');
    expect(scenario).toBeNull();
    expect(errors).toEqual([
      expect.objectContaining({
        path: 'projects.0.residual.amount_usd',
        line: 9,
        message: expect.stringMatching(/positive.*sign/),
      }),
    ]);
  });

  it('a negative residual row in a ledger CSV is refused and empties the totals', async () => {
    const { dir, ctx } = await tempCtx();
    const f = join(dir, 'ledger.csv');
    writeFileSync(
      f,
      'project_id,year,flow,amount_usd\nP1,2026,capital,1000\nP1,2027,benefit_other,900\nP1,2046,residual,-200\n',
    );
    const r = await runBca(ctx, f, { out: join(dir, 'out'), baseYear: 2026, reports: false, publish: false });
    expect(errorsOf(r.issues.issues)).toEqual([
      expect.objectContaining({ code: 'bca.ledger.sign', file: 'ledger.csv', line: 4, column: 'amount_usd' }),
    ]);
    expect(r.run!.results[0]!.npv_usd).toBeNull();
  });

  it.each([
    ['cmf: 78', 'cmf'],
    ['cmf: { A: 0.8, O: 22 }', 'cmf.O'],
    ['cmf: [0.9, 85]', 'cmf.1'],
  ])('a CMF above 3 (%s) is read as a percentage typed for a factor and refused', (cmf, at) => {
    const { scenario, errors } = parseScenarioText(ONE_PROJECT.replace('cmf: 0.78', cmf), 't.yaml');
    expect(scenario).toBeNull();
    expect(errors).toEqual([
      expect.objectContaining({
        path: `projects.0.effects.0.${at}`,
        line: 11,
        message: expect.stringMatching(/percentage.*0\.78/),
      }),
    ]);
  });

  it('an operations crash factor may be negative (more crashes) down to −2, the CMF bound', async () => {
    const ops = (impact: string) => `
id: t
base_year: 2026
projects:
  - id: P1
    costs: [{ type: capital, year: 2027, amount_usd: 100000 }]
    effects:
      - { kind: operations, strategy: adaptive_signal_control, years: [2030, 2030], affected_hours_nb: 0, hours: person, impact_crash: ${impact}, impact_source: site study, crashes_nb: { O: 100 } }
`;
    const { scenario, errors } = parseScenarioText(ops('-0.047'), 't.yaml');
    expect(errors).toEqual([]);
    const { dir, ctx } = await tempCtx();
    const f = join(dir, 't.yaml');
    writeFileSync(f, ops('-0.047'));
    const r = await runBca(ctx, f, { out: join(dir, 'out'), reports: false, publish: false });
    expect(errorsOf(r.issues.issues)).toEqual([]);
    // 100 PDO crashes × −0.047 × $9,700 (usdot-2026 per PDO crash) = −$45,590 in 2030, a disbenefit
    const safety = r.run!.ledger.filter((l) => l.flow === 'benefit_safety');
    expect(safety.reduce((a, l) => a + (l.amount ?? 0), 0)).toBeCloseTo(-45_590, 6);
    expect(scenario).not.toBeNull();
    expect(parseScenarioText(ops('-2.5'), 't.yaml').errors).toEqual([
      expect.objectContaining({
        path: 'projects.0.effects.0.impact_crash',
        message: expect.stringMatching(/1 − CMF/),
      }),
    ]);
  });

  it('a CMF above 1 (more crashes) up to 3 is accepted', () => {
    const { scenario, errors } = parseScenarioText(ONE_PROJECT.replace('cmf: 0.78', 'cmf: 2.5'), 't.yaml');
    expect(errors).toEqual([]);
    expect(scenario).not.toBeNull();
  });
});

describe('several inputs of one name in one run', () => {
  it('folder names: the file name; the parent folder joins it when two inputs share a name; then -2, -3', () => {
    expect(outputFolders(['a/x.yaml', 'b/y.yaml'])).toEqual(['x', 'y']);
    expect(outputFolders(['tip/a/x.yaml', 'tip/b/x.yaml', 'c.yaml'])).toEqual(['a-x', 'b-x', 'c']);
    // same parent name, or the same stem with two extensions: numbered in command-line order
    expect(outputFolders(['one/s/x.yaml', 'two/s/x.yaml', 's/x.json', 'x'])).toEqual([
      's-x',
      's-x-2',
      's-x-3',
      'x',
    ]);
    expect(outputFolders([String.raw`C:\plans\a\x.yaml`, 'b/x.yaml'])).toEqual(['a-x', 'b-x']);
  });

  it('corridor bca run a/x.yaml b/x.yaml --out DIR: two folders, and the comparison names each', async () => {
    const { dir, ctx } = await tempCtx();
    const files = ['a', 'b'].map((d, i) => {
      mkdirSync(join(dir, d));
      const f = join(dir, d, 'x.yaml');
      // two scenarios with one file name and one id: only the folder tells them apart
      writeFileSync(
        f,
        ONE_PROJECT.replace('amount_usd: 900000', `amount_usd: ${900000 + i * 100000}`).replace(
          'dollar_year: 2024',
          'dollar_year: 2024\nselection: as_listed',
        ),
      );
      return f;
    });
    const out = join(dir, 'out');
    const log = console.log;
    console.log = () => {};
    try {
      const code = await command.run(
        { positionals: ['run', ...files], flags: { out, 'no-publish': true } },
        ctx,
      );
      expect(code).toBe(0);
    } finally {
      console.log = log;
    }
    const capital = (folder: string) =>
      csvRecords(readFileSync(join(out, folder, 'ledger.csv'), 'utf8')).find(
        (r) => r.values.flow === 'capital',
      )!.values.amount;
    expect(Number(capital('a-x'))).toBe(900000);
    expect(Number(capital('b-x'))).toBe(1000000);
    expect(existsSync(join(out, 'x'))).toBe(false);
    const rows = csvRecords(readFileSync(join(out, 'comparison.csv'), 'utf8')).map((r) => r.values);
    expect(rows.map((r) => [r.folder, r.scenario_id])).toEqual([
      ['a-x', 't'],
      ['b-x', 't'],
    ]);
    expect(Number(rows[1]!.costs_pv_usd)).toBeGreaterThan(Number(rows[0]!.costs_pv_usd));
    const html = readFileSync(join(out, 'comparison.html'), 'utf8');
    expect(html).toContain('href="a-x/report.html"');
    expect(html).toContain('href="b-x/report.html"');
  });
});

// line 9: the blank cost; lines 13-14: signal coordination's crashes without impact_crash (the
// library has no crash default for it; person-hours so no occupancy is needed)
const EVALUATION_ERRORS = `
id: t
base_year: 2026
dollar_year: 2024
projects:
  - id: P1
    costs:
      - { type: capital, year: 2027, amount_usd: 900000 }
      - { type: om, years: [2029, 2038], amount_usd: null }
    alternatives: []
  - id: P2
    alternatives:
      - id: ptsu
        effects:
          - { kind: operations, strategy: signal_coordination, years: [2029, 2038], hours: person, affected_hours_nb: 1000, crashes_nb: { O: 1 } }
        costs: [{ type: capital, year: 2027, amount_usd: 100 }]
`.replace('    alternatives: []\n', '');

async function runFile(name: string, text: string | ((f: string) => Promise<void>)) {
  const { dir, ctx } = await tempCtx();
  const f = join(dir, name);
  if (typeof text === 'string') writeFileSync(f, text);
  else await text(f);
  const out = join(dir, 'out');
  const r = await runBca(ctx, f, { out, reports: false, publish: false });
  const written: Issue[] = JSON.parse(readFileSync(join(out, 'issues.json'), 'utf8'));
  return { r, written };
}

describe('evaluation problems name their line (or sheet and row)', () => {
  it('YAML: a blank cost and a strategy without a default, by line and path', async () => {
    const { r, written } = await runFile('t.yaml', EVALUATION_ERRORS);
    const errors = errorsOf(r.issues.issues);
    expect(errors.map((e) => [e.code, e.file, e.line])).toEqual([
      ['bca.cost.missing', 't.yaml: projects[0].costs[1].amount_usd', 9],
      ['bca.operations.no_default', 't.yaml: projects[1].alternatives[0].effects[0]', 14],
    ]);
    // issues.json and the command line say the same
    expect(errorsOf(written)).toEqual(errors);
    expect(formatIssue(errors[0]!)).toContain('[t.yaml: projects[0].costs[1].amount_usd, line 9]');
  });

  it('JSON: the same problems by line', async () => {
    const json = JSON.stringify(parseYaml(EVALUATION_ERRORS), null, 2);
    const { r } = await runFile('t.json', json);
    const lineOf = (needle: string) => json.split('\n').findIndex((l) => l.includes(needle)) + 1;
    expect(errorsOf(r.issues.issues).map((e) => [e.code, e.line])).toEqual([
      ['bca.cost.missing', lineOf('"amount_usd": null')],
      ['bca.operations.no_default', lineOf('"kind": "operations"') - 1],
    ]);
  });

  it('Excel: the same problems by sheet and row', async () => {
    const sc = parseScenarioText(EVALUATION_ERRORS, 't.yaml').scenario!;
    const { r } = await runFile('t.xlsx', async (f) => {
      await writeScenarioXlsx(sc, f);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(f);
      wb.getWorksheet('costs')!.getCell('F3').value = null; // row 3: P1's om cost, amount_usd
      await wb.xlsx.writeFile(f);
    });
    const errors = errorsOf(r.issues.issues);
    expect(errors.map((e) => [e.code, e.file, e.line])).toEqual([
      ['bca.cost.missing', 't.xlsx: projects[0].alternatives[0].costs[1].amount_usd', 3],
      ['bca.operations.no_default', 't.xlsx: projects[1].alternatives[0].effects[0]', 2],
    ]);
    expect(errors[0]!.message).toMatch(/^sheet costs, row 3: /);
    expect(errors[1]!.message).toMatch(/^sheet effects, row 2: /);
  });
});

describe('evaluation problems of the ledger and the edition name their line too', () => {
  it('a dollar year the price index lacks, and an edition without unit values', async () => {
    const text = `
id: t
base_year: 2026
edition: usdot-2025
projects:
  - id: P1
    costs:
      - { type: capital, year: 2027, amount_usd: 900000, dollar_year: 2031 }
    effects:
      - { kind: voc, years: [2029, 2038], vmt_nb: 1000, vmt_b: 900 }
`;
    const { r } = await runFile('t.yaml', text);
    const at = (code: string) => errorsOf(r.issues.issues).find((e) => e.code === code);
    expect(at('bca.price_index.missing')).toMatchObject({ file: 't.yaml: projects[0].costs[0]', line: 8 });
    expect(at('bca.value.missing')).toMatchObject({ file: 't.yaml: projects[0].effects[0]', line: 10 });
  });
});
