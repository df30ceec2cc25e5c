// A plain ledger CSV as it arrives from a travel-model spreadsheet: BOM, CRLF, currency
// formatting, blanks, typos, repeats, the wrong delimiter. Every rejected row is named by file,
// line and column with what to do; nothing is dropped or double counted in silence, and a
// project with a rejected row has empty totals (missing is never zero).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseUsd } from '../../lib/bca/cells';
import { type RunOptions, runBca } from '../../lib/bca/run';
import { tempCtx } from './helpers';

async function run(text: string, o: Partial<RunOptions> = {}) {
  const { dir, ctx } = await tempCtx();
  const f = join(dir, 'ledger.csv');
  writeFileSync(f, text);
  const out = join(dir, 'out');
  const r = await runBca(ctx, f, { out, baseYear: 2024, reports: false, publish: false, ...o });
  const errors = r.issues.issues.filter((i) => i.severity === 'error');
  const summary = r.run ? JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) : null;
  return { r, errors, summary };
}

const GOOD = [
  'project_id,year,flow,amount_usd',
  'P1,2024,capital,1000',
  'P1,2025,benefit_travel_time,600',
  'P1,2026,benefit_travel_time,600',
];

describe('amount cells', () => {
  it('reads currency formatting and refuses a decimal comma rather than reading 2000,50 as 200050', () => {
    expect(parseUsd('$1,234.50')).toEqual({ value: 1234.5 });
    expect(parseUsd(' $ 500 ')).toEqual({ value: 500 });
    expect(parseUsd('(1,200)')).toEqual({ value: -1200 });
    expect(parseUsd('-$75')).toEqual({ value: -75 });
    expect(parseUsd('1e6')).toEqual({ value: 1e6 });
    expect(parseUsd('1,000,000')).toEqual({ value: 1e6 });
    for (const bad of ['2000,50', '1.234,50', '1,2,3', 'abc', '0x10', 'Infinity', '--5', '12 000'])
      expect(parseUsd(bad)).toHaveProperty('error');
  });
});

