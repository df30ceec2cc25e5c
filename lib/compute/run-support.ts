// What every family's run does around its queries: find the current version of each input
// dataset, register its Parquet as a view, and at the end write the outputs and publish them
// with a lineage record.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getVersion, newVersionId } from '../catalog/catalog';
import { type Lineage, publishResult } from '../catalog/results';
import type { Ctx } from '../context';
import type { Db } from '../engine/duckdb';
import type { QueryFile } from '../engine/query-file';
import { materialise, registerInput } from '../engine/runner';
import { codeVersion } from '../version';

export interface InputRef {
  dataset_id: string;
  version: string;
  content_hash?: string;
}

/** Registers table `table` of the dataset's current version as a view named `as`. */
export async function useDataset(
  ctx: Ctx,
  db: Db,
  datasetId: string,
  table: string,
  as = table,
): Promise<InputRef> {
  const v = await getVersion(ctx.storage, datasetId);
  if (!v)
    throw new Error(
      `dataset ${datasetId} has no published version yet: ingest it first (corridor ingest … --dataset ${datasetId.split('.')[0]})`,
    );
  const t = v.tables.find((x) => x.name === table);
  if (!t) throw new Error(`dataset ${datasetId} version ${v.version} has no table ${table}`);
  const files = await Promise.all(t.files.map((k) => ctx.storage.localPath(k)));
  await registerInput(db, as, { kind: 'parquet', files });
  return { dataset_id: datasetId, version: v.version, content_hash: v.content_hash };
}

export async function publishRun(
  ctx: Ctx,
  db: Db,
  run: {
    family: string;
    key: string;
    out: string;
    outputs: { table: string; format: 'csv' | 'parquet' | 'json'; orderBy?: string[]; file?: string }[];
    summary: Record<string, unknown>;
    ran: QueryFile[];
    params: Record<string, unknown>;
    inputs: InputRef[];
    editions?: Record<string, string>;
    notes?: string[];
  },
) {
  await mkdir(run.out, { recursive: true });
  const runId = newVersionId(ctx.clock());
  const files: string[] = [];
  for (const o of run.outputs) {
    const path = join(run.out, o.file ?? `${o.table}.${o.format}`);
    await materialise(db, o.table, path, o.format, o.orderBy);
    files.push(path);
  }
  const summaryPath = join(run.out, `${run.family}_summary.json`);
  const lineage: Lineage = {
    family: run.family,
    run_id: runId,
    key: run.key,
    params: run.params,
    inputs: run.inputs,
    queries: run.ran.map((q) => ({ name: q.name, sha256: q.sha256, reference: q.reference })),
    editions: run.editions,
    code_version: codeVersion(),
    created_at: ctx.clock().toISOString(),
    notes: run.notes,
  };
  await writeFile(summaryPath, `${JSON.stringify(run.summary, null, 2)}\n`);
  await writeFile(join(run.out, 'lineage.json'), `${JSON.stringify(lineage, null, 2)}\n`);
  files.push(summaryPath);
  await publishResult(ctx.storage, {
    family: run.family,
    key: run.key,
    files,
    summary: run.summary,
    lineage,
  });
  return { files, runId, lineage };
}
