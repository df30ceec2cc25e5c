// Staff routes: sign-in and out, uploads (validated ingest with live progress), computations,
// targets, the compliance package and the audit log. Every route checks the role it needs and
// every action is audit-logged with the dataset versions it touched.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { z } from 'zod';
import { audit, recentAudit } from '../audit/audit-log';
import type { Authenticator } from '../auth/authenticator';
import { hasRole } from '../auth/principal';
import { SESSION_COOKIE, SESSION_TTL_S } from '../auth/sessions';
import { FEDERAL_MEASURES } from '../compliance/federal-measures';
import { hpmsFile, pm3Years } from '../compliance/hpms-export';
import { measureTable, measureTableCsv } from '../compliance/measure-table';
import { measureWorkbook } from '../compliance/measure-workbook';
import { performanceReportPdf } from '../compliance/performance-report';
import { getTargets, putTargets, Target } from '../compliance/targets';
import { families, getFamily } from '../compute/families';
import type { Ctx } from '../context';
import { datasetTypes } from '../datasets/registry';
import { page } from '../portal/layout';
import { listFamilies } from '../portal/measure-data';
import {
  auditPage,
  compliancePage,
  dashboardPage,
  signInPage,
  uploadReportHtml,
  uploadResultPage,
} from '../portal/staff-pages';
import { codeVersion } from '../version';
import { clientAddress, type Env, requireRole, safeFileName } from './security';
import { inspectZip } from './upload-guard';
import {
  getJob,
  type QueuedUpload,
  queuedAsJob,
  queueUpload,
  startUpload,
  type UploadJob,
  uploadStatus,
  waitFor,
} from './upload-jobs';

export interface StaffOptions {
  auth: Authenticator;
  uploadBytes: number;
  region: string;
}

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

