// SQL golden cases (STYLE.md §3): test/queries/<query>/<case>/given/*.csv, optional params.json
// and given/<table>.columns.json (pinned types), and expected.csv. A mismatch writes
// actual.changed.csv beside expected.csv so the difference can be read and, if right, accepted.
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createDb, queryRows } from '../../lib/engine/duckdb';
import { allQueries, materialise, registerInput, runQueries } from '../../lib/engine/runner';

const ROOT = fileURLToPath(new URL('.', import.meta.url));
const config = { scratchDir: join(process.env.TMPDIR ?? '/tmp', 'corridor-test'), duckdb: { threads: 1 } };

const cases = readdirSync(ROOT)
  .filter((q) => statSync(join(ROOT, q)).isDirectory())
  .flatMap((q) =>
    readdirSync(join(ROOT, q))
      .filter((c) => statSync(join(ROOT, q, c)).isDirectory())
      .map((c) => ({ query: q, name: c, dir: join(ROOT, q, c) })),
  );

describe('SQL golden cases', () => {
  it('has a query file for every case folder', () => {
    const known = allQueries();
    for (const c of cases) expect(known.has(c.query), `test/queries/${c.query} names no query`).toBe(true);
  });

  for (const c of cases) {
    it(`${c.query} / ${c.name}`, async () => {
      const db = await createDb(config);
      const givenDir = join(c.dir, 'given');
      const inputs: Record<string, { kind: 'csv'; files: string[]; columns?: Record<string, string> }> = {};
      for (const f of readdirSync(givenDir).filter((f) => f.endsWith('.csv'))) {
        const name = f.slice(0, -4);
        const typesFile = join(givenDir, `${name}.columns.json`);
        inputs[name] = {
          kind: 'csv',
          files: [join(givenDir, f)],
          columns: existsSync(typesFile) ? JSON.parse(readFileSync(typesFile, 'utf8')) : undefined,
        };
      }
      const paramsFile = join(c.dir, 'params.json');
      const params = existsSync(paramsFile) ? JSON.parse(readFileSync(paramsFile, 'utf8')) : {};
      const q = allQueries().get(c.query)!;
      await runQueries(db, { targets: [c.query], params, inputs });
      const actual = await canonical(db, `select * from ${c.query}`, q.grain);
      // expected.columns.json pins types where detection would guess wrong ('f' as false, times).
      const expectedTypes = join(c.dir, 'expected.columns.json');
      await registerInput(db, 'golden_expected', {
        kind: 'csv',
        files: [join(c.dir, 'expected.csv')],
        columns: existsSync(expectedTypes) ? JSON.parse(readFileSync(expectedTypes, 'utf8')) : undefined,
      });
      const expectedRows = await canonical(db, 'select * from golden_expected', q.grain);
      const changed = join(c.dir, 'actual.changed.csv');
      if (JSON.stringify(actual) !== JSON.stringify(expectedRows)) {
        await materialise(db, c.query, changed, 'csv', q.grain);
      } else if (existsSync(changed)) rmSync(changed);
      expect(actual).toEqual(expectedRows);
    });
  }
});

/** Rows as strings, numbers rounded to 9 significant digits, sorted by the grain then all columns. */
async function canonical(
  db: Awaited<ReturnType<typeof createDb>>,
  sql: string,
  grain: string[],
  params?: Record<string, unknown>,
) {
  const rows = await queryRows(db, sql, params);
  const norm = rows.map((r) => {
    const o: Record<string, string> = {};
    for (const [k, v] of Object.entries(r))
      o[k] =
        v === null || v === undefined
          ? ''
          : typeof v === 'number'
            ? fmt(v)
            : isNumeric(v)
              ? fmt(Number(v))
              : String(v);
    return o;
  });
  const key = (o: Record<string, string>) =>
    [...grain.map((g) => o[g] ?? ''), JSON.stringify(o)].join('\u0001');
  return norm.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function isNumeric(v: unknown) {
  return typeof v === 'string' && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v.trim());
}
function fmt(n: number) {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(9)));
}
