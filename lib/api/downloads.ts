// Stable download URLs: /download/<dataset>/<version>/<table>.<csv|parquet|geojson> names an
// immutable version, so the ETag is derived from the version's content hash and responses are
// cacheable forever; /download/<dataset>/latest/… redirects to the current version.
// Hono's etag middleware buffers bodies, so ETags are set here by hand (ARCHITECTURE.md traps).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { Context } from 'hono';
import { getResultIndex } from '../catalog/results';
import type { Ctx } from '../context';
import { BadRequest, csvFile, geojsonStream, NotFound, parquetFile, resolveTable } from './table-data';

const TYPES = {
  csv: 'text/csv; charset=utf-8',
  parquet: 'application/vnd.apache.parquet',
  geojson: 'application/geo+json',
} as const;

function notModified(c: Context, etag: string) {
  const inm = c.req.header('if-none-match');
  return Boolean(inm?.split(',').some((t) => t.trim().replace(/^W\//, '') === etag));
}

export async function datasetDownload(c: Context, ctx: Ctx, id: string, version: string, file: string) {
  const m = /^([a-z][a-z0-9_]*)\.(csv|parquet|geojson)$/.exec(file);
  if (!m) throw new BadRequest('file must be <table>.csv, <table>.parquet or <table>.geojson');
  const [, table, fmt] = m as unknown as [string, string, keyof typeof TYPES];
  const r = await resolveTable(ctx, id, version, table);
  if (version === 'latest') return c.redirect(`/download/${id}/${r.version.version}/${file}`, 302);
  const etag = `"${r.version.content_hash.slice(0, 24)}-${table}-${fmt}"`;
  const headers: Record<string, string> = {
    etag,
    'cache-control': 'public, max-age=31536000, immutable',
    'content-type': TYPES[fmt],
    'content-disposition': `attachment; filename="${id}-${r.version.version}-${file}"`,
  };
  if (notModified(c, etag)) return c.body(null, 304, { etag, 'cache-control': headers['cache-control']! });
  if (c.req.method === 'HEAD') return c.body(null, 200, headers);
  if (fmt === 'parquet') {
    const path = await parquetFile(ctx, id, r.version.version, r.table);
    headers['content-length'] = String((await stat(path)).size);
    return c.body(Readable.toWeb(createReadStream(path)) as ReadableStream, 200, headers);
  }
  if (fmt === 'csv') {
    const path = await csvFile(ctx, id, r.version.version, r.table);
    headers['content-length'] = String((await stat(path)).size);
    return c.body(Readable.toWeb(createReadStream(path)) as ReadableStream, 200, headers);
  }
  return c.body(await geojsonStream(ctx, r.table), 200, headers);
}

export async function resultDownload(c: Context, ctx: Ctx, family: string, runId: string, file: string) {
  if (
    !/^[a-z][a-z0-9_]*$/.test(family) ||
    !/^[0-9A-Za-z_-]{1,64}$/.test(runId) ||
    !/^[A-Za-z0-9_.-]{1,100}$/.test(file) ||
    file.startsWith('.')
  )
    throw new BadRequest('invalid result path');
  const idx = await getResultIndex(ctx.storage, family);
  const run = idx?.runs.find((r) => r.run_id === runId);
  const key = `results/${family}/${runId}/${file}`;
  if (!run || !(run.files.includes(key) || file === 'lineage.json' || file === 'summary.json'))
    throw new NotFound(`no result file ${file} in ${family} run ${runId}`);
  const info = await ctx.storage.head(key);
  if (!info) throw new NotFound(`no result file ${file}`);
  const etag = `"${info.etag.replaceAll('"', '')}"`;
  const headers = {
    etag,
    'cache-control': 'public, max-age=31536000, immutable',
    'content-type': file.endsWith('.csv')
      ? 'text/csv; charset=utf-8'
      : file.endsWith('.json')
        ? 'application/json'
        : 'application/octet-stream',
  };
  if (notModified(c, etag)) return c.body(null, 304, { etag });
  const stream = await ctx.storage.getStream(key);
  if (!stream) throw new NotFound(`no result file ${file}`);
  return c.body(Readable.toWeb(stream) as ReadableStream, 200, headers);
}
