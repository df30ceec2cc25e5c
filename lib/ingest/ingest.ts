// The ingest pipeline (ARCHITECTURE.md "Data flow" 1): expand → hash (identical bytes: no new
// version) → keep raw → dataset-specific read and checks → accept or reject as a whole → Parquet →
// version record → manifest last. A rejected ingest writes only under raw/ (the files and the
// report), so nothing already published changes.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { findByContentHash, keys, newVersionId, publishVersion } from '../catalog/catalog';
import type { DatasetMeta, TableInfo, VersionRecord } from '../catalog/types';
import type { Ctx } from '../context';
import { datasetTypes, getDatasetType, datasetId as idOf } from '../datasets/registry';
import type { DatasetType } from '../datasets/types';
import { ident, queryRows } from '../engine/duckdb';
import { codeVersion } from '../version';
import { type Issue, IssueCollector } from './issues';
import { IngestJob } from './job';
import { Quarantine } from './quarantine';
import { expandSources, type SourceFile } from './sources';

export interface IngestOptions {
  dataset?: string;
  name?: string;
  flags?: Record<string, string | boolean>;
  /** Largest share of unusable rows that still publishes (the rest quarantined). Default 1%. */
  maxBadRowFraction?: number;
  /** Test seam: runs after the data and version record are written, before the manifest. */
  beforeManifest?: () => Promise<void>;
}

export interface IngestOutcome {
  status: 'published' | 'unchanged' | 'rejected';
  datasetId: string;
  version?: string;
  issues: Issue[];
  /** Storage key of the full JSON report. */
  reportKey?: string;
  rowsRead: number;
  rowsPublished: number;
  rowsQuarantined: number;
}

