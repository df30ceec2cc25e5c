// Staff BCA through the JSON API: run a scenario from an uploaded file (YAML, JSON or XLSX) or a
// ledger CSV, or from a scenario sent as JSON; list runs, fetch their files and publish one.
// Runs stay staff-only until published (staff-bca-store.ts). Same protections as data uploads:
// size limit, plain file names, roles, same-origin writes, audit log. The pages are in
// staff-bca-pages.ts.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ScenarioSchema } from '../bca/scenario';
import type { Ctx } from '../context';
import { staffFileUrl } from '../portal/staff-bca-runs-page';
import { bcaPublicRoutes, sendStored } from './bca-public';
import { type Env, requireRole, safeFileName } from './security';
import { staffBcaPages } from './staff-bca-pages';
import { publishAudited, runAnswer, runStaffFile } from './staff-bca-run';
import { fileKey, getRun, listRuns, type StaffBcaRun } from './staff-bca-store';
import { queueRequest } from './staff-requests';
import { NotFound } from './table-data';

const SCENARIO = /\.(ya?ml|json|xlsx)$/i;

/** The run's answer: now locally, or on AWS 202 with the status of the queued run (staff-requests.ts). */
async function answer(
  c: Context<Env>,
  ctx: Ctx,
  f: { name: string; bytes: Uint8Array | string; source: string; edition?: string; discountRate?: number },
) {
  const who = c.get('principal')!;
  if (ctx.config.onLambda) {
    // runBca with its reports takes longer than API Gateway's 29 s and writes staff/bca/, which
    // the API function may not: the compute function runs it.
    const q = await queueRequest(ctx, who, 'bca-run', {
      file_name: f.name,
      source: f.source,
      content_base64: Buffer.from(f.bytes).toString('base64'),
      edition: f.edition ?? null,
      discount_rate: f.discountRate ?? null,
    });
    return c.json(q, 202);
  }
  const r = runAnswer(await runStaffFile(ctx, who, f));
  return c.json(r.body, r.code);
}

export const runListEntry = (r: StaffBcaRun) => ({
  run_id: r.run_id,
  scenario_id: r.scenario_id,
  title: r.title,
  created_at: r.created_at,
  user: r.user,
  role: r.role,
  source: r.source,
  edition: r.edition,
  base_year: r.base_year,
  discount_rate: r.discount_rate,
  npv_usd: r.npv_usd,
  bcr: r.bcr,
  published: r.published,
  links: {
    self: `/api/v1/staff/bca/runs/${r.run_id}`,
    page: `/staff/bca/runs/${r.run_id}`,
    lineage: staffFileUrl(r.run_id, 'lineage.json'),
    public: r.published ? `/bca/${r.run_id}` : null,
  },
});

export function staffBcaRoutes(app: OpenAPIHono<Env>, ctx: Ctx, o: { uploadBytes: number }) {
  const limit = (bytes: number) =>
    bodyLimit({
      maxSize: bytes,
      onError: (c) => c.json({ error: 'too_large', message: `requests are limited to ${bytes} bytes` }, 413),
    });

  app.post('/api/v1/staff/bca', requireRole('analyst'), limit(o.uploadBytes), async (c) => {
    if (!(c.req.header('content-type') ?? '').startsWith('multipart/form-data'))
      return c.json({ error: 'upload_refused', message: 'send the scenario as multipart/form-data' }, 415);
    let form: Record<string, unknown>;
    try {
      form = await c.req.parseBody();
    } catch {
      return c.json({ error: 'upload_refused', message: 'the multipart body could not be read' }, 400);
    }
    const file = form.file;
    const name = file instanceof File ? safeFileName(file.name) : null;
    if (!(file instanceof File) || !name || !(SCENARIO.test(name) || /\.csv$/i.test(name)))
      return c.json(
        {
          error: 'upload_refused',
          message:
            'give one scenario file (.yaml, .yml, .json, .xlsx) or ledger (.csv) with a plain name in "file"',
        },
        400,
      );
    let discountRate: number | undefined;
    if (form.discount_rate !== undefined && form.discount_rate !== '') {
      discountRate = Number(form.discount_rate);
      if (!Number.isFinite(discountRate))
        return c.json({ error: 'bad_request', message: 'discount_rate must be a number' }, 400);
    }
    const edition =
      typeof form.edition === 'string' && /^[a-z0-9_.-]{1,40}$/.test(form.edition) ? form.edition : undefined;
    const bytes = new Uint8Array(await file.arrayBuffer());
    return answer(c, ctx, { name, bytes, source: name, edition, discountRate });
  });

  // A scenario as JSON (the builder's API twin): ?check=1 validates only.
  app.post('/api/v1/staff/bca/scenarios', requireRole('analyst'), limit(4 * 1024 * 1024), async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json({ error: 'bad_request', message: 'send the scenario as a JSON object' }, 400);
    }
    const parsed = ScenarioSchema.safeParse(body);
    if (!parsed.success)
      return c.json(
        {
          error: 'invalid_scenario',
          message: 'the scenario does not match the scenario schema',
          issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        },
        422,
      );
    if (c.req.query('check')) return c.json({ valid: true, scenario_id: parsed.data.id }, 200);
    return answer(c, ctx, { name: `${parsed.data.id}.json`, bytes: JSON.stringify(body), source: 'api' });
  });

  app.get('/api/v1/staff/bca/runs', requireRole('viewer'), async (c) =>
    c.json({ runs: (await listRuns(ctx)).map(runListEntry) }, 200),
  );
  app.get('/api/v1/staff/bca/runs/:run', requireRole('viewer'), async (c) => {
    const r = await getRun(ctx, c.req.param('run'));
    if (!r) throw new NotFound(`no scenario run ${c.req.param('run')}`);
    return c.json({
      ...runListEntry(r),
      files: r.files,
      summary: r.summary,
      lineage: r.lineage,
      issues: r.issues,
    });
  });
  app.get('/api/v1/staff/bca/runs/:run/files/:file', requireRole('viewer'), async (c) => {
    const r = await getRun(ctx, c.req.param('run'));
    const file = c.req.param('file');
    if (!r?.files.includes(file)) throw new NotFound(`no file ${file} in scenario run ${c.req.param('run')}`);
    return sendStored(c, ctx, fileKey(r.run_id, file), `${r.scenario_id}-${file}`);
  });
  app.post('/api/v1/staff/bca/runs/:run/publish', requireRole('analyst'), async (c) => {
    const p = c.get('principal')!;
    if (ctx.config.onLambda) {
      // Publishing writes results/bca/, which the API function may not: the compute function does.
      const run = await getRun(ctx, c.req.param('run'));
      if (!run) throw new NotFound(`no scenario run ${c.req.param('run')}`);
      return c.json(await queueRequest(ctx, p, 'bca-publish', { run_id: run.run_id }), 202);
    }
    const r = await publishAudited(ctx, c.req.param('run'), p);
    if (!r) throw new NotFound(`no scenario run ${c.req.param('run')}`);
    return c.json({ run_id: r.run_id, published: r.published, page: `/bca/${r.run_id}` }, 200);
  });

  staffBcaPages(app, ctx);
  // The public side of the same runs (published reports) is registered here too, so app.ts keeps
  // one BCA line.
  bcaPublicRoutes(app, ctx);
}
