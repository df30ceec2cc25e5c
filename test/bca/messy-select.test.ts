// `corridor bca select` with the alternatives files and budgets people type: several
// alternatives of one project, currency formatting, negative or non-numeric cells, a budget
// written "1,000,000" or "1e6", a negative budget. Bad input is refused with line and column.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvRecords } from '../../lib/bca/csv';
import { runSelect } from '../../lib/bca/select-csv';
import { IssueCollector } from '../../lib/ingest/issues';
import { tempCtx } from './helpers';

async function select(text: string, budget: number | string) {
  const { dir } = await tempCtx();
  const f = join(dir, 'alts.csv');
  writeFileSync(f, text);
  const issues = new IssueCollector('bca');
  const s = await runSelect(f, budget, join(dir, 'out'), issues);
  const rows = s
    ? csvRecords(readFileSync(join(dir, 'out', 'selection.csv'), 'utf8')).map((r) => r.values)
    : [];
  return { s, rows, errors: issues.issues.filter((i) => i.severity === 'error') };
}

const ALTS = [
  'project_id,alternative_id,cost_usd,net_benefit_usd',
  'A,small,400000,900000',
  'A,large,700000,1300000',
  'B,,300000,500000',
].join('\n');

describe('messy selection input', () => {
  it('two alternatives of one project: at most one is chosen, the do-nothing is implicit', async () => {
    // budget 1,000,000: A/large + B = 1,800,000 beats A/small + B = 1,400,000; both A together
    // (2,200,000 for 1,100,000) would break the one-alternative rule and the budget
    const { s, rows } = await select(ALTS, '1e6');
    expect(s).toMatchObject({ optimal: true, total_cost_usd: 1_000_000, total_net_benefit_usd: 1_800_000 });
    expect(
      rows.filter((r) => r.selected === 'true').map((r) => `${r.project_id}/${r.alternative_id}`),
    ).toEqual(['A/large', 'B/build']);
    expect(s!.bcr_ranked_heuristic.note).toContain('heuristic');
  });

  it('a budget written 1,000,000 or $1,000,000 is one million; a negative or wordy budget is refused', async () => {
    for (const b of ['1,000,000', '$1,000,000', '1000000'])
      expect((await select(ALTS, b)).s?.total_net_benefit_usd).toBe(1_800_000);
    for (const b of ['-5', 'lots', '']) {
      const { s, errors } = await select(ALTS, b);
      expect(s).toBeNull();
      expect(errors[0]).toMatchObject({ code: 'bca.select.budget', column: 'budget' });
      expect(errors[0]!.fix).toBeTruthy();
    }
  });

  it('currency cells are read; negative, blank and text cells are refused by line and column', async () => {
    const ok = await select(ALTS.replace('A,small,400000,900000', 'A,small,"$400,000","$900,000"'), 1e6);
    expect(ok.errors).toEqual([]);
    const bad = await select(
      [ALTS, 'C,c1,-5,100', 'D,d1,abc,100', 'E,e1,10,', 'A,small,1,1'].join('\n'),
      1e6,
    );
    expect(bad.s).toBeNull();
    expect(bad.errors.map((e) => [e.code, e.line, e.column ?? null])).toEqual([
      ['bca.select.cost', 5, 'cost_usd'],
      ['bca.select.cost', 6, 'cost_usd'],
      ['bca.select.net_benefit', 7, 'net_benefit_usd'],
      ['bca.select.duplicate', 8, null],
    ]);
    for (const e of bad.errors) expect(e.fix).toBeTruthy();
  });

  it('a missing column is one error on the header, not one per row', async () => {
    const { errors } = await select(ALTS.replace('net_benefit_usd', 'net_benefit'), 1e6);
    expect(errors).toEqual([
      expect.objectContaining({ code: 'bca.select.column', line: 1, column: 'net_benefit_usd' }),
    ]);
    expect(errors[0]!.message).toContain('net_benefit');
  });
});
