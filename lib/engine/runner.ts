// Runs query files in dependency order over registered inputs, binding named parameters and
// checking each output's grain (ARCHITECTURE.md "Compute"; STYLE.md §2, §4).
import { fileURLToPath } from 'node:url';
import { listValue } from '@duckdb/node-api';
import { type Db, ident, queryRows } from './duckdb';
import { loadQueries, type QueryFile } from './query-file';

export const QUERIES_DIR = fileURLToPath(new URL('../../queries', import.meta.url));

export type InputSource =
  | { kind: 'parquet'; files: string[] }
  | { kind: 'csv'; files: string[]; columns?: Record<string, string> }
  | { kind: 'table'; table: string };

export class QueryError extends Error {
  constructor(
    readonly query: string,
    readonly params: Record<string, unknown>,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`query ${query} (params ${JSON.stringify(params)}): ${message}`, options);
  }
}

let cached: Map<string, QueryFile> | undefined;
export function allQueries() {
  cached ??= loadQueries(QUERIES_DIR);
  return cached;
}

/** Registers an input as a view named after it. Paths are bound through variables, never spliced. */
export async function registerInput(db: Db, name: string, source: InputSource) {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`input name ${name} must be snake_case`);
  const v = `__input_${name}`;
  if (source.kind === 'table') {
    await db.run(`create or replace view ${ident(name)} as select * from ${ident(source.table)}`);
    return;
  }
  if (source.files.length === 0) throw new Error(`input ${name} has no files`);
  await db.run(`set variable ${v} = $files::varchar[]`, { files: listOf(source.files) } as never);
  if (source.kind === 'parquet') {
    await db.run(
      `create or replace view ${ident(name)} as select * from read_parquet(getvariable('${v}'), union_by_name = true)`,
    );
  } else {
    await db.run(
      `create or replace view ${ident(name)} as select * from read_csv(getvariable('${v}'), header = true, sample_size = -1${
        source.columns ? `, types = ${structLiteral(source.columns)}` : ''
      })`,
    );
  }
}

/** The queries needed for the targets, dependencies first. */
export function plan(targets: string[], queries = allQueries()): QueryFile[] {
  const order: QueryFile[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, from: string[]) => {
    const q = queries.get(name);
    if (!q) return; // a registered input, not a query
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') throw new Error(`query cycle: ${[...from, name].join(' → ')}`);
    state.set(name, 'visiting');
    for (const dep of q.inputs) visit(dep, [...from, name]);
    state.set(name, 'done');
    order.push(q);
  };
  for (const t of targets) {
    if (!queries.has(t)) throw new Error(`no query named ${t} under queries/`);
    visit(t, []);
  }
  return order;
}

export interface RunResult {
  ran: QueryFile[];
  rows: Record<string, number>;
}

export async function runQueries(
  db: Db,
  opts: {
    targets: string[];
    params?: Record<string, unknown>;
    inputs?: Record<string, InputSource>;
    queries?: Map<string, QueryFile>;
  },
): Promise<RunResult> {
  const queries = opts.queries ?? allQueries();
  for (const [name, src] of Object.entries(opts.inputs ?? {})) await registerInput(db, name, src);
  const steps = plan(opts.targets, queries);
  const rows: Record<string, number> = {};
  for (const q of steps) {
    const params: Record<string, unknown> = {};
    for (const p of q.params) {
      if (!(p in (opts.params ?? {})))
        throw new QueryError(q.name, opts.params ?? {}, `parameter ${p} was not given`);
      params[p] = opts.params![p];
    }
    for (const input of q.inputs) {
      if (!queries.has(input) && !(await relationExists(db, input))) {
        throw new QueryError(q.name, params, `input ${input} is neither a query nor a registered dataset`);
      }
    }
    try {
      await db.run(
        `create or replace table ${ident(q.name)} as ${stripTrailingSemicolon(q.sql)}`,
        params as never,
      );
    } catch (e) {
      throw new QueryError(q.name, params, (e as Error).message, { cause: e });
    }
    await checkGrain(db, q, params);
    const [{ n }] = (await queryRows<{ n: number }>(
      db,
      `select count(*)::bigint as n from ${ident(q.name)}`,
    )) as [{ n: number }];
    rows[q.name] = n;
  }
  return { ran: steps, rows };
}

/** The grain is a promise: one row per grain key, and no key column null. */
export async function checkGrain(db: Db, q: QueryFile, params: Record<string, unknown> = {}) {
  if (q.grain.length === 0) return;
  const cols = q.grain.map(ident).join(', ');
  const nulls = q.grain.map((c) => `${ident(c)} is null`).join(' or ');
  let dup: Record<string, unknown>[];
  let nullRows: Record<string, unknown>[];
  try {
    dup = await queryRows(
      db,
      `select ${cols}, count(*) as n from ${ident(q.name)} group by all having count(*) > 1 limit 3`,
    );
    nullRows = await queryRows(db, `select ${cols} from ${ident(q.name)} where ${nulls} limit 3`);
  } catch (e) {
    throw new QueryError(q.name, params, `grain columns ${q.grain.join(', ')}: ${(e as Error).message}`);
  }
  if (dup.length) {
    throw new QueryError(
      q.name,
      params,
      `grain (${q.grain.join(', ')}) is not unique, e.g. ${JSON.stringify(dup[0])}`,
    );
  }
  if (nullRows.length) {
    throw new QueryError(
      q.name,
      params,
      `grain (${q.grain.join(', ')}) has nulls, e.g. ${JSON.stringify(nullRows[0])}`,
    );
  }
}

export type OutputFormat = 'parquet' | 'csv' | 'json';

/** Writes a table (or any query over it) to a file; the path is bound, never spliced. */
export async function materialise(
  db: Db,
  table: string,
  path: string,
  format: OutputFormat,
  orderBy?: string[],
) {
  const order = orderBy?.length ? ` order by ${orderBy.map(ident).join(', ')}` : '';
  const opts =
    format === 'parquet'
      ? '(format parquet, compression zstd)'
      : format === 'csv'
        ? '(format csv, header true)'
        : '(format json, array true)';
  await db.run(`copy (select * from ${ident(table)}${order}) to $path ${opts}`, { path } as never);
  return path;
}

export async function relationExists(db: Db, name: string) {
  const r = await queryRows(
    db,
    `select 1 from duckdb_tables() where table_name = $n union all select 1 from duckdb_views() where view_name = $n`,
    {
      n: name,
    },
  );
  return r.length > 0;
}

function stripTrailingSemicolon(sql: string) {
  return sql.trim().replace(/;\s*$/, '');
}

function listOf(files: string[]) {
  return listValue(files);
}

function structLiteral(columns: Record<string, string>) {
  for (const [k, t] of Object.entries(columns)) {
    if (!/^[A-Za-z_][A-Za-z0-9_ ]*$/.test(k) || !/^[A-Z][A-Z0-9_(), ]*(\[\])?$/.test(t)) {
      throw new Error(`invalid column spec ${k}: ${t}`);
    }
  }
  return `{${Object.entries(columns)
    .map(([k, t]) => `'${k}': '${t}'`)
    .join(', ')}}`;
}
