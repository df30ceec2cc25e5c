// Public benefit-cost analysis reports: /bca (list), /bca/parameters (the parameter tables behind
// every run), /bca/<run> (report page), /bca/<run>/<file>
// (downloads; the HTML report opens in the browser) and /api/v1/bca/reports. Only published runs
// exist here (results/bca); a staff run nobody published is a plain 404.
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { DATA_DIR } from '../bca/params';
import type { Lineage } from '../catalog';
import type { ResultRun } from '../catalog/results';
import type { Ctx } from '../context';
import { PARAMETER_FILES, parametersPage } from '../portal/bca-parameters-page';
import { publicFileUrl, reportPage, reportsPage } from '../portal/bca-public-pages';
import type { BcaSummary } from '../portal/bca-summary';
import { getJson } from '../storage';
import { ErrorBody, LineageBody } from './schemas';
import type { Env } from './security';
import { publishedRun, publishedRuns } from './staff-bca-store';
import { NotFound } from './table-data';

export const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json',
  yaml: 'application/yaml',
  lp: 'text/plain; charset=utf-8',
};

/** Answer with a stored file: the HTML report inline, everything else as a download. */
export async function sendStored(c: Context, ctx: Ctx, key: string, downloadName: string) {
  const stream = await ctx.storage.getStream(key);
  if (!stream) throw new NotFound(`no file ${basename(key)}`);
  const ext = /\.([a-z]+)$/.exec(key)?.[1] ?? '';
  const type = CONTENT_TYPES[ext] ?? 'application/octet-stream';
  const inline = ext === 'html' || ext === 'json';
  return c.body(Readable.toWeb(stream) as ReadableStream, 200, {
    'content-type': type,
    'content-disposition': `${inline ? 'inline' : 'attachment'}; filename="${downloadName}"`,
    'x-content-type-options': 'nosniff',
  });
}

const Report = z
  .object({
    run_id: z.string(),
    scenario_id: z.string(),
    title: z.string(),
    created_at: z.string(),
    edition: z.string().nullable(),
    npv_usd: z.number().nullable(),
    bcr: z.number().nullable(),
    links: z.object({
      page: z.string(),
      self: z.string(),
      files: z.array(z.object({ name: z.string(), url: z.string() })),
    }),
  })
  .openapi('BcaReport');

const listRoute = createRoute({
  method: 'get',
  path: '/api/v1/bca/reports',
  operationId: 'listBcaReports',
  summary: 'Published benefit-cost analysis reports, newest first',
  responses: {
    200: {
      description: 'The published runs with links to their reports',
      content: { 'application/json': { schema: z.object({ reports: z.array(Report) }) } },
    },
  },
});

const reportRoute = createRoute({
  method: 'get',
  path: '/api/v1/bca/reports/{run}',
  operationId: 'getBcaReport',
  summary: 'One published benefit-cost analysis report, with its summary and lineage',
  request: {
    params: z.object({ run: z.string().openapi({ param: { name: 'run', in: 'path' }, example: 'run-id' }) }),
  },
  responses: {
    200: {
      description: 'The report',
      content: {
        'application/json': {
          schema: Report.extend({
            summary: z.record(z.string(), z.unknown()),
            lineage: LineageBody.nullable(),
          }).openapi('BcaReportDetail'),
        },
      },
    },
    404: {
      description: 'No published run with this id (staff runs are absent until published)',
      content: { 'application/json': { schema: ErrorBody } },
    },
  },
});

function reportJson(r: ResultRun) {
  const s = r.summary as BcaSummary;
  return {
    run_id: r.run_id,
    scenario_id: r.key,
    title: s.title ?? r.key,
    created_at: r.created_at,
    edition: s.edition ?? null,
    npv_usd: s.total?.npv_usd ?? null,
    bcr: s.total?.bcr ?? null,
    links: {
      page: `/bca/${r.run_id}`,
      self: `/api/v1/bca/reports/${r.run_id}`,
      files: [...r.files.map((k) => basename(k)), 'lineage.json'].map((name) => ({
        name,
        url: publicFileUrl(r.run_id, name),
      })),
    },
  };
}

export function bcaPublicRoutes(app: OpenAPIHono<Env>, ctx: Ctx) {
  const user = (c: Context<Env>) => c.get('principal')?.user;
  const find = async (id: string) => {
    const r = await publishedRun(ctx, id);
    if (!r) throw new NotFound(`no published benefit-cost analysis ${id}`);
    return r;
  };
  const lineageOf = async (r: ResultRun) =>
    (await getJson<Lineage>(ctx.storage, `results/bca/${r.run_id}/lineage.json`))?.value ?? null;

  app.get('/bca', async (c) => c.html(reportsPage(await publishedRuns(ctx), user(c))));
  // Before /bca/:run: run ids always carry a timestamp, so "parameters" can never be one.
  app.get('/bca/parameters', (c) => c.html(parametersPage(user(c))));
  app.get('/bca/parameters/:file', async (c) => {
    const file = c.req.param('file');
    if (!(PARAMETER_FILES as readonly string[]).includes(file))
      throw new NotFound(`no parameter table ${file}`);
    return c.body(await readFile(join(DATA_DIR, file)), 200, {
      'content-type': CONTENT_TYPES.csv!,
      'content-disposition': `attachment; filename="bca-${file}"`,
      'x-content-type-options': 'nosniff',
    });
  });
  app.get('/bca/:run', async (c) => {
    const r = await find(c.req.param('run'));
    return c.html(reportPage(r, await lineageOf(r), user(c)));
  });
  app.get('/bca/:run/:file', async (c) => {
    const r = await find(c.req.param('run'));
    const file = c.req.param('file');
    const key = `results/bca/${r.run_id}/${file}`;
    if (!(r.files.includes(key) || file === 'lineage.json' || file === 'summary.json'))
      throw new NotFound(`no file ${file} in ${r.run_id}`);
    return sendStored(c, ctx, key, `${r.key}-${file}`);
  });
  app.openapi(listRoute, async (c) => c.json({ reports: (await publishedRuns(ctx)).map(reportJson) }, 200));
  app.openapi(reportRoute, async (c) => {
    const r = await find(c.req.valid('param').run);
    return c.json({ ...reportJson(r), summary: r.summary, lineage: await lineageOf(r) }, 200);
  });
}
