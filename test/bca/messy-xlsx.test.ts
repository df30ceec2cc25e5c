// An Excel scenario after a planner has edited it: a renamed sheet, text in a number cell, a
// misspelt key or column. Each problem names the sheet, cell and column; nothing is ignored in
// silence (a renamed costs sheet used to drop every cost and report a larger NPV).
import { join } from 'node:path';
import type ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { runBca } from '../../lib/bca/run';
import { alternativesOf, parseScenarioText } from '../../lib/bca/scenario';
import { tempCtx } from './helpers';
import { editedWorkbook, errorsOf } from './xlsx-edit';

const YAML = `
id: t
base_year: 2026
dollar_year: 2024
budgets:
  - { year: 2027, fund: STBG, amount_usd: 2000000 }
projects:
  - id: P1
    costs:
      - { type: capital, year: 2027, amount_usd: 900000, fund: STBG }
      - { type: om, years: [2029, 2038], amount_usd: 8000 }
    effects:
      - { kind: other, name: health, years: [2029, 2038], amount_usd: 310000, source: x }
`;

const workbook = (edit: (wb: ExcelJS.Workbook) => void) => editedWorkbook(YAML, edit);

describe('messy Excel scenario', () => {
  it('the template reads back unchanged', async () => {
    const { scenario, issues } = await workbook(() => {});
    expect(errorsOf(issues)).toEqual([]);
    // the workbook always lists alternatives; the plain project reads back as its one "build"
    const plain = (x: unknown) => JSON.parse(JSON.stringify(x));
    const original = parseScenarioText(YAML, 't.yaml').scenario!;
    expect(plain(alternativesOf(scenario!.projects[0]!))).toEqual(
      plain(alternativesOf(original.projects[0]!)),
    );
    expect(plain({ ...scenario, projects: [] })).toEqual(plain({ ...original, projects: [] }));
  });

  it('sheet names are matched without case or spaces', async () => {
    const { scenario, issues } = await workbook((wb) => {
      wb.getWorksheet('costs')!.name = ' Costs ';
    });
    expect(errorsOf(issues)).toEqual([]);
    expect(scenario!.projects[0]!.alternatives![0]!.costs).toHaveLength(2);
  });

  it('a misspelt sheet name is an error, not a scenario without costs', async () => {
    const { scenario, issues } = await workbook((wb) => {
      wb.getWorksheet('costs')!.name = 'cost';
      wb.addWorksheet('notes').addRow(['anything']);
    });
    expect(scenario).toBeNull();
    expect(errorsOf(issues)).toEqual([
      expect.objectContaining({
        code: 'bca.xlsx.sheet',
        column: 'cost',
        message: expect.stringContaining('costs'),
      }),
    ]);
    expect(issues.some((i) => i.severity === 'warning' && i.column === 'notes')).toBe(true);
  });

  it('a missing required sheet is named', async () => {
    const { issues } = await workbook((wb) => wb.removeWorksheet(wb.getWorksheet('projects')!.id));
    expect(errorsOf(issues)[0]).toMatchObject({ code: 'bca.xlsx.sheet', column: 'projects' });
  });

  it('text in a number cell names the sheet, cell and column; a currency string is read', async () => {
    const { scenario, issues } = await workbook((wb) => {
      wb.getWorksheet('costs')!.getCell('F2').value = 'about 1.4M';
      wb.getWorksheet('costs')!.getCell('D3').value = 'FY29';
    });
    expect(scenario).toBeNull();
    expect(errorsOf(issues)).toEqual([
      expect.objectContaining({ code: 'bca.xlsx.cell', line: 2, column: 'amount_usd', value: 'about 1.4M' }),
      expect.objectContaining({ code: 'bca.xlsx.cell', line: 3, column: 'year', value: 'FY29' }),
    ]);
    expect(errorsOf(issues)[0]!.message).toContain('sheet costs, cell F2');
    const ok = await workbook((wb) => {
      wb.getWorksheet('costs')!.getCell('F2').value = '$1,450,000';
      wb.getWorksheet('budgets')!.getCell('C2').value = '2,000,000';
    });
    expect(errorsOf(ok.issues)).toEqual([]);
    expect(ok.scenario!.projects[0]!.alternatives![0]!.costs[0]!.amount_usd).toBe(1_450_000);
  });

  it('a misspelt key on the scenario sheet, or column on the costs sheet, is an error', async () => {
    const { issues } = await workbook((wb) => {
      const ws = wb.getWorksheet('scenario')!;
      ws.eachRow((r) => {
        if (r.getCell(1).value === 'dollar_year') r.getCell(1).value = 'dolar_year';
      });
      wb.getWorksheet('costs')!.getCell('G1').value = 'Dolar Year';
    });
    expect(errorsOf(issues).map((e) => [e.code, e.column])).toEqual([
      ['bca.xlsx.column', 'dolar_year'],
      ['bca.xlsx.key', 'key'],
    ]);
    for (const e of errorsOf(issues)) expect(e.message).toContain('did you mean dollar_year');
  });

  it('a misspelt key inside an effect cell and a schema problem point at their row', async () => {
    const { issues } = await workbook((wb) => {
      const ws = wb.getWorksheet('effects')!;
      ws.getCell('C2').value = String(ws.getCell('C2').value).replace('"source"', '"sorce"');
      wb.getWorksheet('costs')!.getCell('C3').value = 'maintenance';
    });
    expect(errorsOf(issues)).toEqual([
      expect.objectContaining({
        code: 'bca.scenario.key',
        line: 2,
        message: expect.stringContaining('sheet effects, row 2'),
      }),
    ]);
    const schema = await workbook((wb) => {
      wb.getWorksheet('costs')!.getCell('C3').value = 'maintenance';
    });
    expect(errorsOf(schema.issues)).toEqual([
      expect.objectContaining({
        code: 'bca.scenario.schema',
        line: 3,
        column: 'projects.0.alternatives.0.costs.1.type',
        message: expect.stringContaining('sheet costs, row 3'),
      }),
    ]);
  });

  it('a cost row for a project that is not on the projects sheet is named with its row', async () => {
    const { issues } = await workbook((wb) => {
      wb.getWorksheet('costs')!.getCell('A3').value = 'p1';
    });
    expect(errorsOf(issues)).toEqual([
      expect.objectContaining({
        code: 'bca.xlsx.ref',
        line: 3,
        message: expect.stringContaining('did you mean p1'),
      }),
    ]);
  });

  it('the run refuses the workbook and says where', async () => {
    const { file } = await workbook((wb) => {
      wb.getWorksheet('budgets')!.name = 'Budget';
    });
    const { dir, ctx } = await tempCtx();
    const r = await runBca(ctx, file, { out: join(dir, 'o'), reports: false, publish: false });
    expect(r.run).toBeNull();
    expect(r.issues.issues[0]).toMatchObject({ code: 'bca.xlsx.sheet', column: 'Budget' });
  });
  it('curly quotes from Excel autocorrect in a JSON cell get a fix that says so', async () => {
    const { issues } = await workbook((wb) => {
      const c = wb.getWorksheet('effects')!.getCell('C2');
      c.value = String(c.value).replace('"kind"', '\u201ckind\u201d');
    });
    expect(errorsOf(issues)).toEqual([
      expect.objectContaining({
        code: 'bca.xlsx.json',
        line: 2,
        fix: expect.stringContaining('curly quotes'),
      }),
    ]);
  });
});