describe('messy ledger CSV', () => {
  it('BOM, CRLF and "$1,234.50" amounts are read as written', async () => {
    const text = `\ufeff${['project_id,year,flow,amount_usd', 'P1,2024,capital,"$1,234.50"', 'P1,2025,benefit_voc,$2000'].join('\r\n')}\r\n`;
    const { errors, summary } = await run(text);
    expect(errors).toEqual([]);
    expect(summary.projects[0].costs_pv_usd).toBeCloseTo(1234.5, 6);
    expect(summary.projects[0].benefits_pv_usd).toBeCloseTo(2000 / 1.07, 1); // summary rounds to cents
  });

  it('a quoted decimal-comma amount is an error on its line, not a hundredfold amount', async () => {
    const { errors, summary } = await run([...GOOD, 'P1,2027,benefit_voc,"2000,50"'].join('\n'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      code: 'bca.ledger.amount',
      file: 'ledger.csv',
      line: 5,
      column: 'amount_usd',
    });
    expect(errors[0]!.fix).toBeTruthy();
    expect(summary.projects[0].npv_usd).toBeNull();
  });

  it('a blank amount leaves the project and the total empty (never zero)', async () => {
    const { errors, summary } = await run([...GOOD, 'P1,2027,benefit_voc,'].join('\n'));
    expect(errors.map((e) => [e.code, e.line])).toEqual([['bca.ledger.missing_amount', 5]]);
    expect(summary.projects[0].npv_usd).toBeNull();
    expect(summary.total.npv_usd).toBeNull();
  });

  it('a row rejected for its flow name or year leaves its project totals empty instead of leaving it out', async () => {
    const { r, errors, summary } = await run(
      [
        ...GOOD,
        'P1,2027,travel_time,600',
        'P1,20277,benefit_voc,5',
        'P2,2024,capital,10',
        'P2,2025,benefit_voc,20',
      ].join('\n'),
    );
    expect(errors.map((e) => [e.code, e.line, e.column])).toEqual([
      ['bca.ledger.flow', 5, 'flow'],
      ['bca.ledger.year', 6, 'year'],
    ]);
    for (const e of errors) expect(e.fix).toBeTruthy();
    const p1 = summary.projects.find((p: { project_id: string }) => p.project_id === 'P1');
    const p2 = summary.projects.find((p: { project_id: string }) => p.project_id === 'P2');
    expect(p1.npv_usd).toBeNull();
    expect(p1.missing_rows).toBe(2);
    expect(p2.npv_usd).toBeCloseTo(20 / 1.07 - 10, 1);
    expect(summary.total.npv_usd).toBeNull();
    // the portfolio's Monte Carlo would silently leave P1 out: it is skipped, with a reason
    expect(r.run!.montecarlo).toBeNull();
    expect(r.issues.issues.some((i) => i.code === 'bca.montecarlo.incomplete')).toBe(true);
  });

  it('a repeated row is an error naming both lines, not counted twice', async () => {
    const { errors } = await run([...GOOD, 'P1,2025,Benefit_Travel_Time,600'].join('\n'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'bca.ledger.duplicate', line: 5 });
    expect(errors[0]!.message).toContain('line 3');
  });

  it('a misspelt optional column is an error (its values would be ignored); an extra column is a warning', async () => {
    const { r, errors } = await run(
      [
        'project_id,year,flow,amount_usd,dolar_year,notes',
        'P1,2024,capital,1000,2020,x',
        'P1,2025,benefit_voc,600,2020,',
      ].join('\n'),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'bca.ledger.column', column: 'dolar_year', line: 1 });
    expect(errors[0]!.message).toContain('dollar_year');
    expect(r.issues.issues.some((i) => i.severity === 'warning' && i.column === 'notes')).toBe(true);
  });

  it('a missing column names the near miss found instead', async () => {
    const { errors } = await run(['project_id,year,flow,amount', 'P1,2024,capital,1000'].join('\n'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'bca.ledger.column', column: 'amount_usd', line: 1 });
    expect(errors[0]!.message).toContain('amount');
  });

  it('a semicolon-delimited file gets one error saying so, not four missing columns', async () => {
    const { r, errors } = await run(['project_id;year;flow;amount_usd', 'P1;2024;capital;1000'].join('\n'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'bca.ledger.delimiter', line: 1 });
    expect(errors[0]!.message).toContain(';');
    expect(r.run).toBeNull(); // no summary with a zero total for a file that was not read
  });

  it('a header with no rows says the file is empty', async () => {
    const { errors } = await run('project_id,year,flow,amount_usd\n');
    expect(errors.map((e) => e.code)).toEqual(['bca.ledger.empty']);
  });

  it('refuses a discount rate given in percent and a two-digit base year', async () => {
    const a = await run(GOOD.join('\n'), { discountRate: 7 });
    expect(a.r.run).toBeNull();
    expect(a.errors[0]).toMatchObject({ code: 'bca.option', column: 'discount-rate' });
    expect(a.errors[0]!.message).toContain('0.07');
    const b = await run(GOOD.join('\n'), { baseYear: 26 });
    expect(b.r.run).toBeNull();
    expect(b.errors[0]).toMatchObject({ code: 'bca.option', column: 'base-year' });
  });
  it('a capital cost written as a negative cash flow is refused (it would raise the NPV)', async () => {
    const { errors, summary } = await run(
      GOOD.join('\n').replace('P1,2024,capital,1000', 'P1,2024,capital,-1000'),
    );
    expect(errors).toEqual([
      expect.objectContaining({ code: 'bca.ledger.sign', line: 2, column: 'amount_usd' }),
    ]);
    expect(summary.projects[0].npv_usd).toBeNull();
  });
  it('rows Excel leaves as bare commas are blank lines, not errors', async () => {
    const { errors } = await run([...GOOD, ',,,', ' , , , '].join('\r\n'));
    expect(errors).toEqual([]);
  });
  it('a year written 2027.0 (a pandas float column) is the year 2027', async () => {
    const { errors, summary } = await run(
      [
        'project_id,year,flow,amount_usd,dollar_year',
        'P1,2024.0,capital,1000,2024.0',
        'P1,2025.0,benefit_voc,600,',
      ].join('\n'),
    );
    expect(errors).toEqual([]);
    expect(summary.projects[0].npv_usd).toBeCloseTo(600 / 1.07 - 1000, 1);
  });
  it('headers typed as "Project ID", "Amount USD" are the ledger columns', async () => {
    const { errors } = await run(
      ['Project ID,Year,Flow,Amount USD', 'P1,2024,capital,1000', 'P1,2025,benefit_voc,600'].join('\n'),
    );
    expect(errors).toEqual([]);
  });
  it('a UTF-16 file (BOM FF FE, as some Excel exports write) is read like UTF-8', async () => {
    const text = `\ufeff${GOOD.join('\r\n')}`;
    const { dir, ctx } = await tempCtx();
    const f = join(dir, 'ledger.csv');
    writeFileSync(f, Buffer.from(text, 'utf16le'));
    const r = await runBca(ctx, f, { out: join(dir, 'out'), baseYear: 2024, reports: false, publish: false });
    expect(r.issues.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(r.run!.results[0]!.npv_usd).toBeCloseTo(600 / 1.07 + 600 / 1.07 ** 2 - 1000, 6);
  });
  it('a Windows-1252 file (Excel "CSV (Comma delimited)") keeps its accented project ids', async () => {
    const { dir, ctx } = await tempCtx();
    const f = join(dir, 'ledger.csv');
    const text = [
      'project_id,year,flow,amount_usd',
      'Caf\u00e9-1,2024,capital,1000',
      'Caf\u00e9-1,2025,benefit_voc,600',
    ].join('\n');
    writeFileSync(f, Buffer.from(text, 'latin1'));
    const r = await runBca(ctx, f, { out: join(dir, 'out'), baseYear: 2024, reports: false, publish: false });
    expect(r.run!.results.map((x) => x.project_id)).toEqual(['Caf\u00e9-1']);
  });
});
