// Staff uploads run as in-process jobs so the page can show live progress: the ingest gets a
// Ctx whose progress reporter writes into the job, and the browser polls the job's state. On
// Lambda they are queued for the pipeline's ingest function instead (below).
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { audit } from '../audit/audit-log';
import type { Principal } from '../auth/principal';
import type { Ctx } from '../context';
import { type IngestOutcome, ingest } from '../ingest/ingest';
import { assertValidKey, getJson, putJson } from '../storage';

export interface UploadJob {
  id: string;
  user: string;
  file: string;
  dataset: string;
  status: 'running' | 'published' | 'unchanged' | 'rejected' | 'failed';
  stage: string;
  done: number;
  total: number | null;
  started_at: string;
  finished_at: string | null;
  outcome: IngestOutcome | null;
  error: string | null;
}

const jobs = new Map<string, UploadJob>();
const KEEP_MS = 3600_000;

export function getJob(id: string) {
  return jobs.get(id) ?? null;
}

export async function startUpload(
  ctx: Ctx,
  who: Principal,
  file: { name: string; bytes: Uint8Array },
  opts: { dataset: string; name?: string },
): Promise<UploadJob> {
  await mkdir(ctx.config.scratchDir, { recursive: true });
  const dir = await mkdtemp(join(ctx.config.scratchDir, 'upload-'));
  const path = join(dir, file.name);
  await writeFile(path, file.bytes);
  return startUploadFromFile(ctx, who, { name: file.name, path, bytes: file.bytes.length }, opts, () =>
    rm(dir, { recursive: true, force: true }),
  );
}

/**
 * The same job for a file already on disk (a direct upload's object, lib/api/staff-direct-upload.ts):
 * the ingest reads `path`, whose base name must be the uploaded file's name; `cleanup` runs once
 * the job has finished, whatever its outcome.
 */
export async function startUploadFromFile(
  ctx: Ctx,
  who: Principal,
  file: { name: string; path: string; bytes: number },
  opts: { dataset: string; name?: string },
  cleanup: () => Promise<unknown>,
): Promise<UploadJob> {
  const { path } = file;
  const now = Date.now();
  for (const [k, j] of jobs) if (j.finished_at && now - Date.parse(j.finished_at) > KEEP_MS) jobs.delete(k);
  const job: UploadJob = {
    id: randomBytes(9).toString('base64url'),
    user: who.user,
    file: file.name,
    dataset: opts.dataset,
    status: 'running',
    stage: 'received',
    done: 0,
    total: null,
    started_at: new Date(now).toISOString(),
    finished_at: null,
    outcome: null,
    error: null,
  };
  jobs.set(job.id, job);
  const jobCtx: Ctx = {
    ...ctx,
    progress: {
      update(label, done, total) {
        job.stage = label;
        job.done = done;
        job.total = total ?? null;
      },
      done(label) {
        if (label) job.stage = label;
      },
    },
  };
  job.stage = 'validating';
  // Runs in the background; the caller answers 202 at once and the browser polls.
  void (async () => {
    try {
      const out = await ingest(jobCtx, [path], { dataset: opts.dataset, name: opts.name });
      job.outcome = out;
      await audit(ctx.storage, {
        user: who.user,
        role: who.role,
        action: 'upload',
        target: out.datasetId,
        outcome: out.status === 'rejected' ? 'refused' : 'ok',
        versions: out.version ? [`${out.datasetId}@${out.version}`] : [],
        detail: {
          file: file.name,
          bytes: file.bytes,
          status: out.status,
          rows: out.rowsPublished,
          errors: out.issues.filter((i) => i.severity === 'error').length,
        },
      });
      job.stage = out.status;
      job.status = out.status;
    } catch (e) {
      job.error = e instanceof Error ? e.message.split('\n')[0]!.slice(0, 500) : 'ingest failed';
      ctx.log.error(`upload ${job.id}: ${e instanceof Error ? e.stack : String(e)}`);
      await audit(ctx.storage, {
        user: who.user,
        role: who.role,
        action: 'upload',
        target: opts.dataset,
        outcome: 'failed',
        detail: { file: file.name, error: job.error },
      }).catch(() => {});
      job.status = 'failed';
    } finally {
      job.finished_at = new Date().toISOString();
      await cleanup().catch((e: unknown) => ctx.log.warn(`upload ${job.id}: cleanup failed: ${String(e)}`));
    }
  })();
  return job;
}

