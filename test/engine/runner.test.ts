import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDb, queryRows } from '../../lib/engine/duckdb';
import { loadQueries, parseQueryFile } from '../../lib/engine/query-file';
import { allQueries, materialise, plan, QueryError, runQueries } from '../../lib/engine/runner';

const config = { scratchDir: join(tmpdir(), 'corridor-test'), duckdb: { threads: 1 } };

function queriesFrom(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'queries-'));
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, `${name}.sql`), sql);
  return loadQueries(dir);
}

describe('query files', () => {
  it('reads the header: grain, inputs, params, reference', () => {
    const q = parseQueryFile(
      '/x/pm3_demo.sql',
      '-- A demo.\n-- grain: tmc_code, period\n-- inputs: a, b\n-- params: year\n-- reference: 23 CFR 490.511\nselect $year as y',
    );
    expect(q).toMatchObject({
      name: 'pm3_demo',
      grain: ['tmc_code', 'period'],
      inputs: ['a', 'b'],
      params: ['year'],
      reference: '23 CFR 490.511',
      description: 'A demo.',
    });
  });

  it('refuses a file without a grain, an undeclared or unused parameter, or a wrong name', () => {
    expect(() => parseQueryFile('/x/a.sql', 'select 1')).toThrow(/missing "-- grain:"/);
    expect(() => parseQueryFile('/x/a.sql', '-- grain: none\nselect $y')).toThrow(
      /uses \$y but does not declare it/,
    );
    expect(() => parseQueryFile('/x/a.sql', '-- grain: none\n-- params: y\nselect 1')).toThrow(
      /never uses \$y/,
    );
    expect(() => parseQueryFile('/x/a.sql', '-- name: b\n-- grain: none\nselect 1')).toThrow(
      /header says name b/,
    );
    expect(() => parseQueryFile('/x/Bad-Name.sql', '-- grain: none\nselect 1')).toThrow(/snake_case/);
  });

  it('every query in queries/ parses, and names are unique', () => {
    expect(allQueries().size).toBeGreaterThan(0);
  });
});

describe('runner', () => {
  const qs = queriesFrom({
    c: '-- grain: k\n-- inputs: b\nselect k, v * 10 as v from b',
    b: '-- grain: k\n-- inputs: a\n-- params: factor\nselect k, v * $factor as v from a',
    a: '-- grain: k\n-- inputs: src\nselect k, v from src',
    cyc1: '-- grain: none\n-- inputs: cyc2\nselect 1',
    cyc2: '-- grain: none\n-- inputs: cyc1\nselect 1',
    dup: '-- grain: k\n-- inputs: src\nselect k from src union all select k from src',
    nullkey: '-- grain: k\n-- inputs: src\nselect null::int as k',
    bad: '-- grain: none\n-- params: year\nselect * from no_such_table where y = $year',
    inj: '-- grain: none\n-- params: name\nselect $name as name',
  });

  it('orders queries by their declared inputs', () => {
    expect(plan(['c'], qs).map((q) => q.name)).toEqual(['a', 'b', 'c']);
    expect(() => plan(['cyc1'], qs)).toThrow(/query cycle: cyc1 → cyc2 → cyc1/);
  });

  it('runs a chain with bound parameters over a registered table', async () => {
    const db = await createDb(config);
    await db.run('create table t as select * from (values (1, 2.0), (2, 3.5)) v(k, v)');
    const r = await runQueries(db, {
      targets: ['c'],
      params: { factor: 3 },
      inputs: { src: { kind: 'table', table: 't' } },
      queries: qs,
    });
    expect(r.ran.map((q) => q.name)).toEqual(['a', 'b', 'c']);
    expect(await queryRows(db, 'select * from c order by k')).toEqual([
      { k: 1, v: 60 },
      { k: 2, v: 105 },
    ]);
  });

  it('binds an injection-looking value as a plain value', async () => {
    const db = await createDb(config);
    const evil = "x'; drop table t; --";
    await runQueries(db, { targets: ['inj'], params: { name: evil }, queries: qs });
    expect(await queryRows(db, 'select name from inj')).toEqual([{ name: evil }]);
  });

  it('checks the grain: duplicates and null keys fail with the query named', async () => {
    const db = await createDb(config);
    await db.run('create table t as select 1 as k, 2 as v');
    const src = { src: { kind: 'table' as const, table: 't' } };
    await expect(runQueries(db, { targets: ['dup'], inputs: src, queries: qs })).rejects.toThrow(
      /query dup .*grain \(k\) is not unique/,
    );
    await expect(runQueries(db, { targets: ['nullkey'], inputs: src, queries: qs })).rejects.toThrow(
      /query nullkey .*grain \(k\) has nulls/,
    );
  });

  it('errors name the query and its parameters', async () => {
    const db = await createDb(config);
    const err = await runQueries(db, { targets: ['bad'], params: { year: 2024 }, queries: qs }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(QueryError);
    expect(err.message).toMatch(/^query bad \(params \{"year":2024\}\): .*no_such_table/s);
    const missing = await runQueries(db, { targets: ['b'], inputs: {}, queries: qs }).catch((e) => e);
    expect(missing.message).toMatch(/query a .*input src is neither a query nor a registered dataset/);
  });

  it('materialises to CSV, JSON and Parquet at bound paths', async () => {
    const db = await createDb(config);
    await db.run(`create table out_t as select * from (values (2, 'b'), (1, 'a')) v(k, s)`);
    const dir = mkdtempSync(join(tmpdir(), 'mat-'));
    await materialise(db, 'out_t', join(dir, "it's.csv"), 'csv', ['k']);
    expect(readFileSync(join(dir, "it's.csv"), 'utf8')).toBe('k,s\n1,a\n2,b\n');
    await materialise(db, 'out_t', join(dir, 'o.json'), 'json', ['k']);
    expect(JSON.parse(readFileSync(join(dir, 'o.json'), 'utf8'))).toEqual([
      { k: 1, s: 'a' },
      { k: 2, s: 'b' },
    ]);
    await materialise(db, 'out_t', join(dir, 'o.parquet'), 'parquet');
    expect(
      await queryRows(db, 'select count(*)::int n from read_parquet($p)', { p: join(dir, 'o.parquet') }),
    ).toEqual([{ n: 2 }]);
  });
});
