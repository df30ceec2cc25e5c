// Reading a published table for previews, paged rows and downloads. Each request gets its own
// in-memory DuckDB over the version's Parquet files (registered as an input, never spliced);
// filters are whitelisted column names with bound values.
import { existsSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { getManifest, getVersion } from '../catalog/catalog';
import type { Manifest, TableInfo, VersionRecord } from '../catalog/types';
import type { Ctx } from '../context';
import { type Db, ident, normaliseRow, queryRows } from '../engine/duckdb';
import { materialise, registerInput } from '../engine/runner';

export const DATASET_ID = /^[a-z0-9_]+(\.[a-z0-9_-]+)?$/;
export const NAME = /^[a-z][a-z0-9_]*$/;
export const VERSION = /^[0-9A-Za-z_-]{1,64}$/;

export interface ResolvedTable {
  manifest: Manifest;
  version: VersionRecord;
  table: TableInfo;
}

export class NotFound extends Error {}
export class BadRequest extends Error {}

export async function resolveDataset(ctx: Ctx, id: string, version?: string) {
  if (!DATASET_ID.test(id)) throw new BadRequest('invalid dataset id');
  if (version !== undefined && version !== 'latest' && !VERSION.test(version))
    throw new BadRequest('invalid version');
  const manifest = await getManifest(ctx.storage, id);
  if (!manifest) throw new NotFound(`no dataset ${id}`);
  const v = version && version !== 'latest' ? version : (manifest.current_version ?? undefined);
  if (!v || !manifest.versions.some((x) => x.version === v))
    throw new NotFound(`dataset ${id} has no version ${version ?? '(none published)'}`);
  const record = await getVersion(ctx.storage, id, v);
  if (!record) throw new NotFound(`dataset ${id} has no version ${v}`);
  return { manifest, version: record };
}

export async function resolveTable(
  ctx: Ctx,
  id: string,
  version?: string,
  table?: string,
): Promise<ResolvedTable> {
  const r = await resolveDataset(ctx, id, version);
  if (table !== undefined && !NAME.test(table)) throw new BadRequest('invalid table name');
  const t = table ? r.version.tables.find((x) => x.name === table) : r.version.tables[0];
  if (!t) throw new NotFound(`dataset ${id} version ${r.version.version} has no table ${table}`);
  return { ...r, table: t };
}

/** The geometry of a table: the declared lon/lat pair, else well-known column names. */
export function geometryOf(t: TableInfo): { lon: string; lat: string } | null {
  if (t.geometry) return t.geometry;
  const names = new Set(t.columns.map((c) => c.name));
  for (const [lon, lat] of [
    ['stop_lon', 'stop_lat'],
    ['lon', 'lat'],
    ['longitude', 'latitude'],
    ['start_longitude', 'start_latitude'],
  ] as const) {
    if (names.has(lon) && names.has(lat)) return { lon, lat };
  }
  return null;
}

export interface RowQuery {
  limit: number;
  offset: number;
  /** column → value equality filters (columns must exist in the table). */
  where: Record<string, string>;
  order?: string;
}

/** `local`: files already on this machine (a result CSV converted in scratch) instead of storage keys. */
export async function openTable(ctx: Ctx, t: TableInfo, local?: string[]): Promise<Db> {
  const db = await ctx.db();
  const files = local ?? (await Promise.all(t.files.map((k) => ctx.storage.localPath(k))));
  await registerInput(db, 'data', { kind: 'parquet', files });
  return db;
}

export function whereClause(t: TableInfo, where: Record<string, string>) {
  const cols = new Set(t.columns.map((c) => c.name));
  const params: Record<string, string> = {};
  const parts: string[] = [];
  Object.entries(where).forEach(([col, value], i) => {
    if (!cols.has(col)) throw new BadRequest(`no column ${col} to filter on`);
    parts.push(`cast(${ident(col)} as varchar) = $w${i}`);
    params[`w${i}`] = value;
  });
  return { sql: parts.length ? ` where ${parts.join(' and ')}` : '', params };
}

export async function readRows(ctx: Ctx, t: TableInfo, q: RowQuery, local?: string[]) {
  const { sql, params } = whereClause(t, q.where);
  if (q.order && !t.columns.some((c) => c.name === q.order))
    throw new BadRequest(`no column ${q.order} to sort by`);
  const order = q.order ? ` order by ${ident(q.order)}` : '';
  const db = await openTable(ctx, t, local);
  try {
    const [count] = await queryRows<{ n: number }>(
      db,
      `select count(*)::bigint as n from data${sql}`,
      params,
    );
    const rows = await queryRows(db, `select * from data${sql}${order} limit $limit offset $offset`, {
      ...params,
      limit: q.limit,
      offset: q.offset,
    });
    return { total: count?.n ?? 0, rows };
  } finally {
    db.closeSync();
  }
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(plain(v)) : String(v);
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Rows of a query, in batches of value arrays (column order); the connection closes at the end. */
async function* batches(db: Db, sql: string, params: Record<string, unknown>) {
  try {
    const result = await db.stream(sql, params as never);
    const names = result.columnNames();
    for await (const rows of result.yieldRowsJs()) yield { names, rows: rows as unknown[][] };
  } finally {
    db.closeSync();
  }
}

/** JSON-safe scalar (BIGINT → number when safe, dates as ISO text), as queryRows does. */
const plain = (v: unknown) => normaliseRow({ v }).v;

function toStream(gen: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    async pull(controller) {
      const { value, done } = await gen.next();
      if (done) controller.close();
      else controller.enqueue(enc.encode(value));
    },
    async cancel() {
      await gen.return(undefined);
    },
  });
}

