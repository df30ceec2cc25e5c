// Staff uploads run as in-process jobs so the page can show live progress: the ingest gets a
// Ctx whose progress reporter writes into the job, and the browser polls the job's state.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { audit } from '../audit/audit-log';
import type { Principal } from '../auth/principal';
import type { Ctx } from '../context';
import { type IngestOutcome, ingest } from '../ingest/ingest';

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
  await mkdir(ctx.config.scratchDir, { recursive: true });
  const dir = await mkdtemp(join(ctx.config.scratchDir, 'upload-'));
  const path = join(dir, file.name);
  await writeFile(path, file.bytes);
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
          bytes: file.bytes.length,
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
      await rm(dir, { recursive: true, force: true });
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
