// Staff uploads: validated ingest with live progress locally, or queued for the pipeline's ingest
// function on Lambda. Every refusal is audit-logged with its reason.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { html } from 'hono/html';
import { hasRole } from '../auth/principal';
import type { Ctx } from '../context';
import { datasetTypes } from '../datasets/registry';
import { page } from '../portal/layout';
import { uploadReportHtml, uploadResultPage } from '../portal/staff-pages';
import { clientAddress, type Env, requireRole, safeFileName } from './security';
import { inspectZip } from './upload-guard';
import {
  auditRefusedUpload,
  getJob,
  type QueuedUpload,
  queuedAsJob,
  queueUpload,
  startUpload,
  type UploadJob,
  uploadStatus,
  waitFor,
} from './upload-jobs';

const jobJson = (job: UploadJob, withHtml: boolean) => ({
  id: job.id,
  file: job.file,
  dataset: job.dataset,
  status: job.status,
  stage: job.stage,
  done: job.done,
  total: job.total,
  started_at: job.started_at,
  finished_at: job.finished_at,
  error: job.error,
  outcome: job.outcome,
  ...(withHtml && job.status !== 'running' ? { report_html: String(uploadReportHtml(job)) } : {}),
});

class UploadRefused extends Error {
  constructor(
    readonly status: 400 | 413 | 415 | 422,
    message: string,
  ) {
    super(message);
  }
}

export function staffUploadRoutes(app: OpenAPIHono<Env>, ctx: Ctx, o: { uploadBytes: number }) {
  const limit = bodyLimit({
    maxSize: o.uploadBytes,
    onError: (c) =>
      c.json({ error: 'too_large', message: `uploads are limited to ${o.uploadBytes} bytes` }, 413),
  });
  const receive = async (c: Context<Env>) => {
    const type = c.req.header('content-type') ?? '';
    if (!type.startsWith('multipart/form-data'))
      throw new UploadRefused(415, 'send the file as multipart/form-data');
    let form: Record<string, unknown>;
    try {
      form = await c.req.parseBody();
    } catch {
      throw new UploadRefused(400, 'the multipart body could not be read');
    }
    const file = form.file;
    if (!(file instanceof File)) throw new UploadRefused(400, 'no file in the "file" field');
    const name = safeFileName(file.name);
    if (!name)
      throw new UploadRefused(
        400,
        'the file name must be a plain name (letters, digits, spaces, . _ - ( ) +), with no path',
      );
    const dataset = typeof form.dataset === 'string' ? form.dataset : '';
    if (!datasetTypes[dataset])
      throw new UploadRefused(400, `unknown dataset kind ${JSON.stringify(dataset.slice(0, 50))}`);
    const dsName = typeof form.name === 'string' && form.name ? form.name : undefined;
    if (dsName && !/^[a-z0-9][a-z0-9_-]{0,62}$/.test(dsName))
      throw new UploadRefused(400, 'name must be lower-case letters, digits, - or _');
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (bytes.length > o.uploadBytes)
      throw new UploadRefused(413, `uploads are limited to ${o.uploadBytes} bytes`);
    if (/\.zip$/i.test(name) || (bytes[0] === 0x50 && bytes[1] === 0x4b)) {
      const why = inspectZip(bytes);
      if (why) throw new UploadRefused(422, `archive refused: ${why}`);
    }
    if (ctx.config.onLambda) {
      // The ingest function takes uploads/<dataset>/<file> (functions/ingest.ts) and skips names
      // starting with '_' (its own reports).
      if (name.startsWith('_')) throw new UploadRefused(400, 'the file name must not start with "_"');
      return queueUpload(ctx, c.get('principal')!, { name, bytes }, { dataset, name: dsName });
    }
    return startUpload(ctx, c.get('principal')!, { name, bytes }, { dataset, name: dsName });
  };
  const isQueued = (j: UploadJob | QueuedUpload): j is QueuedUpload => 'key' in j;
  const refused = async (c: Context<Env>, e: unknown) => {
    if (!(e instanceof UploadRefused)) throw e;
    await auditRefusedUpload(ctx, c.get('principal')!, clientAddress(c), e.message);
    return c.json({ error: 'upload_refused', message: e.message }, e.status);
  };
  app.post('/api/v1/staff/uploads', requireRole('analyst'), limit, async (c) => {
    try {
      const job = await receive(c);
      // On Lambda the ingest runs in the pipeline: answer 202 with the status URL, even for ?wait=1.
      if (isQueued(job)) return c.json(job, 202);
      if (c.req.query('wait') === '1') await waitFor(job);
      return c.json(jobJson(job, false), c.req.query('wait') === '1' ? 200 : 202);
    } catch (e) {
      return refused(c, e);
    }
  });
  app.post('/staff/upload', requireRole('analyst'), limit, async (c) => {
    try {
      const received = await receive(c);
      if (isQueued(received))
        return c.html(
          page(
            { title: 'Upload received' },
            html`<h1>Upload received</h1><p><code>${received.file}</code> is stored as <code>${received.key}</code>; the ingest validates and publishes it in the background. <a href="${received.status_url}">Its status</a> says when it is done.</p><p><a href="/staff">Back to the staff area</a></p>`,
          ),
          202,
        );
      const job = await waitFor(received);
      return c.html(uploadResultPage(c.get('principal')!, job), job.status === 'rejected' ? 422 : 200);
    } catch (e) {
      return refused(c, e);
    }
  });
  app.get('/api/v1/staff/uploads/:id', requireRole('analyst'), async (c) => {
    if (ctx.config.onLambda) {
      // Any analyst may follow a queued upload: the id names an object, not an uploader.
      const queued = await uploadStatus(ctx, c.req.param('id'));
      if (!queued) return c.json({ error: 'not_found', message: 'no such upload' }, 404);
      const job = queuedAsJob(queued, c.get('principal')!.user);
      return c.json({ ...jobJson(job, c.req.query('format') === 'html'), ...queued, status: job.status });
    }
    const job = getJob(c.req.param('id'));
    const p = c.get('principal')!;
    if (!job || (job.user !== p.user && !hasRole(p, 'admin')))
      return c.json({ error: 'not_found', message: 'no such upload' }, 404);
    return c.json(jobJson(job, c.req.query('format') === 'html'));
  });
}