export async function ingest(ctx: Ctx, paths: string[], opts: IngestOptions = {}): Promise<IngestOutcome> {
  await mkdir(ctx.config.scratchDir, { recursive: true });
  const scratch = await mkdtemp(join(ctx.config.scratchDir, 'ingest-'));
  try {
    return await run(ctx, paths, opts, scratch);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function run(ctx: Ctx, paths: string[], opts: IngestOptions, scratch: string): Promise<IngestOutcome> {
  const pre = new IssueCollector(opts.dataset);
  const files = await expandSources(paths, scratch, pre);
  const type = opts.dataset ? await getDatasetType(opts.dataset) : await detect(files, pre);
  if (!type || pre.hasErrors) {
    return {
      status: 'rejected',
      datasetId: opts.dataset ?? 'unknown',
      issues: pre.issues,
      rowsRead: 0,
      rowsPublished: 0,
      rowsQuarantined: 0,
    };
  }
  const id = idOf(type, opts.name);
  const issues = new IssueCollector(id);
  issues.issues.push(...pre.issues);
  const hash = await contentHash(files);
  const existing = await findByContentHash(ctx.storage, id, hash.sha256);
  if (existing) {
    issues.info({
      code: 'unchanged',
      message: `identical to version ${existing.version}; nothing new to publish`,
    });
    return {
      status: 'unchanged',
      datasetId: id,
      version: existing.version,
      issues: issues.issues,
      rowsRead: 0,
      rowsPublished: existing.rows,
      rowsQuarantined: 0,
    };
  }
  const version = newVersionId(ctx.clock());
  const rawKeys = await keepRaw(ctx, id, version, paths);
  ctx.progress.update(`${id}: reading`, 0, files.length, 'files');
  const db = await ctx.db();
  const quarantine = new Quarantine();
  const job = new IngestJob(ctx, db, type, id, files, opts.flags ?? {}, issues, quarantine, scratch);
  try {
    await type.ingest(job);
  } catch (e) {
    issues.error({
      code: 'ingest_failed',
      message: `could not ingest: ${(e as Error).message}`,
      fix: 'check the files are the dataset named; report a bug if they are',
    });
  }
  if (!issues.hasErrors && job.outputs.length === 0) {
    issues.error({
      code: 'no_data',
      message: 'no usable table was found in the input',
      fix: `check the files are a ${type.title} export`,
    });
  }
  const badRows = quarantine.distinctRows;
  const limit = opts.maxBadRowFraction ?? 0.01;
  const fileLevelErrors = issues.issues.filter((i) => i.severity === 'error' && !isRowIssue(i, quarantine));
  if (job.rowsRead > 0 && badRows / job.rowsRead > limit) {
    issues.error({
      code: 'too_many_bad_rows',
      message: `${badRows} of ${job.rowsRead} rows (${((100 * badRows) / job.rowsRead).toFixed(1)}%) could not be used, more than the ${(100 * limit).toFixed(1)}% allowed`,
      fix: 'fix the rows listed in the report (or pass --max-bad-rows to accept them into quarantine)',
    });
  }
  const rejected = fileLevelErrors.length > 0 || issues.issues.some((i) => i.code === 'too_many_bad_rows');
  const reportPrefix = rejected ? `raw/${id}/${version}/_` : `catalog/${id}/versions/${version}.`;
  const reportKey = `${reportPrefix}report.json`;
  const quarantineKey = quarantine.size ? `${reportPrefix}quarantine.csv` : undefined;
  const report = {
    dataset_id: id,
    version,
    status: rejected ? 'rejected' : 'published',
    rows_read: job.rowsRead,
    rows_quarantined: badRows,
    issues: issues.issues,
  };
  await ctx.storage.put(reportKey, JSON.stringify(report, null, 2), { contentType: 'application/json' });
  if (quarantineKey) await ctx.storage.put(quarantineKey, quarantine.toCsv(), { contentType: 'text/csv' });
  if (rejected) {
    return {
      status: 'rejected',
      datasetId: id,
      version,
      issues: issues.issues,
      reportKey,
      rowsRead: job.rowsRead,
      rowsPublished: 0,
      rowsQuarantined: badRows,
    };
  }

  const tables: TableInfo[] = [];
  let published = 0;
  for (const out of job.outputs) {
    ctx.progress.update(`${id}: writing ${out.name}`, tables.length, job.outputs.length, 'tables');
    tables.push(await writeTable(ctx, db, id, version, out, scratch));
    if (!out.derived) published += tables.at(-1)!.rows;
  }
  const record: VersionRecord = {
    dataset_id: id,
    version,
    created_at: ctx.clock().toISOString(),
    content_hash: hash.sha256,
    raw_keys: rawKeys,
    tables,
    issues: {
      errors: issues.count('error'),
      warnings: issues.count('warning'),
      infos: issues.count('info'),
      quarantined_rows: badRows,
      report_key: reportKey,
      quarantine_key: quarantineKey,
    },
    params: { ...(opts.flags ?? {}), ...(opts.name ? { name: opts.name } : {}) },
    lineage: {
      code_version: codeVersion(),
      ingested_by: process.env.USER ?? 'corridor',
      sources: hash.files,
    },
  };
  await opts.beforeManifest?.();
  await publishVersion(ctx.storage, metaOf(type, id, opts.name), record, ctx.clock());
  ctx.progress.done(`${id}: published version ${version}`);
  return {
    status: 'published',
    datasetId: id,
    version,
    issues: issues.issues,
    reportKey,
    rowsRead: job.rowsRead,
    rowsPublished: published,
    rowsQuarantined: badRows,
  };
}

function isRowIssue(i: Issue, q: Quarantine) {
  return q.rows.some((r) => r.file === i.file && r.code === i.code) || i.code === 'more_rejected_rows';
}

export function metaOf(type: DatasetType, id: string, name?: string): DatasetMeta {
  return {
    id,
    type: type.type,
    title: name ? `${type.title} — ${name}` : type.title,
    description: type.description,
    source: type.source,
    license: type.license,
    keywords: type.keywords ?? [],
    publisher: 'Corridor',
  };
}

async function detect(files: SourceFile[], issues: IssueCollector): Promise<DatasetType | null> {
  for (const load of Object.values(datasetTypes)) {
    const t = await load();
    if (t.detect?.(files)) return t;
  }
  issues.error({
    code: 'unknown_dataset',
    message: `could not tell which dataset these files are (${files
      .slice(0, 5)
      .map((f) => f.name)
      .join(', ')})`,
    fix: `name it with --dataset (one of: ${Object.keys(datasetTypes).join(', ')})`,
  });
  return null;
}

async function contentHash(files: SourceFile[]) {
  const total = createHash('sha256');
  const out: { file: string; bytes: number; sha256: string }[] = [];
  for (const f of [...files].sort((a, b) => a.name.localeCompare(b.name))) {
    const h = createHash('sha256');
    for await (const chunk of createReadStream(f.localPath)) h.update(chunk as Buffer);
    const sha256 = h.digest('hex');
    out.push({ file: f.name, bytes: f.bytes, sha256 });
    total.update(`${f.name}\0${sha256}\n`);
  }
  return { sha256: total.digest('hex'), files: out };
}

/** The user's files exactly as given (ZIPs stay zipped): raw/<dataset>/<ingest>/<name>. */
async function keepRaw(ctx: Ctx, id: string, ingestId: string, paths: string[]) {
  const out: string[] = [];
  for (const p of paths) {
    const s = await stat(p).catch(() => null);
    if (!s) continue;
    const list = s.isDirectory() ? await listFiles(p) : [p];
    for (const f of list) {
      const rel = s.isDirectory() ? `${basename(p)}/${relative(p, f)}` : basename(f);
      const key = keys.raw(id, ingestId, rel.split(/[\\/]/).map(safeSegment).join('/'));
      await ctx.storage.putFile(key, f);
      out.push(key);
    }
  }
  return out;
}

function safeSegment(s: string) {
  const clean = s.replace(/[^A-Za-z0-9._ -]/g, '_').trim();
  return clean === '' || clean === '.' || clean === '..' ? '_' : clean;
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const ent of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, ent.name);
    if (ent.isDirectory()) out.push(...(await listFiles(p)));
    else if (ent.isFile()) out.push(p);
  }
  return out.sort();
}

