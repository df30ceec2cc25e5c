// Public, read-only routes other than /api/v1: portal pages, downloads, /data.json, the CKAN
// shim, the OpenAPI document and its reference page. Downloads and the open-data routes are
// declared with createRoute too, so /openapi.json documents them.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { listDatasets } from '../catalog/catalog';
import type { Ctx } from '../context';
import { catalogPage } from '../portal/catalog-page';
import { datasetPage } from '../portal/dataset-page';
import { homePage } from '../portal/home-page';
import { measurePage, measuresIndexPage } from '../portal/measure-page';
import { STAFF_JS } from '../portal/staff-script';
import { codeVersion } from '../version';
import { DOCS_JS, docsPage } from './docs-page';
import { datasetDownload, resultDownload } from './downloads';
import { ckanFind, ckanPackage, ckanSearch, dataJson, type SiteInfo } from './open-data';
import { viewerOrigin } from './public-origin';
import { ErrorBody } from './schemas';
import type { Env } from './security';

const err = (d: string) => ({ content: { 'application/json': { schema: ErrorBody } }, description: d });
const p = (name: string, example: string) => z.string().openapi({ param: { name, in: 'path' }, example });

export const publicDocRoutes = {
  dataJson: createRoute({
    method: 'get',
    path: '/data.json',
    operationId: 'dataJson',
    summary: 'DCAT-US 1.1 catalog (non-federal profile) of every dataset and computed measure',
    responses: {
      200: {
        description: 'The catalog',
        content: {
          'application/json': {
            schema: z
              .object({ conformsTo: z.string(), dataset: z.array(z.record(z.string(), z.unknown())) })
              .passthrough(),
          },
        },
      },
    },
  }),
  packageSearch: createRoute({
    method: 'get',
    path: '/api/3/action/package_search',
    operationId: 'ckanPackageSearch',
    summary: 'CKAN Action API v3 package_search (read-only shim)',
    request: {
      query: z.object({
        q: z.string().max(200).optional(),
        fq: z
          .string()
          .max(500)
          .optional()
          .openapi({ description: 'tags:<tag>, type:<kind>, res_format:<fmt>' }),
        rows: z.coerce.number().int().min(0).max(1000).default(10),
        start: z.coerce.number().int().min(0).default(0),
      }),
    },
    responses: {
      200: {
        description: 'CKAN envelope with count and packages',
        content: {
          'application/json': {
            schema: z.object({
              help: z.string(),
              success: z.literal(true),
              result: z
                .object({ count: z.number().int(), results: z.array(z.record(z.string(), z.unknown())) })
                .passthrough(),
            }),
          },
        },
      },
      400: err('Invalid parameters'),
    },
  }),
  packageShow: createRoute({
    method: 'get',
    path: '/api/3/action/package_show',
    operationId: 'ckanPackageShow',
    summary: 'CKAN Action API v3 package_show (read-only shim)',
    request: { query: z.object({ id: z.string().max(100).openapi({ example: 'acs_b08301' }) }) },
    responses: {
      200: {
        description: 'CKAN envelope with the package',
        content: {
          'application/json': {
            schema: z.object({
              help: z.string(),
              success: z.literal(true),
              result: z.record(z.string(), z.unknown()),
            }),
          },
        },
      },
      404: {
        description: 'CKAN error envelope',
        content: {
          'application/json': {
            schema: z.object({
              help: z.string(),
              success: z.literal(false),
              error: z.object({ __type: z.string(), message: z.string() }),
            }),
          },
        },
      },
      400: err('Invalid parameters'),
    },
  }),
  download: createRoute({
    method: 'get',
    path: '/download/{id}/{version}/{file}',
    operationId: 'downloadTable',
    summary:
      'A table of a dataset version as CSV, Parquet or GeoJSON (stable URL, ETag; version "latest" redirects)',
    request: {
      params: z.object({
        id: p('id', 'acs_b08301'),
        version: p('version', 'latest'),
        file: p('file', 'acs_commute_mode.csv'),
      }),
    },
    responses: {
      200: {
        description: 'The file (streamed)',
        content: {
          'text/csv': { schema: z.string() },
          'application/vnd.apache.parquet': { schema: z.string() },
          'application/geo+json': { schema: z.string() },
        },
      },
      302: { description: 'Redirect from "latest" to the current version' },
      304: { description: 'Not modified (If-None-Match)' },
      400: err('Invalid name'),
      404: err('No such dataset, version or table'),
    },
  }),
  resultFile: createRoute({
    method: 'get',
    path: '/results/{family}/{run}/{file}',
    operationId: 'resultFile',
    summary: 'A file of a computation run (CSV or JSON), including lineage.json',
    request: {
      params: z.object({
        family: p('family', 'commute_mode'),
        run: p('run', 'latest'),
        file: p('file', 'lineage.json'),
      }),
    },
    responses: {
      200: {
        description: 'The file',
        content: { 'text/csv': { schema: z.string() }, 'application/json': { schema: z.unknown() } },
      },
      302: { description: 'Redirect from run "latest" to the newest run' },
      304: { description: 'Not modified (If-None-Match)' },
      400: err('Invalid name'),
      404: err('No such run or file'),
    },
  }),
};

