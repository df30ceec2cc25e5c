// Staff uploads that bypass the API's request body: API Gateway and Lambda cap a request near
// 6 MB (≈4.5 MB of file after base64), and NPMRDS or GTFS exports run to hundreds of MB. The
// browser asks for a presigned PUT, sends the file straight to storage, then asks to complete:
//   POST /api/v1/staff/uploads/direct                      {dataset, name?, fileName, bytes, contentType?}
//   PUT  <url>                                             the file (S3, or the local server's route)
//   POST /api/v1/staff/uploads/direct/<uploadId>/complete  → the job to follow at status_url
// Locally the object goes to incoming/<nonce>/<file> and completing runs the same in-process job
// as a multipart upload. On Lambda the URL is for the ingest's trigger key itself
// (uploads/<dataset>/<file>): the API role may write only there (cdk/stacks/api-stack.ts), and
// moving gigabytes inside the API's 29 s would not fit, so the pipeline's ingest starts when the
// PUT lands and completing only checks the object and hands back the status the ingest records.
import { copyFile, link, mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { hasRole } from '../auth/principal';
import type { Ctx } from '../context';
import { datasetTypes } from '../datasets/registry';
import { FsStorage } from '../storage/fs-storage';
import { PRESIGNED_PUT_PATH, PutRefused } from '../storage/presigned-put';
import { viewerOrigin } from './public-origin';
import { clientAddress, type Env, requireRole, safeFileName } from './security';
import { inspectZipFile } from './upload-guard';
import { auditRefusedUpload, queuedStored, startUploadFromFile, uploadKey, waitFor } from './upload-jobs';

/** Long enough to start a slow upload; the signature is checked when the PUT starts, not ends. */
const URL_TTL_S = 15 * 60;
const DEFAULT_MAX_BYTES = 2 * 1024 ** 3;

const DirectRequest = z.object({
  dataset: z.string().max(100),
  name: z
    .string()
    .regex(/^([a-z0-9][a-z0-9_-]{0,62})?$/, 'lower-case letters, digits, - or _')
    .optional(),
  fileName: z.string().max(200),
  bytes: z.number().int().positive(),
  // Printable ASCII only: it is signed into the URL and sent back as a header.
  contentType: z
    .string()
    .max(200)
    .regex(/^[\x20-\x7e]*$/)
    .optional(),
});

/** What an upload id carries: enough to find and ingest the object without server-side state. */
const Ticket = z.object({
  v: z.literal(1),
  nonce: z.string().regex(/^[A-Za-z0-9_-]{16}$/),
  user: z.string(),
  dataset: z.string(),
  name: z.string().optional(),
  file: z.string(),
  bytes: z.number().int().positive(),
});
type Ticket = z.infer<typeof Ticket>;

// The id is not signed: completing re-derives the key from it and checks the object's size, so an
// altered id can only name an object its holder could have uploaded anyway, and only as themself.
const encodeTicket = (t: Ticket) => Buffer.from(JSON.stringify(t)).toString('base64url');
function decodeTicket(id: string): Ticket | null {
  try {
    const t = Ticket.safeParse(JSON.parse(Buffer.from(id, 'base64url').toString('utf8')));
    if (!t.success || !datasetTypes[t.data.dataset] || safeFileName(t.data.file) !== t.data.file) return null;
    return t.data;
  } catch {
    return null;
  }
}

class Refused extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 413 | 422,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function staffDirectUploadRoutes(app: OpenAPIHono<Env>, ctx: Ctx) {
  const maxBytes = ctx.config.directUploads?.maxBytes ?? DEFAULT_MAX_BYTES;
  const onLambda = ctx.config.onLambda;
  const keyOf = (t: Ticket) =>
    onLambda ? uploadKey(t.file, { dataset: t.dataset, name: t.name }) : `incoming/${t.nonce}/${t.file}`;
  // One completion per local upload: a second would ingest the same object twice.
  const completed = new Set<string>();

  const refused = async (c: Context<Env>, e: unknown) => {
    if (!(e instanceof Refused)) throw e;
    await auditRefusedUpload(ctx, c.get('principal')!, clientAddress(c), e.message, { direct: true });
    return c.json({ error: e.code, message: e.message }, e.status);
  };

  app.post(
    '/api/v1/staff/uploads/direct',
    requireRole('analyst'),
    bodyLimit({ maxSize: 16 * 1024 }),
    async (c) => {
      try {
        const parsed = DirectRequest.safeParse(await c.req.json().catch(() => null));
        if (!parsed.success)
          throw new Refused(
            400,
            'bad_request',
            parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
          );
        const r = parsed.data;
        if (!datasetTypes[r.dataset])
          throw new Refused(
            400,
            'upload_refused',
            `unknown dataset kind ${JSON.stringify(r.dataset.slice(0, 50))}`,
          );
        const file = safeFileName(r.fileName);
        if (!file)
          throw new Refused(
            400,
            'upload_refused',
            'the file name must be a plain name (letters, digits, spaces, . _ - ( ) +), with no path',
          );
        // The ingest function skips names starting with '_' (its own reports, functions/ingest.ts).
        if (onLambda && file.startsWith('_'))
          throw new Refused(400, 'upload_refused', 'the file name must not start with "_"');
        if (r.bytes > maxBytes)
          throw new Refused(413, 'too_large', `direct uploads are limited to ${maxBytes} bytes`);
        const ticket: Ticket = {
          v: 1,
          nonce: encodeNonce(),
          user: c.get('principal')!.user,
          dataset: r.dataset,
          ...(r.name ? { name: r.name } : {}),
          file,
          bytes: r.bytes,
        };
        const signed = await ctx.storage.presignPut(keyOf(ticket), {
          expiresSeconds: URL_TTL_S,
          bytes: r.bytes,
          contentType: r.contentType || undefined,
        });
        const uploadId = encodeTicket(ticket);
        return c.json(
          {
            uploadId,
            // The folder store signs a root-relative URL: this server's own route, on the host the
            // browser uses (behind a proxy not the request's), which the page's CSP lets it reach.
            url: new URL(signed.url, viewerOrigin(c)).href,
            method: signed.method,
            headers: signed.headers,
            expires_at: signed.expiresAt,
            complete_url: `/api/v1/staff/uploads/direct/${uploadId}/complete`,
          },
          201,
        );
      } catch (e) {
        return refused(c, e);
      }
    },
  );

  app.post('/api/v1/staff/uploads/direct/:uploadId/complete', requireRole('analyst'), async (c) => {
    try {
      const p = c.get('principal')!;
      const t = decodeTicket(c.req.param('uploadId'));
      if (!t || (t.user !== p.user && !hasRole(p, 'admin')))
        throw new Refused(404, 'not_found', 'no such upload');
      const key = keyOf(t);
      // list, not head: on AWS the API role may list the bucket but not read uploads/.
      const obj = (await ctx.storage.list(key)).objects.find((o) => o.key === key);
      if (!obj)
        throw new Refused(
          409,
          'not_uploaded',
          'the file has not arrived yet: PUT it to the upload URL first',
        );
      const opts = { dataset: t.dataset, name: t.name };
      if (obj.size !== t.bytes) {
        // Both stores refuse a PUT of another length; this catches an object replaced since.
        if (!onLambda) await ctx.storage.delete(key);
        throw new Refused(
          422,
          'size_mismatch',
          `the stored file has ${obj.size} bytes, not the ${t.bytes} declared`,
        );
      }
      if (onLambda) {
        // The ingest started when the object landed; this records who uploaded it and where to look.
        return c.json(
          await queuedStored(ctx, p, { key, etag: obj.etag, name: t.file, bytes: obj.size }, opts),
          202,
        );
      }
      if (completed.has(t.nonce))
        throw new Refused(409, 'already_completed', 'this upload was already completed');
      completed.add(t.nonce);
      const { path, release } = await stageAs(ctx, key, t.file);
      if (/\.zip$/i.test(t.file) || (await startsWithZipMagic(path))) {
        const why = await inspectZipFile(path);
        if (why) {
          await release();
          await ctx.storage.delete(key);
          throw new Refused(422, 'upload_refused', `archive refused: ${why}`);
        }
      }
      const job = await startUploadFromFile(ctx, p, { name: t.file, path, bytes: obj.size }, opts, () =>
        Promise.all([release(), ctx.storage.delete(key)]),
      );
      if (c.req.query('wait') === '1') await waitFor(job);
      return c.json(
        {
          id: job.id,
          file: job.file,
          dataset: job.dataset,
          status: job.status,
          stage: job.stage,
          error: job.error,
          outcome: job.outcome,
          status_url: `/api/v1/staff/uploads/${job.id}`,
        },
        c.req.query('wait') === '1' ? 200 : 202,
      );
    } catch (e) {
      return refused(c, e);
    }
  });

  // The folder store's presigned URLs point here. No session: the signature is the permission,
  // as with S3 (lib/storage/presigned-put.ts).
  const storage = ctx.storage;
  if (storage instanceof FsStorage) {
    app.put(PRESIGNED_PUT_PATH, async (c) => {
      try {
        const { etag } = await storage.receivePresignedPut(new URL(c.req.url).searchParams, {
          contentType: c.req.header('content-type'),
          contentLength: c.req.header('content-length'),
          body: c.req.raw.body,
        });
        return c.body(null, 200, { etag });
      } catch (e) {
        if (e instanceof PutRefused) return c.json({ error: 'put_refused', message: e.message }, e.status);
        throw e;
      }
    });
  }
}

/**
 * The CSP directive that lets the staff page's script PUT to the store: nothing for the folder
 * (its route is this origin), else `connect-src` with the origin S3 presigns for. The origin is
 * read off a presigned URL (signing is local, no request) so it follows the SDK's addressing.
 */
export function directUploadCsp(ctx: Ctx): Promise<string> {
  let got = cspByStore.get(ctx.storage);
  if (!got) {
    got = (async () => {
      if (ctx.storage instanceof FsStorage) return '';
      const probe = await ctx.storage.presignPut('incoming/csp-probe', { expiresSeconds: 60 });
      return `; connect-src 'self' ${new URL(probe.url).origin}`;
    })().catch((e: unknown) => {
      ctx.log.warn(`direct uploads: no connect-src for the store (${String(e)}); the page cannot PUT to it`);
      return '';
    });
    cspByStore.set(ctx.storage, got);
  }
  return got;
}
const cspByStore = new WeakMap<object, Promise<string>>();

/**
 * A local path to the object under the uploaded file's own name: dataset kinds read meaning from
 * it (the ACS year, a GTFS feed's parts), and the S3 adapter's cache names files by hash.
 */
async function stageAs(ctx: Ctx, key: string, file: string) {
  const cached = await ctx.storage.localPath(key);
  if (basename(cached) === file) return { path: cached, release: async () => {} };
  await mkdir(ctx.config.scratchDir, { recursive: true });
  const dir = await mkdtemp(join(ctx.config.scratchDir, 'direct-'));
  const path = join(dir, file);
  // A hard link costs nothing for gigabytes; the cache may sit on another file system.
  await link(cached, path).catch(() => copyFile(cached, path));
  return { path, release: () => rm(dir, { recursive: true, force: true }) };
}

function encodeNonce() {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(12))).toString('base64url');
}

async function startsWithZipMagic(path: string) {
  const fh = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x50 && buffer[1] === 0x4b;
  } finally {
    await fh.close();
  }
}