async function writeTable(
  ctx: Ctx,
  db: import('../engine/duckdb').Db,
  id: string,
  version: string,
  out: import('./job').OutputTable,
  scratch: string,
): Promise<TableInfo> {
  const dir = join(scratch, 'parquet', out.name);
  const cols = await queryRows<{ column_name: string; column_type: string }>(
    db,
    `describe select * exclude (__row) from ${ident(out.table)}`,
  ).catch(() =>
    queryRows<{ column_name: string; column_type: string }>(db, `describe select * from ${ident(out.table)}`),
  );
  const hasRow =
    (
      await queryRows(db, `select 1 from duckdb_columns() where table_name = $t and column_name = '__row'`, {
        t: out.table,
      })
    ).length > 0;
  const select = `select ${hasRow ? '* exclude (__row)' : '*'} from ${ident(out.table)}${out.orderBy?.length ? ` order by ${out.orderBy.map(ident).join(', ')}` : ''}`;
  const rows = Number(
    (await queryRows<{ n: number }>(db, `select count(*)::bigint n from ${ident(out.table)}`))[0]!.n,
  );
  if (out.partitionBy?.length) {
    await db.run(
      `copy (${select}) to $dir (format parquet, compression zstd, partition_by (${out.partitionBy.map(ident).join(', ')}), filename_pattern 'part-{i}')`,
      { dir } as never,
    );
  } else {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(dir, { recursive: true });
    await db.run(`copy (${select}) to $path (format parquet, compression zstd)`, {
      path: join(dir, 'part-0.parquet'),
    } as never);
  }
  const files: string[] = [];
  for (const f of await listFiles(dir)) {
    const key = `${keys.curated(id, version)}${out.name}/${relative(dir, f).split(/[\\/]/).join('/')}`;
    await ctx.storage.putFile(key, f);
    files.push(key);
  }
  return {
    name: out.name,
    rows,
    columns: cols.map((c) => ({ name: c.column_name, type: c.column_type })),
    files,
    partitioning: out.partitionBy ?? [],
    geometry: out.geometry,
  };
}