export function publicRoutes(app: OpenAPIHono<Env>, ctx: Ctx, site: SiteInfo) {
  const user = (c: { get(k: 'principal'): { user: string } | null }) => c.get('principal')?.user;

  app.get('/', async (c) => c.html(await homePage(ctx, user(c))));
  app.get('/datasets', async (c) =>
    c.html(
      await catalogPage(
        ctx,
        {
          q: c.req.query('q')?.slice(0, 200) || undefined,
          keyword: c.req.query('keyword') || undefined,
          type: c.req.query('type') || undefined,
        },
        user(c),
      ),
    ),
  );
  app.get('/datasets/:id', async (c) =>
    c.html(await datasetPage(ctx, c.req.param('id'), c.req.query('version') || undefined, user(c))),
  );
  app.get('/measures', async (c) => c.html(await measuresIndexPage(ctx, user(c))));
  app.get('/measures/:family', async (c) => c.html(await measurePage(ctx, c.req.param('family'), user(c))));
  app.get('/assets/docs.js', (c) =>
    c.body(DOCS_JS, 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=300',
    }),
  );
  app.get('/favicon.ico', (c) => c.body(null, 204, { 'cache-control': 'public, max-age=86400' }));
  app.get('/assets/docs.js', (c) =>
    c.body(DOCS_JS, 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=300',
    }),
  );
  app.get('/favicon.ico', (c) => c.body(null, 204, { 'cache-control': 'public, max-age=86400' }));
  app.get('/assets/staff.js', (c) =>
    c.body(STAFF_JS, 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=300',
    }),
  );

  app.openapi(publicDocRoutes.dataJson, async (c) => c.json(await dataJson(ctx, viewerOrigin(c), site), 200));

  const help = (name: string) => `${name}: CKAN Action API v3 compatible, read-only (Corridor)`;
  app.openapi(publicDocRoutes.packageSearch, async (c) => {
    const q = c.req.valid('query');
    return c.json(
      {
        help: help('package_search'),
        success: true as const,
        result: await ckanSearch(ctx, viewerOrigin(c), q),
      },
      200,
    );
  });
  app.openapi(publicDocRoutes.packageShow, async (c) => {
    const { id } = c.req.valid('query');
    const m = ckanFind(await listDatasets(ctx.storage), id);
    if (!m)
      return c.json(
        {
          help: help('package_show'),
          success: false as const,
          error: { __type: 'Not Found Error', message: 'Not found' },
        },
        404,
      );
    return c.json(
      {
        help: help('package_show'),
        success: true as const,
        result: await ckanPackage(ctx, viewerOrigin(c), m),
      },
      200,
    );
  });

  app.openapi(publicDocRoutes.download, (async (c: Parameters<typeof datasetDownload>[0]) =>
    datasetDownload(c, ctx, c.req.param('id')!, c.req.param('version')!, c.req.param('file')!)) as never);
  app.on('HEAD', '/download/:id/:version/:file', (c) =>
    datasetDownload(c, ctx, c.req.param('id'), c.req.param('version'), c.req.param('file')),
  );
  app.openapi(publicDocRoutes.resultFile, (async (c: Parameters<typeof resultDownload>[0]) => {
    const family = c.req.param('family')!;
    const run = c.req.param('run')!;
    const file = c.req.param('file')!;
    if (run === 'latest') {
      const { latestRun } = await import('./results-data');
      const r = /^[a-z][a-z0-9_]*$/.test(family) ? await latestRun(ctx, family) : null;
      if (r) return c.redirect(`/results/${family}/${r.run_id}/${file}`, 302);
    }
    return resultDownload(c, ctx, family, run, file);
  }) as never);

  const document = () =>
    app.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: 'Corridor API',
        version: `v1 (${codeVersion()})`,
        description:
          'Read-only access to the regional transportation data catalog, measure results and their lineage, plus staff routes (sign-in required). Paged JSON or streamed CSV; stable versioned downloads with ETags.',
      },
      servers: [{ url: '/' }],
    });
  let cached: ReturnType<typeof document> | undefined;
  const doc = () => {
    cached ??= document();
    return cached;
  };
  app.get('/openapi.json', (c) => c.json(doc()));
  app.get('/api/docs', (c) => c.html(docsPage(doc() as never)));
}