export async function csvStream(
  ctx: Ctx,
  t: TableInfo,
  where: Record<string, string> = {},
  local?: string[],
) {
  const { sql, params } = whereClause(t, where);
  const db = await openTable(ctx, t, local);
  const cols = t.columns.map((c) => c.name);
  return toStream(
    (async function* () {
      yield `${cols.map(csvCell).join(',')}\n`;
      // DuckDB formats every value as text, exactly as its CSV writer does for the download files.
      const select = cols.map((c) => `cast(${ident(c)} as varchar)`).join(', ');
      for await (const b of batches(db, `select ${select} from data${sql}`, params)) {
        let out = '';
        for (const r of b.rows) {
          for (let i = 0; i < r.length; i++) out += (i ? ',' : '') + csvCell(r[i]);
          out += '\n';
        }
        yield out;
      }
    })(),
  );
}

export async function geojsonStream(ctx: Ctx, t: TableInfo, where: Record<string, string> = {}) {
  const g = geometryOf(t);
  if (!g) throw new NotFound(`table ${t.name} has no geometry`);
  const { sql, params } = whereClause(t, where);
  const db = await openTable(ctx, t);
  return toStream(
    (async function* () {
      yield '{"type":"FeatureCollection","features":[';
      let first = true;
      const query = `select * from data${sql}${sql ? ' and' : ' where'} ${ident(g.lon)} is not null and ${ident(g.lat)} is not null`;
      for await (const b of batches(db, query, params)) {
        const parts = b.rows.map((values) => {
          const r = normaliseRow(Object.fromEntries(b.names.map((n, i) => [n, values[i]])));
          const { [g.lon]: lon, [g.lat]: lat, ...props } = r;
          return JSON.stringify({
            type: 'Feature',
            geometry: { type: 'Point', coordinates: [Number(lon), Number(lat)] },
            properties: props,
          });
        });
        if (parts.length === 0) continue;
        yield (first ? '' : ',') + parts.join(',');
        first = false;
      }
      yield ']}';
    })(),
  );
}

/**
 * The whole table as one CSV file, written once per (immutable) version into scratch by DuckDB's
 * CSV writer — the local stand-in for the pre-built download files CloudFront serves in AWS.
 */
export async function csvFile(ctx: Ctx, id: string, version: string, t: TableInfo) {
  const dir = join(ctx.config.scratchDir, 'downloads', id, version);
  const path = join(dir, `${t.name}.csv`);
  if (existsSync(path)) return path;
  await mkdir(dir, { recursive: true });
  const db = await openTable(ctx, t);
  try {
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    const cols = t.columns.map((c) => ident(c.name)).join(', ');
    await db.run(`create view out as select ${cols} from data`);
    await materialise(db, 'out', tmp, 'csv');
    await rename(tmp, path);
  } finally {
    db.closeSync();
  }
  return path;
}

/** One Parquet file for the table: the part itself, or the parts combined once into scratch. */
export async function parquetFile(ctx: Ctx, id: string, version: string, t: TableInfo) {
  if (t.files.length === 1) return ctx.storage.localPath(t.files[0]!);
  const dir = join(ctx.config.scratchDir, 'downloads', id, version);
  const path = join(dir, `${t.name}.parquet`);
  if (existsSync(path)) return path;
  await mkdir(dir, { recursive: true });
  const db = await openTable(ctx, t);
  try {
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await db.run('create table out as select * from data');
    await materialise(db, 'out', tmp, 'parquet');
    await rename(tmp, path);
  } finally {
    db.closeSync();
  }
  return path;
}
