// Staff BCA runs before and after publication. A run made in the staff area is kept under
// staff/bca/runs/<run_id>/ (its outputs, reports, scenario and a record of who ran it); only the
// "publish" action copies it into results/bca/, which is what every public route reads — so an
// unpublished run cannot leak through the generic result pages, data.json or downloads.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { type Lineage, publishResult } from '../catalog';
import { getResultIndex, type ResultRun } from '../catalog/results';
import type { Ctx } from '../context';
import type { Issue } from '../ingest/issues';
import { getJson, PreconditionFailedError, putJson } from '../storage';

const PREFIX = 'staff/bca/runs/';
/** Run ids come from scenario ids (letters, digits, _ . -) plus a timestamp and a hash. */
export const RUN_ID = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,199}$/;

export interface StaffBcaRun {
  run_id: string;
  scenario_id: string;
  title: string;
  created_at: string;
  user: string;
  role: string;
  /** The file the scenario came from: an upload's name, or "builder". */
  source: string;
  edition: string;
  base_year: number;
  discount_rate: number;
  npv_usd: number | null;
  bcr: number | null;
  /** File names stored beside the record (outputs, reports, the scenario). */
  files: string[];
  /** The input as run (scenario.yaml|json|xlsx or input-ledger.csv), for "start from a copy". */
  input_file: string;
  summary: Record<string, unknown>;
  lineage: Lineage;
  issues: Issue[];
  published: { at: string; user: string } | null;
}

const recordKey = (id: string) => `${PREFIX}${id}/run.json`;
export const fileKey = (id: string, name: string) => `${PREFIX}${id}/${name}`;

/** Store a finished run's local files and its record (not yet public). */
export async function saveRun(ctx: Ctx, rec: Omit<StaffBcaRun, 'files'>, localFiles: string[]) {
  const files: string[] = [];
  for (const f of localFiles) {
    await ctx.storage.putFile(fileKey(rec.run_id, basename(f)), f);
    files.push(basename(f));
  }
  const full: StaffBcaRun = { ...rec, files };
  await putJson(ctx.storage, recordKey(rec.run_id), full);
  return full;
}

export async function getRun(ctx: Ctx, id: string): Promise<StaffBcaRun | null> {
  if (!RUN_ID.test(id)) return null;
  return (await getJson<StaffBcaRun>(ctx.storage, recordKey(id)))?.value ?? null;
}

/** Every staff run, newest first. */
export async function listRuns(ctx: Ctx): Promise<StaffBcaRun[]> {
  const { prefixes } = await ctx.storage.list(PREFIX, { delimiter: '/' });
  const out: StaffBcaRun[] = [];
  for (const p of prefixes) {
    const r = await getRun(ctx, p.slice(PREFIX.length, -1));
    if (r) out.push(r);
  }
  return out.sort((a, b) => b.created_at.localeCompare(a.created_at) || b.run_id.localeCompare(a.run_id));
}

/** Published runs (results/bca), newest first: what the public sees. */
export async function publishedRuns(ctx: Ctx): Promise<ResultRun[]> {
  const idx = await getResultIndex(ctx.storage, 'bca');
  return [...(idx?.runs ?? [])].sort((a, b) => b.created_at.localeCompare(a.created_at));
}

export async function publishedRun(ctx: Ctx, id: string): Promise<ResultRun | null> {
  if (!RUN_ID.test(id)) return null;
  return (await getResultIndex(ctx.storage, 'bca'))?.runs.find((r) => r.run_id === id) ?? null;
}

/**
 * Make a staff run public: the same publishResult the CLI uses, with the same files (everything
 * but summary.json and lineage.json, which publishResult writes from the record), then mark the
 * record. Publishing twice is harmless: the second call finds the run already published.
 */
export async function publishRun(ctx: Ctx, id: string, user: string): Promise<StaffBcaRun | null> {
  const cur = await getJson<StaffBcaRun>(ctx.storage, recordKey(id));
  if (!cur) return null;
  const rec = cur.value;
  if (rec.published) return rec;
  await mkdir(ctx.config.scratchDir, { recursive: true });
  const dir = await mkdtemp(join(ctx.config.scratchDir, 'bca-publish-'));
  try {
    const local: string[] = [];
    for (const name of rec.files) {
      if (/^(summary|lineage)\.json$/.test(name) || name === rec.input_file) continue;
      const obj = await ctx.storage.get(fileKey(id, name));
      if (!obj) throw new Error(`stored file ${name} of run ${id} is missing`);
      const p = join(dir, name);
      await writeFile(p, new Uint8Array(obj.body));
      local.push(p);
    }
    if (!(await publishedRun(ctx, id)))
      await publishResult(ctx.storage, {
        family: 'bca',
        key: rec.scenario_id,
        files: local,
        summary: rec.summary,
        lineage: rec.lineage,
      }).catch((e) => {
        // Another request is publishing the same run (lineage.json is create-only): it finishes it.
        if (!(e instanceof PreconditionFailedError)) throw e;
      });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const next: StaffBcaRun = { ...rec, published: { at: ctx.clock().toISOString(), user } };
  try {
    await putJson(ctx.storage, recordKey(id), next, { ifMatch: cur.etag });
  } catch (e) {
    // Someone published it at the same moment: theirs stands.
    if (!(e instanceof PreconditionFailedError)) throw e;
    return (await getRun(ctx, id)) ?? next;
  }
  return next;
}