export function staffRoutes(app: OpenAPIHono<Env>, ctx: Ctx, o: StaffOptions) {
  const secure = (c: { req: { url: string } }) => new URL(c.req.url).protocol === 'https:';

  app.get('/staff/login', (c) =>
    c.html(
      signInPage({ enabled: o.auth.enabled, notice: o.auth.notice, next: safeNext(c.req.query('next')) }),
    ),
  );
  app.post(
    '/staff/login',
    bodyLimit({
      maxSize: 16 * 1024,
      onError: (c) => c.json({ error: 'too_large', message: 'request too large' }, 413),
    }),
    async (c) => {
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const user = typeof form.user === 'string' ? form.user : '';
      const password = typeof form.password === 'string' ? form.password : '';
      const p =
        o.auth.enabled && o.auth.signIn && user && password ? await o.auth.signIn(user, password) : null;
      await audit(ctx.storage, {
        user: user.slice(0, 100) || '(none)',
        role: p?.role ?? '-',
        action: p ? 'sign_in' : 'sign_in_failed',
        outcome: p ? 'ok' : 'refused',
        ip: clientAddress(c),
      });
      if (!p || !o.auth.issueSession) {
        return c.html(
          signInPage({
            enabled: o.auth.enabled,
            notice: o.auth.notice,
            error: 'Wrong user name or password.',
          }),
          401,
        );
      }
      setCookie(c, SESSION_COOKIE, o.auth.issueSession(p), {
        httpOnly: true,
        sameSite: 'Strict',
        path: '/',
        maxAge: SESSION_TTL_S,
        secure: secure(c),
      });
      return c.redirect(safeNext(typeof form.next === 'string' ? form.next : undefined), 303);
    },
  );
  app.post('/staff/logout', (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/', 303);
  });

  app.use('/staff', requireRole('viewer'));
  app.use('/staff/*', async (c, next) =>
    c.req.path === '/staff/login' || c.req.path === '/staff/logout' ? next() : requireRole('viewer')(c, next),
  );
  app.use('/api/v1/staff/*', requireRole('viewer'));

  app.get('/staff', async (c) =>
    c.html(
      dashboardPage({
        who: c.get('principal')!,
        datasetTypes: Object.keys(datasetTypes),
        families: await listFamilies(ctx),
        bcaEditions: await import('../bca/params')
          .then((m) => m.loadParameters().editions.map((e) => ({ id: e.id, title: e.title })))
          .catch(() => []),
      }),
    ),
  );
  app.get('/api/v1/staff/me', (c) => c.json(c.get('principal')!));

  // --- uploads --------------------------------------------------------------------------------
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
    const p = c.get('principal')!;
    await audit(ctx.storage, {
      user: p.user,
      role: p.role,
      action: 'upload',
      outcome: 'refused',
      detail: { reason: e.message },
      ip: clientAddress(c),
    });
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

  // --- computations ---------------------------------------------------------------------------
  const ComputeBody = z.object({
    family: z.string().regex(/^[a-z][a-z0-9_]*$/),
    year: z.number().int().min(1990).max(2100).optional(),
  });
  const compute = async (c: Context<Env>, body: unknown) => {
    const p = c.get('principal')!;
    const parsed = ComputeBody.safeParse(body);
    if (!parsed.success || !families[parsed.data.family])
      return c.json(
        {
          error: 'bad_request',
          message: `give {"family": one of ${Object.keys(families).join(', ')}, "year"?: number}`,
        },
        400,
      );
    const { family, year } = parsed.data;
    try {
      const f = await getFamily(family);
      const { mkdtemp, rm } = await import('node:fs/promises');
      const { join } = await import('node:path');
      const out = await mkdtemp(join(ctx.config.scratchDir, `compute-${family}-`));
      try {
        const r = await f.run(ctx, { year, out, flags: {} });
        const lineage = await import('./results-data').then((m) => m.latestRun(ctx, family));
        const lin = lineage
          ? await import('./results-data').then((m) => m.runLineage(ctx, family, lineage))
          : null;
        await audit(ctx.storage, {
          user: p.user,
          role: p.role,
          action: 'compute',
          target: family,
          outcome: 'ok',
          versions: lin?.inputs.map((i) => `${i.dataset_id}@${i.version}`) ?? [],
          detail: { run_id: r.runId, year: year ?? null },
        });
        return c.json({ family, run_id: r.runId, summary: r.summary }, 200);
      } finally {
        await rm(out, { recursive: true, force: true });
      }
    } catch (e) {
      ctx.log.error(`compute ${family}: ${e instanceof Error ? e.stack : String(e)}`);
      const message = e instanceof Error ? e.message.split('\n')[0]!.slice(0, 300) : 'failed';
      await audit(ctx.storage, {
        user: p.user,
        role: p.role,
        action: 'compute',
        target: family,
        outcome: 'failed',
        detail: { error: message },
      });
      return c.json({ error: 'compute_failed', message }, 422);
    }
  };
  app.post('/api/v1/staff/compute', requireRole('analyst'), bodyLimit({ maxSize: 16 * 1024 }), async (c) =>
    compute(c, await c.req.json().catch(() => null)),
  );
  app.post('/staff/compute', requireRole('analyst'), bodyLimit({ maxSize: 16 * 1024 }), async (c) => {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    return compute(c, { family: form.family, ...(form.year ? { year: Number(form.year) } : {}) });
  });

  // --- compliance -------------------------------------------------------------------------------
  app.get('/staff/compliance', requireRole('analyst'), async (c) => {
    const { rows } = await measureTable(ctx);
    return c.html(
      compliancePage(c.get('principal')!, {
        rows,
        hpmsYears: await pm3Years(ctx),
        saved: c.req.query('saved') === '1',
      }),
    );
  });
  // The form on the compliance page (no script needed): <measure>.period, .baseline_year, .target_2yr, .target_4yr.
  app.post(
    '/staff/compliance/targets',
    requireRole('analyst'),
    bodyLimit({ maxSize: 64 * 1024 }),
    async (c) => {
      const p = c.get('principal')!;
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const field = (id: string, f: string) =>
        typeof form[`${id}.${f}`] === 'string' ? (form[`${id}.${f}`] as string).trim() : '';
      const num = (v: string) => (v === '' ? null : Number(v));
      const targets = [];
      for (const m of FEDERAL_MEASURES) {
        const period = field(m.id, 'period');
        if (!period) continue;
        targets.push({
          measure_id: m.id,
          performance_period: period,
          baseline_year: num(field(m.id, 'baseline_year')),
          target_2yr: num(field(m.id, 'target_2yr')),
          target_4yr: num(field(m.id, 'target_4yr')),
        });
      }
      const parsed = z.array(Target).safeParse(targets);
      if (!parsed.success)
        return c.json(
          {
            error: 'bad_request',
            message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
          },
          400,
        );
      await saveTargets(ctx, p, parsed.data);
      return c.redirect('/staff/compliance?saved=1', 303);
    },
  );
  app.get('/api/v1/staff/compliance/targets', requireRole('viewer'), async (c) =>
    c.json(await getTargets(ctx.storage)),
  );
  app.put(
    '/api/v1/staff/compliance/targets',
    requireRole('analyst'),
    bodyLimit({ maxSize: 256 * 1024 }),
    async (c) => {
      const p = c.get('principal')!;
      const parsed = z
        .object({ targets: z.array(Target).max(200) })
        .safeParse(await c.req.json().catch(() => null));
      if (!parsed.success)
        return c.json(
          {
            error: 'bad_request',
            message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
          },
          400,
        );
      const doc = await saveTargets(ctx, p, parsed.data.targets);
      return c.json(doc);
    },
  );
  app.get('/api/v1/staff/compliance/:file', requireRole('analyst'), async (c) => {
    const p = c.get('principal')!;
    const file = c.req.param('file');
    const now = ctx.clock().toISOString();
    const { rows, lineages } = await measureTable(ctx);
    const versions = [
      ...new Set(lineages.flatMap((l) => l.inputs.map((i) => `${i.dataset_id}@${i.version}`))),
    ];
    const logged = () =>
      audit(ctx.storage, {
        user: p.user,
        role: p.role,
        action: 'export',
        target: file,
        outcome: 'ok',
        versions,
      });
    const attach = (type: string) => ({
      'content-type': type,
      'content-disposition': `attachment; filename="${file}"`,
      'cache-control': 'no-store',
    });
    if (file === 'measures.csv') {
      await logged();
      return c.body(measureTableCsv(rows), 200, attach('text/csv; charset=utf-8'));
    }
    if (file === 'measures.xlsx') {
      await logged();
      const buf = await measureWorkbook(rows, lineages, { region: o.region, generatedAt: now });
      return c.body(
        new Uint8Array(buf),
        200,
        attach('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
      );
    }
    if (file === 'system-performance-report.pdf') {
      await logged();
      const buf = await performanceReportPdf(rows, lineages, {
        region: o.region,
        generatedAt: now,
        codeVersion: codeVersion(),
      });
      return c.body(new Uint8Array(buf), 200, attach('application/pdf'));
    }
    if (file === 'hpms-pm3.txt') {
      const years = await pm3Years(ctx);
      const year = Number(c.req.query('year') ?? years[0]);
      const stateCode = Number(c.req.query('state_code'));
      if (!Number.isInteger(year) || !years.includes(year))
        return c.json(
          {
            error: 'not_found',
            message: `no PM3 results for year ${c.req.query('year') ?? '(none computed)'}: run the pm3 computation first`,
          },
          404,
        );
      if (!Number.isInteger(stateCode) || stateCode < 1 || stateCode > 99)
        return c.json({ error: 'bad_request', message: 'give state_code, the state FIPS code (1-99)' }, 400);
      try {
        const got = await hpmsFile(ctx, {
          year,
          stateCode,
          fillMissing: c.req.query('fill_missing') === 'true',
        });
        await audit(ctx.storage, {
          user: p.user,
          role: p.role,
          action: 'export',
          target: file,
          outcome: 'ok',
          versions,
          detail: { year, state_code: stateCode, pm3_run: got.runId, rows: got.rows },
        });
        return c.body(new Uint8Array(got.body), 200, {
          ...attach('text/plain; charset=utf-8'),
          'content-disposition': `attachment; filename="hpms-pm3-${year}.txt"`,
        });
      } catch (e) {
        const message = e instanceof Error ? e.message.split('\n')[0]!.slice(0, 300) : 'export failed';
        await audit(ctx.storage, {
          user: p.user,
          role: p.role,
          action: 'export',
          target: file,
          outcome: 'failed',
          detail: { year, error: message },
        });
        return c.json({ error: 'export_failed', message }, 422);
      }
    }
    return c.json({ error: 'not_found', message: `no compliance file ${file}` }, 404);
  });

  // --- audit --------------------------------------------------------------------------------------
  app.get('/api/v1/staff/audit', requireRole('admin'), async (c) => {
    const limitN = Math.min(1000, Math.max(1, Number(c.req.query('limit') ?? 100) || 100));
    return c.json({ events: await recentAudit(ctx.storage, limitN) });
  });
  app.get('/staff/audit', requireRole('admin'), async (c) =>
    c.html(auditPage(c.get('principal')!, await recentAudit(ctx.storage, 200))),
  );
}

/** Only same-site paths after sign-in (no open redirect). */
function safeNext(next: string | undefined) {
  return next && /^\/[A-Za-z0-9/_.-]*$/.test(next) && !next.startsWith('//') ? next : '/staff';
}

/** Store the targets and audit who set them (the staff form and the JSON route share this). */
async function saveTargets(
  ctx: Ctx,
  p: { user: string; role: string },
  targets: Parameters<typeof putTargets>[1],
) {
  const doc = await putTargets(ctx.storage, targets, p.user);
  await audit(ctx.storage, {
    user: p.user,
    role: p.role,
    action: 'set_targets',
    target: 'compliance/targets.json',
    outcome: 'ok',
    detail: { count: doc.targets.length },
  });
  return doc;
}
