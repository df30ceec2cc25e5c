// Reading computed results (results/<family>/<run>/…) for pages and the API. Runs are immutable,
// so parsed files are cached by storage key.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { getLatestRun, getResultIndex, type Lineage, type ResultRun } from '../catalog/results';
import type { TableInfo } from '../catalog/types';
import type { Ctx } from '../context';
import { queryRows } from '../engine/duckdb';
import { materialise, registerInput } from '../engine/runner';
import { getJson } from '../storage';

const cache = new Map<string, Record<string, unknown>[]>();
const CACHE_MAX = 64;

export async function latestRun(ctx: Ctx, family: string, key?: string) {
  return getLatestRun(ctx.storage, family, key);
}

export async function runLineage(ctx: Ctx, family: string, run: ResultRun) {
  return (await getJson<Lineage>(ctx.storage, `results/${family}/${run.run_id}/lineage.json`))?.value ?? null;
}

export function findFile(run: ResultRun, name: string) {
  return run.files.find((k) => basename(k) === name) ?? null;
}

/** Rows of a result CSV or JSON file (JSON: an array of objects, or an object). */
export async function resultRows(ctx: Ctx, key: string): Promise<Record<string, unknown>[]> {
  const hit = cache.get(key);
  if (hit) return hit;
  let rows: Record<string, unknown>[] = [];
  if (key.endsWith('.csv')) {
    const db = await ctx.db();
    try {
      await registerInput(db, 'result', { kind: 'csv', files: [await ctx.storage.localPath(key)] });
      rows = await queryRows(db, 'select * from result');
    } finally {
      db.closeSync();
    }
  } else if (key.endsWith('.json')) {
    const v = (await getJson<unknown>(ctx.storage, key))?.value;
    rows = Array.isArray(v)
      ? (v as Record<string, unknown>[])
      : v && typeof v === 'object'
        ? [v as Record<string, unknown>]
        : [];
  }
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(key, rows);
  return rows;
}

/**
 * A result CSV as a table the row readers (readRows, csvStream) understand: DuckDB reads the CSV
 * once into a Parquet file in scratch (results are immutable), with the types it detects.
 */
export async function resultTable(ctx: Ctx, key: string): Promise<TableInfo> {
  const hit = tables.get(key);
  if (hit && existsSync(hit.files[0]!)) return { ...hit, files: [...hit.files] };
  const path = join(
    ctx.config.scratchDir,
    'results-parquet',
    `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.parquet`,
  );
  await mkdir(dirname(path), { recursive: true });
  const db = await ctx.db();
  try {
    await registerInput(db, 'result', { kind: 'csv', files: [await ctx.storage.localPath(key)] });
    const cols = await queryRows<{ column_name: string; column_type: string }>(db, 'describe result');
    const [n] = await queryRows<{ n: number }>(db, 'select count(*)::bigint as n from result');
    if (!existsSync(path)) {
      const tmp = `${path}.${process.pid}.tmp`;
      await db.run('create table out as select * from result');
      await materialise(db, 'out', tmp, 'parquet');
      await rename(tmp, path);
    }
    const info: TableInfo = {
      name: basename(key, '.csv'),
      rows: n?.n ?? 0,
      columns: cols.map((c) => ({ name: c.column_name, type: c.column_type })),
      files: [path],
      partitioning: [],
    };
    tables.set(key, info);
    return info;
  } finally {
    db.closeSync();
  }
}

const tables = new Map<string, TableInfo>();

export async function runsOf(ctx: Ctx, family: string) {
  return (await getResultIndex(ctx.storage, family))?.runs ?? [];
}
