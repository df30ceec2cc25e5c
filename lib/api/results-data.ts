// Reading computed results (results/<family>/<run>/…) for pages and the API. Runs are immutable,
// so parsed files are cached by storage key.
import { basename } from 'node:path';
import { getLatestRun, getResultIndex, type Lineage, type ResultRun } from '../catalog/results';
import type { Ctx } from '../context';
import { queryRows } from '../engine/duckdb';
import { registerInput } from '../engine/runner';
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

export async function runsOf(ctx: Ctx, family: string) {
  return (await getResultIndex(ctx.storage, family))?.runs ?? [];
}
