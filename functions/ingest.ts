// Lambda entry for the ingest: an S3 "Object Created" event (via EventBridge) for a staff upload at
// uploads/<dataset>/<file>, where <dataset> is a dataset type (acs_b08301) or type.name for named
// datasets (gtfs.septa). The cloud trigger watches uploads/, not raw/: the ingest archives the file
// under raw/<dataset>/<ingest_id>/ itself and writes rejection reports there, so a raw/ trigger
// would re-ingest its own copies (cdk/stacks/pipeline-stack.ts).
import { copyFile, link, mkdtemp, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { writeUploadStatus } from '../lib/api/upload-jobs';
import { type Ctx, createContext } from '../lib/context';
import { datasetTypes } from '../lib/datasets/registry';
import { ingest } from '../lib/ingest/ingest';

const ObjectCreated = z.object({
  'detail-type': z.literal('Object Created'),
  detail: z.object({
    bucket: z.object({ name: z.string() }),
    object: z.object({ key: z.string().min(1), size: z.number().optional(), etag: z.string().optional() }),
  }),
});

let ctxPromise: Promise<Ctx> | undefined;
const context = () => (ctxPromise ??= createContext());

/** The dataset an upload key names, or why the key is not an upload to ingest. */
export function uploadTarget(key: string): { dataset: string; name?: string } | { skip: string } {
  const parts = key.split('/');
  if (parts[0] !== 'uploads') return { skip: 'not under uploads/' };
  if (parts.length !== 3 || !parts[2]) return { skip: 'not an uploads/<dataset>/<file> key' };
  // Reports the ingest writes beside files (_report.json, _quarantine.csv) are never inputs.
  if (parts[2].startsWith('_')) return { skip: 'a report, not an upload' };
  const [dataset = '', name] = parts[1]!.split('.', 2);
  if (!datasetTypes[dataset]) return { skip: `unknown dataset type ${JSON.stringify(dataset)}` };
  return name ? { dataset, name } : { dataset };
}

/** S3 notifications URL-encode keys ("a b.csv" arrives as "a+b.csv"): use whichever form exists. */
async function objectKey(ctx: Ctx, key: string) {
  let decoded = key;
  try {
    decoded = decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    // a literal '%' that is not an escape: the key is not encoded
  }
  return decoded !== key && (await ctx.storage.head(decoded)) ? decoded : key;
}

export async function handler(event: unknown) {
  const { detail } = ObjectCreated.parse(event);
  const ctx = await context();
  const key = await objectKey(ctx, detail.object.key);
  const target = uploadTarget(key);
  // Staff follow an upload through its status record (lib/api/upload-jobs.ts), keyed by the
  // object's ETag so a re-upload under the same name is told apart.
  const head = key.startsWith('uploads/') ? await ctx.storage.head(key) : null;
  const record = (got: Parameters<typeof writeUploadStatus>[3]) =>
    head ? writeUploadStatus(ctx, key, head.etag, got) : undefined;
  if ('skip' in target) {
    // Reports beside uploads are not staff uploads: no record for them.
    if (!target.skip.startsWith('a report')) await record({ skipped: target.skip });
    return { status: 'skipped', key, reason: target.skip };
  }

  // The ingest archives the file under its own name: give it the upload's name, not the cache's.
  const dir = await mkdtemp(join(ctx.config.scratchDir, 'upload-'));
  const file = join(dir, basename(key));
  let local: string | undefined;
  try {
    const src = await ctx.storage.localPath(key);
    local = src;
    // A hard link costs nothing on Lambda (cache and scratch share /tmp); copy across devices.
    await link(src, file).catch(() => copyFile(src, file));
    const outcome = await ingest(ctx, [file], { dataset: target.dataset, name: target.name }).catch(
      async (e: unknown) => {
        // Recorded for staff, then thrown: EventBridge retries, and a later success overwrites it.
        await record({
          error: e instanceof Error ? e.message.split('\n')[0]!.slice(0, 500) : 'ingest failed',
        });
        throw e;
      },
    );
    await record({ outcome });
    const count = (s: string) => outcome.issues.filter((i) => i.severity === s).length;
    return {
      status: outcome.status,
      key,
      datasetId: outcome.datasetId,
      version: outcome.version ?? null,
      errors: count('error'),
      warnings: count('warning'),
      rowsPublished: outcome.rowsPublished,
      reportKey: outcome.reportKey ?? null,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
    // The S3 adapter's download cache lives in /tmp across warm invocations; an upload is read
    // once. (The folder adapter's local path is the stored object itself: keep it.)
    if (ctx.storage.kind === 's3' && local) await rm(local, { force: true });
  }
}
