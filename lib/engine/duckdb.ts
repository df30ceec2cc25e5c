// One DuckDB instance per process, with settings that work the same on a laptop and on Lambda
// (research/ecosystem.md §1.2): spill and home under scratch (Lambda's /var/task is read-only),
// a memory limit below the function's memory, and no extension auto-install (no network there).
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { Config } from '../config';

export type Db = DuckDBConnection;

export async function createDb(
  config: Pick<Config, 'scratchDir' | 'duckdb'>,
  path = ':memory:',
): Promise<Db> {
  const spill = join(config.scratchDir, 'duckdb', 'spill');
  const home = join(config.scratchDir, 'duckdb', 'home');
  mkdirSync(spill, { recursive: true });
  mkdirSync(home, { recursive: true });
  const options: Record<string, string> = {
    threads: String(config.duckdb.threads ?? availableParallelism()),
    temp_directory: spill,
    home_directory: home,
    extension_directory: join(home, 'extensions'),
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    // Results are compared and published in file order: keep scans ordered.
    preserve_insertion_order: 'true',
  };
  if (config.duckdb.memoryLimit) options.memory_limit = config.duckdb.memoryLimit;
  const instance = await DuckDBInstance.create(path, options);
  const con = await instance.connect();
  await con.run(`set timezone = 'UTC'`);
  return con;
}

/** Rows as plain JSON-safe objects (BIGINT → number when safe, else string). */
export async function queryRows<T = Record<string, unknown>>(
  db: Db,
  sql: string,
  params?: Record<string, unknown>,
): Promise<T[]> {
  const reader = await db.runAndReadAll(sql, params as never);
  return reader.getRowObjectsJS().map((r) => normaliseRow(r) as T);
}

export function normaliseRow(row: Record<string, unknown>) {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = normaliseValue(v);
  return out;
}

function normaliseValue(v: unknown): unknown {
  if (typeof v === 'bigint')
    return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(v)
      : v.toString();
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(normaliseValue);
  if (v && typeof v === 'object' && !(v instanceof Uint8Array)) {
    const o = v as Record<string, unknown>;
    if (typeof o.toString === 'function' && o.toString !== Object.prototype.toString) return o.toString();
    return normaliseRow(o);
  }
  return v;
}

/** A SQL identifier for names we generate or have validated (table and column names only). */
export function ident(name: string) {
  return `"${name.replaceAll('"', '""')}"`;
}
