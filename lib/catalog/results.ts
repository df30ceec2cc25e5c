// Computed results: results/<family>/<run_id>/… plus an index whose entries point at the latest
// run per key (e.g. year=2024). Every run carries a lineage record: input dataset versions,
// query file hashes, parameter editions and code version (ARCHITECTURE.md "Compute").
import { basename } from 'node:path';
import { getJson, PreconditionFailedError, putJson, type Storage } from '../storage';

export interface Lineage {
  family: string;
  run_id: string;
  key: string;
  params: Record<string, unknown>;
  inputs: { dataset_id: string; version: string; content_hash?: string }[];
  queries: { name: string; sha256: string; reference?: string }[];
  editions?: Record<string, string>;
  code_version: string;
  created_at: string;
  notes?: string[];
}

export interface ResultRun {
  run_id: string;
  key: string;
  created_at: string;
  files: string[];
  summary: Record<string, unknown>;
}

export interface ResultIndex {
  family: string;
  runs: ResultRun[];
  latest: Record<string, string>;
}

const indexKey = (family: string) => `results/${family}/index.json`;

export async function publishResult(
  storage: Storage,
  run: { family: string; key: string; files: string[]; summary: Record<string, unknown>; lineage: Lineage },
) {
  const prefix = `results/${run.family}/${run.lineage.run_id}/`;
  const keys: string[] = [];
  for (const f of run.files) {
    const k = prefix + basename(f);
    await storage.putFile(k, f);
    keys.push(k);
  }
  await putJson(storage, `${prefix}lineage.json`, run.lineage, { ifNoneMatch: '*' });
  await putJson(storage, `${prefix}summary.json`, run.summary, { ifNoneMatch: '*' });
  const entry: ResultRun = {
    run_id: run.lineage.run_id,
    key: run.key,
    created_at: run.lineage.created_at,
    files: keys,
    summary: run.summary,
  };
  for (let attempt = 0; attempt < 100; attempt++) {
    const cur = await getJson<ResultIndex>(storage, indexKey(run.family));
    const idx: ResultIndex = cur?.value ?? { family: run.family, runs: [], latest: {} };
    idx.runs = [...idx.runs.filter((r) => r.run_id !== entry.run_id), entry];
    idx.latest = { ...idx.latest, [run.key]: entry.run_id };
    try {
      await putJson(storage, indexKey(run.family), idx, cur ? { ifMatch: cur.etag } : { ifNoneMatch: '*' });
      return entry;
    } catch (e) {
      if (!(e instanceof PreconditionFailedError)) throw e;
    }
  }
  throw new Error(`could not update results index of ${run.family}`);
}

export async function getResultIndex(storage: Storage, family: string) {
  return (await getJson<ResultIndex>(storage, indexKey(family)))?.value ?? null;
}

export async function getLatestRun(storage: Storage, family: string, key?: string) {
  const idx = await getResultIndex(storage, family);
  if (!idx) return null;
  const id = key ? idx.latest[key] : idx.runs.at(-1)?.run_id;
  return idx.runs.find((r) => r.run_id === id) ?? null;
}

export async function listResultFamilies(storage: Storage) {
  const { prefixes } = await storage.list('results/', { delimiter: '/' });
  return prefixes.map((p) => p.slice('results/'.length, -1));
}