/** Resolves when the job has finished (for the no-script form post and for tests). */
export async function waitFor(job: UploadJob, timeoutMs = 300_000) {
  const end = Date.now() + timeoutMs;
  while (job.status === 'running' && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  return job;
}

// --- on Lambda ------------------------------------------------------------------------------------
// The API may only write uploads/ (cdk/constructs/bucket-grants.ts) and must answer within 29 s, so
// it stores the file where the pipeline's ingest function is triggered and returns at once. That
// function records each upload's outcome at uploadStatusKey(key), which the status route reads.

/** The trigger key the ingest function parses back (functions/ingest.ts uploadTarget). */
export function uploadKey(file: string, opts: { dataset: string; name?: string }) {
  return `uploads/${opts.name ? `${opts.dataset}.${opts.name}` : opts.dataset}/${file}`;
}

export const uploadStatusKey = (key: string) => `uploads-status/${key}.json`;

/** What the ingest function records about one upload (the object with this key and ETag). */
export interface UploadStatus {
  key: string;
  etag: string;
  status: IngestOutcome['status'] | 'failed' | 'skipped';
  dataset_id: string | null;
  version: string | null;
  errors: number;
  warnings: number;
  rows_read: number;
  rows_published: number;
  rows_quarantined: number;
  /** The full report (raw/… for rejections, catalog/… for versions). */
  report_key: string | null;
  /** The first issues, so staff see what to fix without access to raw/. */
  issues: IngestOutcome['issues'];
  error: string | null;
  finished_at: string;
}

export interface QueuedUpload {
  id: string;
  key: string;
  file: string;
  dataset: string;
  /** 'running' until the ingest has recorded this object (the staff page polls while running). */
  status: 'running' | UploadStatus['status'];
  stage: string;
  status_url: string;
  /** The ingest's record once it ran; null while queued. */
  result: UploadStatus | null;
}

// S3 quotes ETags in some answers and not in others (event payloads).
const bare = (etag: string) => etag.replace(/^"|"$/g, '');
// The id names one object version: a re-upload under the same name gets a new id.
const encodeId = (key: string, etag: string) =>
  Buffer.from(JSON.stringify([key, bare(etag)])).toString('base64url');

function decodeId(id: string): { key: string; etag: string } | null {
  try {
    const v = JSON.parse(Buffer.from(id, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => typeof x === 'string')) return null;
    const [key, etag] = v as [string, string];
    assertValidKey(key);
    return key.startsWith('uploads/') ? { key, etag } : null;
  } catch {
    return null;
  }
}

const queued = (key: string, etag: string, result: UploadStatus | null): QueuedUpload => {
  const id = encodeId(key, etag);
  const [, dataset = '', file = ''] = key.split('/');
  const current = result && bare(result.etag) === bare(etag) ? result : null;
  return {
    id,
    key,
    file,
    dataset,
    status: current?.status ?? 'running',
    stage: current?.status ?? 'queued for the ingest',
    status_url: `/api/v1/staff/uploads/${id}`,
    result: current,
  };
};

export async function queueUpload(
  ctx: Ctx,
  who: Principal,
  file: { name: string; bytes: Uint8Array },
  opts: { dataset: string; name?: string },
): Promise<QueuedUpload> {
  const key = uploadKey(file.name, opts);
  const { etag } = await ctx.storage.put(key, file.bytes);
  return queuedStored(ctx, who, { key, etag, name: file.name, bytes: file.bytes.length }, opts);
}

/**
 * An object already at its trigger key (a direct upload the browser PUT there): audit it as the
 * API's own upload is audited and answer with the status the pipeline's ingest will record.
 */
export async function queuedStored(
  ctx: Ctx,
  who: Principal,
  obj: { key: string; etag: string; name: string; bytes: number },
  opts: { dataset: string; name?: string },
): Promise<QueuedUpload> {
  await audit(ctx.storage, {
    user: who.user,
    role: who.role,
    action: 'upload',
    target: opts.name ? `${opts.dataset}.${opts.name}` : opts.dataset,
    outcome: 'ok',
    detail: { file: obj.name, bytes: obj.bytes, queued: obj.key },
  });
  return queued(obj.key, obj.etag, null);
}

/** The upload an id names and what the ingest made of it; null for an id that names none. */
export async function uploadStatus(ctx: Ctx, id: string): Promise<QueuedUpload | null> {
  const ref = decodeId(id);
  if (!ref) return null;
  const got = await getJson<UploadStatus>(ctx.storage, uploadStatusKey(ref.key));
  return queued(ref.key, ref.etag, got?.value ?? null);
}

/** Written by the ingest function after each upload it was triggered by. */
export async function writeUploadStatus(
  ctx: Ctx,
  key: string,
  etag: string,
  got: { outcome: IngestOutcome } | { skipped: string } | { error: string },
) {
  const o = 'outcome' in got ? got.outcome : null;
  const count = (s: string) => o?.issues.filter((i) => i.severity === s).length ?? 0;
  const status: UploadStatus = {
    key,
    etag: bare(etag),
    status: o?.status ?? ('skipped' in got ? 'skipped' : 'failed'),
    dataset_id: o?.datasetId ?? null,
    version: o?.version ?? null,
    errors: count('error'),
    warnings: count('warning'),
    rows_read: o?.rowsRead ?? 0,
    rows_published: o?.rowsPublished ?? 0,
    rows_quarantined: o?.rowsQuarantined ?? 0,
    report_key: o?.reportKey ?? null,
    issues: o?.issues.slice(0, 50) ?? [],
    error: 'skipped' in got ? got.skipped : 'error' in got ? got.error : null,
    finished_at: ctx.clock().toISOString(),
  };
  await putJson(ctx.storage, uploadStatusKey(key), status);
  return status;
}

/** A queued upload in the in-process job's shape, so the staff page and its report render it alike. */
export function queuedAsJob(q: QueuedUpload, user: string): UploadJob {
  const r = q.result;
  const outcome: IngestOutcome | null =
    r?.dataset_id && r.status !== 'failed' && r.status !== 'skipped'
      ? {
          status: r.status,
          datasetId: r.dataset_id,
          version: r.version ?? undefined,
          issues: r.issues,
          reportKey: r.report_key ?? undefined,
          rowsRead: r.rows_read,
          rowsPublished: r.rows_published,
          rowsQuarantined: r.rows_quarantined,
        }
      : null;
  return {
    id: q.id,
    user,
    file: q.file,
    dataset: q.dataset,
    // The job vocabulary has no 'skipped': to staff, an upload the ingest skipped has failed.
    status: q.status === 'skipped' ? 'failed' : q.status,
    stage: q.stage,
    done: 0,
    total: null,
    started_at: '',
    finished_at: r?.finished_at ?? null,
    outcome,
    error: r?.error ?? null,
  };
}

/** The audit entry of a refused upload, the same for the multipart and the direct path. */
export function auditRefusedUpload(
  ctx: Ctx,
  who: Principal,
  ip: string | undefined,
  reason: string,
  detail: Record<string, unknown> = {},
) {
  return audit(ctx.storage, {
    user: who.user,
    role: who.role,
    action: 'upload',
    outcome: 'refused',
    detail: { reason, ...detail },
    ip,
  });
}
