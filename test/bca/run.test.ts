// `corridor bca run` on a plain ledger CSV and on scenarios (JSON, XLSX): hand-checked totals,
// cost conventions, missing-is-never-zero, and the CLI wiring.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { presentWorthFactor } from '../../lib/bca/discount';
import { runBca } from '../../lib/bca/run';
import { tempCtx } from './helpers';

const PWF10 = presentWorthFactor(0.07, 10); // 7.023582
const ledgerCsv = (extra = '') =>
  [
    'project_id,year,flow,amount_usd',
    'P1,2024,capital,1000',
    ...Array.from({ length: 10 }, (_, i) => `P1,${2025 + i},benefit_travel_time,150`),
    ...Array.from({ length: 10 }, (_, i) => `P1,${2025 + i},om,10`),
    extra,
  ]
    .filter(Boolean)
    .join('\n');

describe('plain ledger CSV', () => {
  it('capital-only BCR (USDOT 2026): (PV benefits − PV O&M) / capital; NPV and the 10-year stream by hand', async () => {
    const { dir, ctx } = await tempCtx();
    const f = join(dir, 'ledger.csv');
    writeFileSync(f, ledgerCsv());
    const r = await runBca(ctx, f, { out: join(dir, 'out'), baseYear: 2024, reports: false, publish: false });
    const s = JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8'));
    const p = s.projects[0];
    expect(p.benefits_pv_usd).toBeCloseTo(150 * PWF10 - 10 * PWF10, 2);
    expect(p.costs_pv_usd).toBeCloseTo(1000, 6);
    expect(p.npv_usd).toBeCloseTo(140 * PWF10 - 1000, 2);
    expect(p.bcr).toBeCloseTo((140 * PWF10) / 1000, 6);
    expect(s.total.npv_usd).toBeCloseTo(p.npv_usd, 2);
    expect(s.edition).toBe('usdot-2026');
    expect(r.issues.hasErrors).toBe(false);
    const ledger = readFileSync(join(dir, 'out', 'ledger.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(ledger).toHaveLength(22);
    expect(ledger[0]).toBe(
      'project_id,alternative_id,flow,year,quantity_nb,quantity_b,quantity,unit,unit_value,amount,dollar_year,price_factor,amount_real,discount_factor,pv,fund,source',
    );
  });

  it('all-costs BCR (Cal-B/C federal) changes the BCR but not the NPV', async () => {
    const { dir, ctx } = await tempCtx();
    const f = join(dir, 'ledger.csv');
    writeFileSync(f, ledgerCsv());
    await runBca(ctx, f, { out: join(dir, 'a'), baseYear: 2024, reports: false, publish: false });
    await runBca(ctx, f, {
      out: join(dir, 'b'),
      baseYear: 2024,
      edition: 'calbc-federal-2026',
      reports: false,
      publish: false,
    });
    const a = JSON.parse(readFileSync(join(dir, 'a', 'summary.json'), 'utf8')).total;
    const b = JSON.parse(readFileSync(join(dir, 'b', 'summary.json'), 'utf8')).total;
    expect(b.npv_usd).toBeCloseTo(a.npv_usd, 2);
    expect(b.bcr).toBeCloseTo((150 * PWF10) / (1000 + 10 * PWF10), 6);
    expect(b.bcr).not.toBeCloseTo(a.bcr, 3);
  });

  it('a different base year and discount rate are honoured; older dollars are restated with the verified BEA deflator (no warning)', async () => {
    const { dir, ctx } = await tempCtx();
    const f = join(dir, 'ledger.csv');
    writeFileSync(f, 'project_id,year,flow,amount_usd,dollar_year\nP1,2030,benefit_other,1000,2020\n');
    const r = await runBca(ctx, f, {
      out: join(dir, 'o'),
      baseYear: 2026,
      discountRate: 0.03,
      dollarYear: 2024,
      reports: false,
      publish: false,
    });
    const row = r.run!.ledger[0]!;
    const idx = (y: number) =>
      Number(
        readFileSync(join(process.cwd(), 'data/bca/price_index.csv'), 'utf8')
          .split('\n')
          .find((l) => l.startsWith(`gdp_deflator,${y},`))!
          .split(',')[2],
      );
    expect(row.price_factor).toBeCloseTo(idx(2024) / idx(2020), 12);
    expect(row.pv).toBeCloseTo((1000 * idx(2024)) / idx(2020) / 1.03 ** 4, 6);
    // 2020 and 2024 are BEA Table 1.1.9 figures (data/bca/price_index.csv, verification primary).
    expect(r.issues.issues.map((i) => i.code)).not.toContain('bca.price_index.unverified');
  });

  it('a blank amount is missing, never zero: the project totals stay empty and nothing is published', async () => {
    const { dir, ctx } = await tempCtx();
    const f = join(dir, 'ledger.csv');
    writeFileSync(f, ledgerCsv('P1,2035,om,'));
    const r = await runBca(ctx, f, { out: join(dir, 'o'), baseYear: 2024, reports: false });
    const issue = r.issues.issues.find((i) => i.code === 'bca.ledger.missing_amount')!;
    expect(issue.line).toBe(23);
    const s = JSON.parse(readFileSync(join(dir, 'o', 'summary.json'), 'utf8'));
    expect(s.projects[0].npv_usd).toBeNull();
    expect(s.projects[0].missing_rows).toBe(1);
    expect(r.published).toBe(false);
  });
});

const scenario = {
  id: 'two-projects',
  edition: 'usdot-2026',
  base_year: 2026,
  budgets: [{ year: 2027, fund: 'STBG', amount_usd: 1_000_000 }],
  risk: { iterations: 100, seed: 3 },
  projects: [
    {
      id: 'A',
      alternatives: [
        {
          id: 'small',
          costs: [{ type: 'capital', year: 2027, amount_usd: 400_000, fund: 'STBG' }],
          effects: [{ kind: 'voc', years: [2028, 2037], vmt_nb: 200_000, vmt_b: 0 }],
        },
        {
          id: 'large',
          costs: [{ type: 'capital', year: 2027, amount_usd: 900_000, fund: 'STBG' }],
          effects: [{ kind: 'voc', years: [2028, 2037], vmt_nb: 420_000, vmt_b: 0 }],
        },
      ],
    },
    {
      id: 'B',
      costs: [{ type: 'capital', year: 2027, amount_usd: 500_000, fund: 'STBG' }],
      effects: [{ kind: 'travel_time', years: [2028, 2037], hours: 'person', hours_nb: 10_000, hours_b: 0 }],
    },
  ],
};

describe('scenarios', () => {
  it('JSON scenario: exclusive alternatives, budget, incremental BCR; an XLSX workbook of the same scenario gives the same result', async () => {
    const { dir, ctx } = await tempCtx();
    const json = join(dir, 's.json');
    writeFileSync(json, JSON.stringify(scenario));
    const a = (await runBca(ctx, json, { out: join(dir, 'json'), reports: false, publish: false })).run!;
    expect(a.selection.chosen.map((c) => `${c.project_id}:${c.alternative_id}`).sort()).toEqual([
      'A:small',
      'B:build',
    ]);
    expect(a.incremental[0]!.project_id).toBe('A');
    expect(a.fiscal[0]).toMatchObject({
      programmed_usd: 900_000,
      within_budget: true,
      requested_usd: 900_000,
    });

    const wb = new ExcelJS.Workbook();
    const add = (name: string, rows: unknown[][]) => wb.addWorksheet(name).addRows(rows);
    add('scenario', [
      ['key', 'value'],
      ['id', 'two-projects'],
      ['edition', 'usdot-2026'],
      ['base_year', 2026],
    ]);
    add('projects', [
      ['project_id', 'alternative_id'],
      ['A', 'small'],
      ['A', 'large'],
      ['B', 'build'],
    ]);
    add('costs', [
      ['project_id', 'alternative_id', 'type', 'year', 'amount_usd', 'fund'],
      ['A', 'small', 'capital', 2027, 400_000, 'STBG'],
      ['A', 'large', 'capital', 2027, 900_000, 'STBG'],
      ['B', 'build', 'capital', 2027, 500_000, 'STBG'],
    ]);
    add('effects', [
      ['project_id', 'alternative_id', 'json'],
      ...scenario.projects.flatMap((p) =>
        (p.alternatives ?? [{ id: 'build', effects: p.effects! }]).flatMap((alt) =>
          alt.effects.map((e) => [p.id, alt.id, JSON.stringify(e)]),
        ),
      ),
    ]);
    add('budgets', [
      ['year', 'fund', 'amount_usd'],
      [2027, 'STBG', 1_000_000],
    ]);
    const xlsx = join(dir, 's.xlsx');
    await wb.xlsx.writeFile(xlsx);
    const b = (await runBca(ctx, xlsx, { out: join(dir, 'xlsx'), reports: false, publish: false })).run!;
    expect(b.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(b.total.npv_usd).toBeCloseTo(a.total.npv_usd!, 6);
    expect(b.selection.chosen).toEqual(a.selection.chosen);
  });

  it('schema errors name the path and stop the run', async () => {
    const { dir, ctx } = await tempCtx();
    const f = join(dir, 'bad.yaml');
    writeFileSync(
      f,
      'id: bad\nbase_year: 2026\nprojects:\n  - id: X\n    effects:\n      - kind: safety\n        years: [2028, 2030]\n        basis: crashes\n',
    );
    const r = await runBca(ctx, f, { out: join(dir, 'o') });
    expect(r.run).toBeNull();
    expect(r.issues.issues.some((i) => i.column?.startsWith('projects.0.effects.0'))).toBe(true);
  });
});

describe('CLI', () => {
  it('corridor bca select and corridor bca run wire through to the library', async () => {
    const { dir } = await tempCtx();
    const alt = join(dir, 'alt.csv');
    writeFileSync(
      alt,
      'project_id,alternative_id,cost_usd,net_benefit_usd\na,small,5,10\na,large,9,14\nb,build,4,6\n',
    );
    const run = promisify(execFile);
    const env = { ...process.env, CORRIDOR_DATA_DIR: join(dir, 'store') };
    await run(
      'node',
      ['bin/corridor.js', 'bca', 'select', '--alternatives', alt, '--budget', '9', '--out', join(dir, 'sel')],
      { env },
    );
    const s = JSON.parse(readFileSync(join(dir, 'sel', 'summary.json'), 'utf8'));
    expect(s).toMatchObject({ total_cost_usd: 9, total_net_benefit_usd: 16, optimal: true });
    expect(readFileSync(join(dir, 'sel', 'selection.csv'), 'utf8')).toContain('a,small,true,5,10');
    const ledger = join(dir, 'l.csv');
    writeFileSync(ledger, ledgerCsv());
    const out = await run(
      'node',
      [
        'bin/corridor.js',
        'bca',
        'run',
        ledger,
        '--out',
        join(dir, 'run'),
        '--base-year',
        '2024',
        '--discount-rate',
        '0.07',
      ],
      { env },
    );
    expect(out.stdout).toMatch(/published as bca\/l/);
    const sum = JSON.parse(readFileSync(join(dir, 'run', 'summary.json'), 'utf8'));
    for (const k of ['npv_usd', 'bcr', 'irr', 'payback_year', 'benefits_pv_usd', 'costs_pv_usd'])
      expect(sum.total).toHaveProperty(k);
  }, 60_000);
});

describe('year-of-expenditure costs', () => {
  const yoe = (forecast?: object) => ({
    id: 'yoe',
    base_year: 2026,
    dollar_year: 2024,
    ...(forecast ? { price_forecast: forecast } : {}),
    risk: { iterations: 0 },
    projects: [
      {
        id: 'P',
        costs: [{ type: 'capital', year: 2028, amount_usd: 1_000_000, yoe: true }],
        effects: [{ kind: 'other', name: 'x', years: [2029, 2030], amount_usd: 1 }],
      },
    ],
  });
  it('are deflated with the stated price forecast beyond the last index year', async () => {
    const { dir, ctx } = await tempCtx();
    const f = join(dir, 'y.json');
    writeFileSync(f, JSON.stringify(yoe({ rate: 0.025, source: 'test assumption' })));
    const r = (await runBca(ctx, f, { out: join(dir, 'o'), reports: false, publish: false })).run!;
    const cap = r.ledger.find((l) => l.flow === 'capital')!;
    expect(cap.dollar_year).toBe(2028);
    expect(cap.price_factor).toBeCloseTo(1 / 1.025 ** 4, 12);
  });
  it('without a forecast the future price level is missing: an error and no totals, never a silent 1.0', async () => {
    const { dir, ctx } = await tempCtx();
    const f = join(dir, 'y.json');
    writeFileSync(f, JSON.stringify(yoe()));
    const r = await runBca(ctx, f, { out: join(dir, 'o'), reports: false, publish: false });
    expect(r.issues.issues.map((i) => i.code)).toContain('bca.price_index.missing');
    expect(r.run!.results[0]!.npv_usd).toBeNull();
  });
});
